import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diagnoseFrame } from '../../../src/ingest/hj212/diagnose';
import type { DataUpload, UploadItem } from '../../../src/ingest/hj212/encode';
import { buildDataUpload, formatHj212Number } from '../../../src/ingest/hj212/encode';
import type { DecodedFrame } from '../../../src/ingest/hj212/frame';
import { encodeFrame, FrameDecoder } from '../../../src/ingest/hj212/frame';
import { HJ212_VALUE_KINDS, parseSegment } from '../../../src/ingest/hj212/message';
import { canonicalFactorCode, lookupFactor } from '../../../src/monitoring/factors';

// Latin, digits, Chinese and a character outside the BMP (4 UTF-8 bytes).
const ALPHABET = Array.from('abcXYZ0189-_站点监测化学需氧量污水处理厂𠀀');
const text = (min: number, max: number) => fc.array(fc.constantFrom(...ALPHABET), { minLength: min, maxLength: max }).map((chars) => chars.join(''));

const CODES = ['w01018', 'w21003', '011', 'B01', 'a21026', '02', 'a34004', 'a05024', 'x99001', 'zz9'];

// What devices send: a few digits with up to six decimals. Extreme doubles get their own property.
const value = fc.tuple(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 6 })).map(([n, decimals]) => n / 10 ** decimals + 0);

const item = (code: string): fc.Arbitrary<UploadItem> =>
  fc.record(
    {
      code: fc.constant(code),
      values: fc.dictionary(fc.constantFrom(...HJ212_VALUE_KINDS), value, { minKeys: 1, maxKeys: 4 }),
      flag: fc.constantFrom('N', 'F', 'M', 'S', 'D', 'C', 'T', 'B'),
      eflag: text(1, 6),
      sampleTime: fc.constant('20240101000000'),
    },
    { requiredKeys: ['code', 'values'] },
  );

const upload: fc.Arbitrary<DataUpload> = fc
  .record({
    qn: fc.option(fc.stringMatching(/^\d{17}$/), { nil: undefined }),
    st: fc.constantFrom('21', '22', '31', '32', '101'),
    cn: fc.constantFrom('2011', '2051', '2061', '2031'),
    pw: text(0, 8),
    mn: text(1, 24),
    flag: fc.constantFrom(0, 1, 4, 5, 8, 9),
    seconds: fc.integer({ min: 946_684_800, max: 4_102_444_799 }),
    codes: fc.uniqueArray(fc.constantFrom(...CODES), { maxLength: 6 }),
    facilities: fc.uniqueArray(fc.record({ id: fc.constantFrom('SB1', 'SB2', 'SB3'), runStatus: fc.integer({ min: 0, max: 5 }), runHours: fc.nat(10_000) }), {
      selector: (f) => f.id,
      maxLength: 3,
    }),
  })
  .chain(({ seconds, codes, qn, ...rest }) =>
    fc.tuple(...codes.map(item)).map((items) => {
      const result: DataUpload = { ...rest, dataTime: new Date(seconds * 1000), items };
      if (qn !== undefined) result.qn = qn;
      return result;
    }),
  );

function decodeChunked(bytes: Uint8Array, cuts: number[]): DecodedFrame[] {
  const decoder = new FrameDecoder();
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: DecodedFrame[] = [];
  let last = 0;
  for (const point of [...points, bytes.length]) {
    out.push(...decoder.push(bytes.subarray(last, point)));
    last = point;
  }
  out.push(...decoder.end());
  return out;
}

/** An accepted frame must be exactly what encoding its segment produces. */
function expectSelfConsistent(frames: DecodedFrame[]): void {
  for (const frame of frames) {
    if (!frame.ok) continue;
    expect(frame.raw.slice(-4).toUpperCase()).toBe(frame.crc);
    expect(encodeFrame(frame.segment)).toBe(`${frame.raw.slice(0, -4)}${frame.crc}\r\n`);
    expect(() => parseSegment(frame.segment)).not.toThrow();
  }
}

describe('HJ 212 round trip', () => {
  it('encode -> frame -> decode -> parse gives back the message, however the stream is cut', () => {
    fc.assert(
      fc.property(upload, fc.array(fc.nat(), { maxLength: 8 }), (msg, cuts) => {
        const segment = buildDataUpload(msg);
        const frames = decodeChunked(Buffer.from(encodeFrame(segment) + encodeFrame(segment), 'utf8'), cuts);
        expect(frames.map((f) => f.ok && f.segment)).toEqual([segment, segment]);

        const parsed = parseSegment(segment);
        if (!parsed.ok) throw new Error(parsed.detail);
        const m = parsed.message;
        expect(m.qn).toBe(msg.qn);
        expect([m.st, m.cn, m.pw, m.mn, m.flag]).toEqual([msg.st, msg.cn, msg.pw, msg.mn, msg.flag]);
        expect(m.ackRequested).toBe(((msg.flag ?? 0) & 1) === 1);
        expect(m.dataTime?.getTime()).toBe(msg.dataTime?.getTime());
        expect(m.items).toEqual(
          msg.items.map((i) => ({
            ...i,
            factor: canonicalFactorCode(i.code),
            known: lookupFactor(i.code) !== undefined,
          })),
        );
        expect(m.facilities).toEqual(msg.facilities);
        expect(m.unknownKeys).toEqual({});
      }),
    );
  });

  it('writes any finite number in plain decimal that parses back to the same number', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (v) => {
        const written = formatHj212Number(v);
        expect(written).toMatch(/^-?\d+(\.\d+)?$/);
        expect(Number(written)).toBe(v + 0);
      }),
    );
  });
});

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), byte: fc.constantFrom(0x23, 0x0d, 0x0a, 0x30, 0x3b, 0xe4, 0x41) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), byte: fc.constant(0) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat(), byte: fc.constant(0) }),
);

function mutate(bytes: Buffer, mutations: { kind: string; at: number; byte: number }[]): Buffer {
  let out = Buffer.from(bytes);
  for (const { kind, at, byte } of mutations) {
    const i = out.length === 0 ? 0 : at % out.length;
    if (kind === 'flip') out[i] = byte;
    else if (kind === 'insert') out = Buffer.concat([out.subarray(0, i), Buffer.from([byte]), out.subarray(i)]);
    else if (kind === 'delete') out = Buffer.concat([out.subarray(0, i), out.subarray(i + 1)]);
    else out = out.subarray(0, i);
  }
  return out;
}

describe('HJ 212 decoder robustness', () => {
  it('never throws on mutated frames, and what it accepts re-encodes to itself', () => {
    fc.assert(
      fc.property(upload, fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.array(fc.nat(), { maxLength: 6 }), (msg, mutations, cuts) => {
        const frame = Buffer.from(encodeFrame(buildDataUpload(msg)) + encodeFrame('ST=91;CN=9014;PW=1;MN=2;CP=&&&&'), 'utf8');
        const bytes = mutate(frame, mutations);
        const whole = decodeChunked(bytes, []);
        expectSelfConsistent(whole);
        expect(decodeChunked(bytes, cuts)).toEqual(whole);
        expect(() => diagnoseFrame(bytes.toString('utf8'))).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on random bytes or frame-like noise', () => {
    const noise = fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      fc
        .array(fc.oneof(fc.constantFrom('##', '#', '0101', '0087', '\r\n', 'CP=&&', '&&', '3240', '站'), fc.string({ maxLength: 8 })), {
          maxLength: 40,
        })
        .map((parts) => new Uint8Array(Buffer.from(parts.join(''), 'utf8'))),
    );
    fc.assert(
      fc.property(noise, fc.array(fc.nat(), { maxLength: 6 }), (bytes, cuts) => {
        const whole = decodeChunked(bytes, []);
        expectSelfConsistent(whole);
        expect(decodeChunked(bytes, cuts)).toEqual(whole);
        const asText = Buffer.from(bytes).toString('utf8');
        expect(() => parseSegment(asText)).not.toThrow();
        expect(() => diagnoseFrame(asText)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});
