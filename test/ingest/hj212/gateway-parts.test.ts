import { describe, expect, it } from 'vitest';
import type { IngestResult, ReadingInput } from '../../../src/monitoring/public';
import { hashDevicePassword } from '../../../src/monitoring/password';
import { DeviceAuthenticator, type MonitorLookup } from '../../../src/ingest/hj212/auth';
import { IngestBatcher } from '../../../src/ingest/hj212/batcher';
import { TokenBucket } from '../../../src/ingest/hj212/counters';
import { parseSegment, type Hj212Message } from '../../../src/ingest/hj212/message';
import { facilityStatusOf, readingsOf, restartTimeOf } from '../../../src/ingest/hj212/readings';
import { commandOf } from '../../../src/ingest/hj212/service';
import { SplitIntake } from '../../../src/ingest/hj212/splits';
import { ValidationError } from '../../../src/errors';

function message(segment: string): Hj212Message {
  const parsed = parseSegment(segment);
  if (!parsed.ok) throw new Error(parsed.detail);
  return parsed.message;
}

describe('readingsOf', () => {
  it('maps real-time values, converted values and flags; 2005 codes become 2017 codes', () => {
    const m = message(
      'QN=1;ST=31;CN=2011;PW=1;MN=A;Flag=5;CP=&&DataTime=20240501080000;a21026-Rtd=20,a21026-ZsRtd=24.5,a21026-Flag=N;011-Rtd=33;zz-Rtd=--;a34013-ZsRtd=3,a34013-Flag=T&&',
    );
    expect(readingsOf(m, 7, 'RTD')).toEqual({
      ok: true,
      readings: [
        { monitorId: 7, factor: 'a21026', interval: 'RTD', time: new Date('2024-05-01T00:00:00Z'), value: 20, converted: 24.5, flag: 'N' },
        { monitorId: 7, factor: 'w01018', interval: 'RTD', time: new Date('2024-05-01T00:00:00Z'), value: 33, converted: null, flag: null },
        { monitorId: 7, factor: 'a34013', interval: 'RTD', time: new Date('2024-05-01T00:00:00Z'), value: null, converted: 3, flag: 'T' },
      ],
      unmapped: ['zz'],
    });
  });

  it('takes -Avg and -ZsAvg for period data, never -Rtd', () => {
    const m = message('ST=32;CN=2061;PW=1;MN=A;Flag=5;CP=&&DataTime=20240501070000;w01018-Avg=40,w01018-Max=50,w01018-Rtd=99;w21003-Rtd=1&&');
    const mapped = readingsOf(m, 1, 'HOUR');
    expect(mapped.ok && mapped.readings.map((r) => [r.factor, r.value, r.time.toISOString()])).toEqual([['w01018', 40, '2024-04-30T23:00:00.000Z']]);
    expect(mapped.ok && mapped.unmapped).toEqual(['w21003']);
  });

  it('keeps a period’s -Min, -Max and -Cou with its reading, and an item with only -Cou', () => {
    const m = message(
      'ST=32;CN=2031;PW=1;MN=A;Flag=5;CP=&&DataTime=20240501000000;w01018-Avg=40,w01018-Min=12.5,w01018-Max=61,w01018-Cou=3.25;w00000-Cou=1520&&',
    );
    const mapped = readingsOf(m, 1, 'DAY');
    expect(mapped).toEqual({
      ok: true,
      readings: [
        {
          monitorId: 1,
          factor: 'w01018',
          interval: 'DAY',
          time: new Date('2024-04-30T16:00:00Z'),
          value: 40,
          converted: null,
          flag: null,
          min: 12.5,
          max: 61,
          cou: 3.25,
        },
        {
          monitorId: 1,
          factor: 'w00000',
          interval: 'DAY',
          time: new Date('2024-04-30T16:00:00Z'),
          value: null,
          converted: null,
          flag: null,
          min: null,
          max: null,
          cou: 1520,
        },
      ],
      unmapped: [],
    });
  });

  it('refuses data without DataTime', () => {
    expect(readingsOf(message('ST=32;CN=2011;PW=1;MN=A;CP=&&w01018-Rtd=1&&'), 1, 'RTD')).toEqual({ ok: false, reason: 'missing-datatime' });
  });

  it('reads facility status and restart time', () => {
    expect(facilityStatusOf(message('ST=32;CN=2021;PW=1;MN=A;CP=&&DataTime=20240501080000;SB1-RS=4;SB2-RS=9&&'))).toEqual({
      time: '2024-05-01T00:00:00.000Z',
      facilities: [
        { id: 'SB1', runStatus: 4, runStatusText: 'alarm', runHours: null },
        { id: 'SB2', runStatus: 9, runStatusText: 'unknown', runHours: null },
      ],
    });
    expect(restartTimeOf(message('ST=32;CN=2081;PW=1;MN=A;CP=&&DataTime=20240501080000;RestartTime=20240501075959&&'))?.toISOString()).toBe(
      '2024-04-30T23:59:59.000Z',
    );
    expect(restartTimeOf(message('ST=32;CN=2081;PW=1;MN=A;CP=&&DataTime=20240501080000&&'))?.toISOString()).toBe('2024-05-01T00:00:00.000Z');
  });
});

describe('TokenBucket', () => {
  it('allows a burst of the rate, then one frame per 1/rate seconds', () => {
    let now = 0;
    const bucket = new TokenBucket(4, () => now);
    expect([1, 2, 3, 4, 5].map(() => bucket.take())).toEqual([true, true, true, true, false]);
    now += 250;
    expect([bucket.take(), bucket.take()]).toEqual([true, false]);
    now += 10_000;
    expect([1, 2, 3, 4, 5].map(() => bucket.take())).toEqual([true, true, true, true, false]);
  });
});

describe('IngestBatcher', () => {
  const reading = (factor: string): ReadingInput => ({ monitorId: 1, factor, interval: 'RTD', time: new Date(0), value: 1 });

  it('writes frames that queue behind a running batch as one batch, and tells each frame its own outcome', async () => {
    const calls: string[][] = [];
    let release: () => void = () => {};
    let started: () => void = () => {};
    const firstStarted = new Promise<void>((resolve) => (started = resolve));
    const batcher = new IngestBatcher(
      async (items) => {
        calls.push(items.map((i) => i.factor));
        if (calls.length === 1) {
          started();
          await new Promise<void>((resolve) => (release = resolve));
        }
        const outcome = (f: string) => (f.startsWith('dup') ? 'DUPLICATE' : f.startsWith('bad') ? 'REJECTED' : 'ACCEPTED');
        return {
          accepted: 0,
          duplicates: 0,
          rejected: 0,
          opened: 0,
          items: items.map((i, index) => ({
            index,
            outcome: outcome(i.factor),
            ...(outcome(i.factor) === 'REJECTED' ? { reason: 'time is in the future' } : {}),
          })),
        } as IngestResult;
      },
      { maxItems: 3, maxInFlight: 1 },
    );
    const first = batcher.submit([reading('a')]);
    await firstStarted;
    const second = batcher.submit([reading('b'), reading('dup1')]);
    const third = batcher.submit([reading('bad1')]);
    const fourth = batcher.submit([reading('c'), reading('d')]);
    release();
    expect(await first).toEqual({ accepted: 1, duplicates: 0, rejected: 0, reasons: [] });
    expect(await second).toEqual({ accepted: 1, duplicates: 1, rejected: 0, reasons: [] });
    expect(await third).toEqual({ accepted: 0, duplicates: 0, rejected: 1, reasons: ['time is in the future'] });
    expect(await fourth).toEqual({ accepted: 2, duplicates: 0, rejected: 0, reasons: [] });
    expect(calls).toEqual([['a'], ['b', 'dup1', 'bad1'], ['c', 'd']]);
    await batcher.idle();
  });

  it('gathers frames submitted in the same turn of the event loop into one batch', async () => {
    const calls: number[] = [];
    const batcher = new IngestBatcher(
      async (items) => {
        calls.push(items.length);
        return { accepted: items.length, duplicates: 0, rejected: 0, opened: 0, items: items.map((_, index) => ({ index, outcome: 'ACCEPTED' as const })) };
      },
      { maxItems: 100, maxInFlight: 1 },
    );
    const outcomes = await Promise.all([batcher.submit([reading('a')]), batcher.submit([reading('b'), reading('c')]), batcher.submit([reading('d')])]);
    expect(outcomes.map((o) => o.accepted)).toEqual([1, 2, 1]);
    expect(calls).toEqual([4]);
  });

  it('fails every frame of a batch that could not be written', async () => {
    const batcher = new IngestBatcher(async () => Promise.reject(new Error('database down')), { maxItems: 10, maxInFlight: 1 });
    await expect(batcher.submit([reading('a')])).rejects.toThrow('database down');
    await expect(batcher.idle()).resolves.toBeUndefined();
  });
});

describe('DeviceAuthenticator', () => {
  it('checks the password once per MN and PW, again after a change notice, and tells unknown MN from wrong PW', async () => {
    const hash = await hashDevicePassword('123456');
    const lookups: string[] = [];
    const lookup: MonitorLookup = async (mn) => {
      lookups.push(mn);
      if (mn !== 'A1') return undefined;
      return { id: 3, mn: 'A1', kind: 'WASTEWATER_OUTLET', passwordHash: hash } as Awaited<ReturnType<MonitorLookup>>;
    };
    const auth = new DeviceAuthenticator(lookup, { ttlMs: 60_000 });
    const [a, b] = await Promise.all([auth.verify('A1', '123456'), auth.verify('A1', '123456')]);
    expect(a).toEqual({ ok: true, device: { monitorId: 3, mn: 'A1', kind: 'WASTEWATER_OUTLET' } });
    expect(b).toEqual(a);
    expect(await auth.verify('A1', '123456')).toEqual(a);
    expect(lookups).toEqual(['A1']);
    expect(await auth.verify('A1', 'wrong')).toEqual({ ok: false, reason: 'bad-pw' });
    expect(await auth.verify('B2', '123456')).toEqual({ ok: false, reason: 'unknown-mn' });
    auth.forget('A1');
    expect(await auth.verify('A1', '123456')).toEqual(a);
    expect(lookups).toEqual(['A1', 'A1', 'B2', 'A1']);
  });
});

describe('SplitIntake', () => {
  const packet = (pno: number, qn: string) =>
    message(`QN=${qn};ST=32;CN=2061;PW=1;MN=A;Flag=7;PNUM=2;PNO=${pno};CP=&&DataTime=20240501070000;w0101${pno}-Avg=1&&`);

  it('acknowledges a held packet at once and the completing one only when stored; a failed store is retried by the resend', async () => {
    const intake = new SplitIntake({ timeoutMs: 60_000, maxPending: 10 });
    const stores: number[] = [];
    let succeed = false;
    const store = async (m: Hj212Message) => {
      stores.push(m.items.length);
      return succeed;
    };
    expect(await intake.receive(packet(1, '1'), store)).toEqual({ acknowledge: true, held: true, completed: false, dropped: [] });
    expect(await intake.receive(packet(1, '1'), store)).toEqual({ acknowledge: true, held: false, completed: false, dropped: [] });
    expect(await intake.receive(packet(2, '2'), store)).toEqual({ acknowledge: false, held: false, completed: true, dropped: [] });
    succeed = true;
    expect(await intake.receive(packet(2, '2'), store)).toEqual({ acknowledge: true, held: false, completed: false, dropped: [] });
    expect(await intake.receive(packet(2, '2'), store)).toEqual({ acknowledge: true, held: false, completed: false, dropped: [] });
    expect(stores).toEqual([2, 2]);
  });
});

describe('commandOf', () => {
  const now = new Date('2024-05-01T00:00:00Z');
  it('builds the command a request names', () => {
    expect(commandOf({ kind: 'SET_TIME' }, now, 15)).toEqual({ command: { cn: '1012', systemTime: now }, timeoutMs: 15_000 });
    expect(commandOf({ kind: 'SET_RTD_INTERVAL', rtdIntervalSeconds: 30, timeoutSeconds: 5 }, now, 15)).toEqual({
      command: { cn: '1062', rtdIntervalSeconds: 30 },
      timeoutMs: 5000,
    });
    expect(commandOf({ kind: 'GET_TIME', polId: 'w01018' }, now, 15).command).toEqual({ cn: '1011', polId: 'w01018' });
    // without a timeout of its own a command waits the configured one
    expect(commandOf({ kind: 'GET_TIME' }, now, 3).timeoutMs).toBe(3000);
  });
  it('refuses what a device could not be sent', () => {
    expect(() => commandOf({ kind: 'SET_RTD_INTERVAL', rtdIntervalSeconds: 0 }, now, 15)).toThrow(ValidationError);
    expect(() => commandOf({ kind: 'GET_TIME', polId: 'a;b' }, now, 15)).toThrow('command.polId');
    expect(() => commandOf({ kind: 'GET_TIME', timeoutSeconds: 600 }, now, 15)).toThrow('command.timeoutSeconds');
  });
});
