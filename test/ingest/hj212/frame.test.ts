import { describe, expect, it } from 'vitest';
import { hj212Crc, modbusCrcLowFirstHex } from '../../../src/ingest/hj212/crc';
import type { DecodedFrame } from '../../../src/ingest/hj212/frame';
import { encodeFrame, FrameDecoder } from '../../../src/ingest/hj212/frame';

const MN = '010000A8900016F000169DC0';
const SEG_A = `QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=${MN};Flag=5;CP=&&RtdInterval=30&&`;
const SEG_B = `QN=20160801085857223;ST=91;CN=9014;PW=123456;MN=${MN};Flag=4;CP=&&&&`;
const SEG_C = `QN=20160801090000001;ST=32;CN=2011;PW=123456;MN=${MN};Flag=5;CP=&&DataTime=20160801090000;w01018-Rtd=50.2,w01018-Flag=N&&`;

function decodeAll(input: string | Buffer, chunkSize?: number, options?: { maxSegmentBytes: number }): DecodedFrame[] {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const decoder = new FrameDecoder(options);
  const out: DecodedFrame[] = [];
  const size = chunkSize ?? bytes.length;
  for (let i = 0; i < bytes.length; i += size) out.push(...decoder.push(bytes.subarray(i, i + size)));
  out.push(...decoder.end());
  return out;
}

function okSegments(frames: DecodedFrame[]): string[] {
  return frames.flatMap((f) => (f.ok ? [f.segment] : []));
}

function reasons(frames: DecodedFrame[]): string[] {
  return frames.flatMap((f) => (f.ok ? [] : [f.reason]));
}

describe('encodeFrame', () => {
  it('reproduces the standard worked example byte for byte', () => {
    expect(encodeFrame(SEG_A)).toBe(`##0101${SEG_A}1C80\r\n`);
  });

  it('counts the length in UTF-8 bytes', () => {
    const segment = 'ST=32;CN=3020;PW=123456;MN=A1;CP=&&PolId=站点&&';
    expect(encodeFrame(segment).slice(2, 6)).toBe(String(Buffer.byteLength(segment)).padStart(4, '0'));
    expect(Buffer.byteLength(segment)).toBe(segment.length + 4);
  });
});

describe('FrameDecoder', () => {
  it('decodes the standard example', () => {
    const frames = decodeAll(encodeFrame(SEG_A));
    expect(frames).toEqual([{ ok: true, segment: SEG_A, crc: '1C80', raw: `##0101${SEG_A}1C80` }]);
  });

  it('decodes several frames in one chunk', () => {
    const frames = decodeAll(encodeFrame(SEG_A) + encodeFrame(SEG_B) + encodeFrame(SEG_C));
    expect(okSegments(frames)).toEqual([SEG_A, SEG_B, SEG_C]);
    expect(reasons(frames)).toEqual([]);
  });

  it('decodes frames fed one byte at a time, and in odd-sized chunks', () => {
    const stream = encodeFrame(SEG_A) + encodeFrame(SEG_C) + encodeFrame(SEG_B);
    expect(okSegments(decodeAll(stream, 1))).toEqual([SEG_A, SEG_C, SEG_B]);
    expect(okSegments(decodeAll(stream, 7))).toEqual([SEG_A, SEG_C, SEG_B]);
    expect(decodeAll(stream, 1)).toEqual(decodeAll(stream));
  });

  it('emits a frame as soon as its terminator starts, without waiting for the next read', () => {
    const decoder = new FrameDecoder();
    const frame = encodeFrame(SEG_A);
    expect(decoder.push(Buffer.from(frame.slice(0, -2)))).toEqual([]);
    expect(okSegments(decoder.push(Buffer.from('\r')))).toEqual([SEG_A]);
    expect(decoder.push(Buffer.from('\n'))).toEqual([]);
  });

  it('resyncs on garbage between frames and reports each run once', () => {
    const stream = `boot ok>>${encodeFrame(SEG_A)}AT+CSQ\r\n+CSQ: 23,0${encodeFrame(SEG_B)}`;
    for (const size of [undefined, 1, 5]) {
      const frames = decodeAll(stream, size);
      expect(okSegments(frames)).toEqual([SEG_A, SEG_B]);
      const garbage = frames.filter((f) => !f.ok);
      expect(garbage.map((f) => !f.ok && f.reason)).toEqual(['bad-header', 'bad-header']);
      expect(garbage[0]).toMatchObject({ detail: 'skipped 9 bytes outside any frame', raw: 'boot ok>>' });
      expect(garbage[1]).toMatchObject({ detail: 'skipped 18 bytes outside any frame' });
    }
  });

  it('drops blank bytes between frames silently', () => {
    const frames = decodeAll(`\r\n\0 ${encodeFrame(SEG_A)}\r\n\r\n${encodeFrame(SEG_B)}\n`);
    expect(frames.map((f) => f.ok)).toEqual([true, true]);
  });

  it('reports garbage without any ## when the stream ends', () => {
    expect(decodeAll('hello world', 3)).toEqual([{ ok: false, reason: 'bad-header', detail: 'skipped 11 bytes outside any frame', raw: 'hello world' }]);
  });

  it('treats a third # as noise in front of the header', () => {
    const frames = decodeAll(`#${encodeFrame(SEG_A)}`);
    expect(okSegments(frames)).toEqual([SEG_A]);
    expect(reasons(frames)).toEqual(['bad-header']);
  });

  it('rejects a declared length above the limit at once and decodes the next frame', () => {
    const decoder = new FrameDecoder({ maxSegmentBytes: 200 });
    expect(decoder.push(Buffer.from('##0999'))).toEqual([
      { ok: false, reason: 'too-long', detail: 'declared length 999 exceeds the limit of 200 bytes', raw: '##0999' },
    ]);
    const rest = decoder.push(Buffer.from(`${'x'.repeat(999)}ABCD\r\n${encodeFrame(SEG_A)}`));
    expect(rest).toEqual([{ ok: true, segment: SEG_A, crc: '1C80', raw: `##0101${SEG_A}1C80` }]);
  });

  it('accepts the longer segments real devices send when the limit allows', () => {
    const segment = `ST=32;CN=2011;PW=1;MN=2;CP=&&${'w01018-Rtd=1.0;'.repeat(105)}&&`;
    expect(Buffer.byteLength(segment)).toBeGreaterThan(1600);
    expect(okSegments(decodeAll(encodeFrame(segment)))).toEqual([segment]);
    expect(reasons(decodeAll(encodeFrame(segment), undefined, { maxSegmentBytes: 1024 }))).toEqual(['too-long']);
  });

  it('rejects a length field that is not four digits', () => {
    const frames = decodeAll(`##01a1${SEG_A}1C80\r\n${encodeFrame(SEG_B)}`);
    expect(reasons(frames)).toEqual(['bad-length']);
    expect(okSegments(frames)).toEqual([SEG_B]);
  });

  it('rejects a bad CRC and keeps decoding', () => {
    const frames = decodeAll(`##0101${SEG_A}1C81\r\n${encodeFrame(SEG_B)}`);
    expect(frames[0]).toEqual({
      ok: false,
      reason: 'bad-crc',
      detail: 'CRC 1C81 does not match 1C80',
      raw: `##0101${SEG_A}1C81`,
    });
    expect(okSegments(frames)).toEqual([SEG_B]);
  });

  it('rejects a CRC field that is not hex', () => {
    expect(reasons(decodeAll(`##0101${SEG_A}1CXG\r\n`))).toEqual(['bad-crc']);
  });

  it('recognises CRC-16/MODBUS printed low byte first', () => {
    const frames = decodeAll(`##0101${SEG_A}${modbusCrcLowFirstHex(SEG_A)}\r\n`);
    expect(frames).toHaveLength(1);
    expect(frames[0]).toMatchObject({ ok: false, reason: 'modbus-crc' });
  });

  it('compares the CRC case-insensitively and reports it upper case', () => {
    const frames = decodeAll(`##0101${SEG_A}1c80\r\n`);
    expect(frames).toEqual([{ ok: true, segment: SEG_A, crc: '1C80', raw: `##0101${SEG_A}1c80` }]);
  });

  it('counts Chinese text in UTF-8 bytes and rejects a length counted in characters', () => {
    const segment = 'QN=20240101000000000;ST=32;CN=3020;PW=123456;MN=A1;Flag=4;CP=&&PolId=w01018;i13004-Info=化学需氧量在线监测仪&&';
    const good = encodeFrame(segment);
    expect(okSegments(decodeAll(good, 1))).toEqual([segment]);

    const byChars = `##${String(segment.length).padStart(4, '0')}${segment}${good.slice(-6)}`;
    const frames = decodeAll(byChars + encodeFrame(SEG_B));
    expect(reasons(frames)[0]).toBe('bad-terminator');
    expect(okSegments(frames)).toEqual([SEG_B]);
  });

  it('recovers frames swallowed by an overstated length', () => {
    const overstated = `##0150${SEG_B}3240\r\n`;
    const frames = decodeAll(overstated + encodeFrame(SEG_A) + encodeFrame(SEG_C), 1);
    expect(reasons(frames)).toEqual(['bad-terminator']);
    expect(okSegments(frames)).toEqual([SEG_A, SEG_C]);
  });

  it('rejects a segment that is not UTF-8 even with a correct CRC', () => {
    const segment = Buffer.concat([Buffer.from('ST=32;CN=2011;PW=1;MN=2;CP=&&a='), Buffer.from([0xc4, 0xe3]), Buffer.from('&&')]);
    const crc = hj212Crc(segment).toString(16).toUpperCase().padStart(4, '0');
    const frame = Buffer.concat([Buffer.from(`##${String(segment.length).padStart(4, '0')}`), segment, Buffer.from(`${crc}\r\n`)]);
    expect(reasons(decodeAll(frame))).toEqual(['bad-encoding']);
  });

  describe('terminator tolerance', () => {
    const body = `##0101${SEG_A}1C80`;

    it('accepts a lone \\n or a lone \\r', () => {
      expect(okSegments(decodeAll(`${body}\n${body}\r${encodeFrame(SEG_B)}`))).toEqual([SEG_A, SEG_A, SEG_B]);
    });

    it('accepts no terminator when the next frame follows directly', () => {
      expect(decodeAll(body + body, 1).map((f) => f.ok)).toEqual([true, true]);
    });

    it('holds a frame without terminator until the stream ends', () => {
      const decoder = new FrameDecoder();
      expect(decoder.push(Buffer.from(body))).toEqual([]);
      expect(okSegments(decoder.end())).toEqual([SEG_A]);
    });

    it('rejects any other byte after the CRC', () => {
      const frames = decodeAll(`${body}X\r\n${encodeFrame(SEG_B)}`);
      expect(frames[0]).toMatchObject({ ok: false, reason: 'bad-terminator' });
      expect(okSegments(frames)).toEqual([SEG_B]);
    });
  });

  it('reports a frame cut short by the end of the stream', () => {
    const frames = decodeAll(encodeFrame(SEG_A).slice(0, 50));
    expect(frames).toEqual([{ ok: false, reason: 'bad-length', detail: 'stream ended inside a frame after 50 bytes', raw: encodeFrame(SEG_A).slice(0, 50) }]);
  });

  it('keeps working after a large run of garbage without ##', () => {
    const decoder = new FrameDecoder();
    for (let i = 0; i < 100; i++) expect(decoder.push(Buffer.alloc(10_000, 0x41))).toEqual([]);
    const frames = decoder.push(Buffer.from(encodeFrame(SEG_A)));
    expect(frames[0]).toMatchObject({ ok: false, reason: 'bad-header', detail: 'skipped 1000000 bytes outside any frame' });
    expect((frames[0] as { raw: string }).raw).toHaveLength(64);
    expect(okSegments(frames)).toEqual([SEG_A]);
  });

  it('refuses a limit the 4-digit length field cannot express', () => {
    expect(() => new FrameDecoder({ maxSegmentBytes: 10_000 })).toThrow(RangeError);
  });
});
