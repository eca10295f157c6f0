import { describe, expect, it } from 'vitest';
import type { Hj212Message } from '../../../src/ingest/hj212/message';
import { parseSegment } from '../../../src/ingest/hj212/message';
import { SplitAssembler, splitKey } from '../../../src/ingest/hj212/split';

function packet(pno: number, pnum: number, cp: string, opts: { mn?: string; dataTime?: string; qn?: string } = {}): Hj212Message {
  const { mn = 'A1', dataTime = '20240101080000', qn = `2024010108000000${pno}` } = opts;
  const result = parseSegment(`QN=${qn};ST=32;CN=2061;PW=1;MN=${mn};Flag=7;PNUM=${pnum};PNO=${pno};CP=&&DataTime=${dataTime};${cp}&&`);
  if (!result.ok) throw new Error(result.detail);
  return result.message;
}

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

const P1 = 'w01018-Avg=50,w01018-Flag=N';
const P2 = 'w21003-Avg=1.5,w21003-Flag=N';
const P3 = 'w21011-Avg=0.3;SB1-RS=1';

describe('SplitAssembler', () => {
  it('passes an unsplit message straight through', () => {
    const assembler = new SplitAssembler({ timeoutMs: 60_000, maxPending: 4 });
    const m = parseSegment('QN=1;ST=32;CN=2011;PW=1;MN=A1;Flag=5;CP=&&w01018-Rtd=1&&');
    if (!m.ok) throw new Error(m.detail);
    expect(assembler.add(m.message)).toEqual({ complete: m.message, pending: false });
    expect(assembler.pendingCount).toBe(0);
  });

  it('reassembles packets that arrive in order', () => {
    const assembler = new SplitAssembler({ timeoutMs: 60_000, maxPending: 4, now: clock().now });
    expect(assembler.add(packet(1, 3, P1))).toEqual({ pending: true });
    expect(assembler.add(packet(2, 3, P2))).toEqual({ pending: true });
    const done = assembler.add(packet(3, 3, P3));
    expect(done.pending).toBe(false);
    const m = done.complete!;
    expect(m.qn).toBe('20240101080000001');
    expect(m.split).toBeUndefined();
    expect(m.items.map((i) => [i.factor, i.values.Avg])).toEqual([
      ['w01018', 50],
      ['w21003', 1.5],
      ['w21011', 0.3],
    ]);
    expect(m.facilities).toEqual([{ id: 'SB1', runStatus: 1 }]);
    expect(m.cpFields).toEqual({ DataTime: '20240101080000' });
    expect(m.dataTime?.toISOString()).toBe('2024-01-01T00:00:00.000Z');
    expect(m.cp).toBe(`DataTime=20240101080000;${P1};DataTime=20240101080000;${P2};DataTime=20240101080000;${P3}`);
    expect(assembler.pendingCount).toBe(0);
  });

  it('puts packets that arrive out of order back in PNO order', () => {
    const assembler = new SplitAssembler({ timeoutMs: 60_000, maxPending: 4, now: clock().now });
    expect(assembler.add(packet(3, 3, P3)).pending).toBe(true);
    expect(assembler.add(packet(1, 3, P1)).pending).toBe(true);
    const m = assembler.add(packet(2, 3, P2)).complete!;
    expect(m.items.map((i) => i.code)).toEqual(['w01018', 'w21003', 'w21011']);
    expect(m.qn).toBe('20240101080000001');
  });

  it('merges values of one factor spread over two packets', () => {
    const assembler = new SplitAssembler({ timeoutMs: 60_000, maxPending: 4, now: clock().now });
    assembler.add(packet(1, 2, 'w01018-Avg=50,w01018-Min=40'));
    const m = assembler.add(packet(2, 2, 'w01018-Max=60,w01018-Flag=N')).complete!;
    expect(m.items).toEqual([{ code: 'w01018', factor: 'w01018', known: true, values: { Avg: 50, Min: 40, Max: 60 }, flag: 'N' }]);
  });

  it('keeps packets of different records apart', () => {
    const assembler = new SplitAssembler({ timeoutMs: 60_000, maxPending: 4, now: clock().now });
    assembler.add(packet(1, 2, P1, { dataTime: '20240101080000' }));
    assembler.add(packet(1, 2, P1, { dataTime: '20240101090000' }));
    assembler.add(packet(1, 2, P1, { mn: 'B2' }));
    expect(assembler.pendingCount).toBe(3);
    const m = assembler.add(packet(2, 2, P2, { dataTime: '20240101090000' })).complete!;
    expect(m.cpFields.DataTime).toBe('20240101090000');
    expect(assembler.pendingCount).toBe(2);
  });

  it('ignores a resent packet, and packets of a message just completed', () => {
    const time = clock();
    const assembler = new SplitAssembler({ timeoutMs: 60_000, maxPending: 4, now: time.now });
    assembler.add(packet(1, 2, P1));
    expect(assembler.add(packet(1, 2, 'w01018-Avg=99'))).toEqual({ pending: true, duplicate: true });
    const m = assembler.add(packet(2, 2, P2)).complete!;
    expect(m.items[0]?.values.Avg).toBe(50);
    expect(assembler.add(packet(2, 2, P2))).toEqual({ pending: false, duplicate: true });
    expect(assembler.pendingCount).toBe(0);

    time.advance(60_000);
    assembler.expire();
    expect(assembler.add(packet(1, 2, P1))).toEqual({ pending: true });
  });

  it('expires an incomplete message after the timeout since its last packet', () => {
    const time = clock();
    const assembler = new SplitAssembler({ timeoutMs: 30_000, maxPending: 4, now: time.now });
    assembler.add(packet(1, 3, P1));
    time.advance(20_000);
    assembler.add(packet(2, 3, P2));
    time.advance(20_000);
    expect(assembler.expire()).toEqual([]);
    time.advance(10_000);
    expect(assembler.expire()).toEqual([{ key: splitKey(packet(1, 3, P1)), received: 2, total: 3 }]);
    expect(assembler.pendingCount).toBe(0);
    // The missing packet arriving late opens a new entry instead of completing the old one.
    expect(assembler.add(packet(3, 3, P3))).toEqual({ pending: true });
  });

  it('keys by MN, CN, DataTime and PNUM, never by QN', () => {
    expect(splitKey(packet(1, 3, P1, { qn: '1' }))).toBe(splitKey(packet(2, 3, P2, { qn: '2' })));
    expect(splitKey(packet(1, 3, P1))).toBe('["A1","2061","20240101080000",3]');
  });

  it('bounds the number of pending messages, evicting the oldest', () => {
    const time = clock();
    const assembler = new SplitAssembler({ timeoutMs: 60_000, maxPending: 2, now: time.now });
    assembler.add(packet(1, 2, P1, { mn: 'M1' }));
    time.advance(1);
    assembler.add(packet(1, 2, P1, { mn: 'M2' }));
    time.advance(1);
    const third = assembler.add(packet(1, 2, P1, { mn: 'M3' }));
    expect(third.pending).toBe(true);
    expect(third.evicted).toEqual([{ key: splitKey(packet(1, 2, P1, { mn: 'M1' })), received: 1, total: 2 }]);
    expect(assembler.pendingCount).toBe(2);
    expect(assembler.add(packet(2, 2, P2, { mn: 'M1' })).complete).toBeUndefined();
    expect(assembler.add(packet(2, 2, P2, { mn: 'M3' })).complete?.mn).toBe('M3');
  });

  it('bounds the number of held packets', () => {
    const time = clock();
    const assembler = new SplitAssembler({ timeoutMs: 60_000, maxPending: 10, maxPackets: 3, now: time.now });
    assembler.add(packet(1, 3, P1, { mn: 'M1' }));
    assembler.add(packet(2, 3, P2, { mn: 'M1' }));
    time.advance(1);
    assembler.add(packet(1, 3, P1, { mn: 'M2' }));
    time.advance(1);
    const result = assembler.add(packet(2, 3, P2, { mn: 'M2' }));
    expect(result).toEqual({ pending: true, evicted: [{ key: splitKey(packet(1, 3, P1, { mn: 'M1' })), received: 2, total: 3 }] });
    expect(assembler.pendingCount).toBe(1);
  });

  it('rejects options that would leave memory unbounded', () => {
    expect(() => new SplitAssembler({ timeoutMs: 0, maxPending: 1 })).toThrow(RangeError);
    expect(() => new SplitAssembler({ timeoutMs: 1000, maxPending: 0 })).toThrow(RangeError);
  });
});
