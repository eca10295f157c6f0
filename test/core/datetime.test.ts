import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseDateTime } from '../../src/graphql/scalars';
import { ENGINES, startTestHub, type EngineName, type TestHub } from '../support/hub';
import { createMonitor, ingest, setLimit } from '../support/monitoring';
import { buildDataUpload } from '../../src/ingest/hj212/encode';
import { encodeFrame } from '../../src/ingest/hj212/frame';
import { hj212GatewayRef } from '../../src/ingest/hj212/service';
import { RawDevice } from '../ingest/hj212/device-client';

const FIRST = Date.UTC(1000, 0, 1);
const LAST = Date.UTC(10000, 0, 1) - 1;

/** An instant written the way a client would: local time at some offset, seconds and fractions optional. */
const written = fc
  .record({
    ms: fc.integer({ min: FIRST + 14 * 3_600_000, max: LAST - 14 * 3_600_000 }),
    offsetMinutes: fc.integer({ min: -14 * 60, max: 14 * 60 }),
    precision: fc.constantFrom('minutes', 'seconds', 'millis'),
  })
  .map(({ ms, offsetMinutes, precision }) => {
    const truncated = precision === 'minutes' ? ms - (ms % 60_000) : precision === 'seconds' ? ms - (ms % 1000) : ms;
    const local = new Date(truncated + offsetMinutes * 60_000).toISOString().slice(0, precision === 'minutes' ? 16 : precision === 'seconds' ? 19 : 23);
    const sign = offsetMinutes < 0 ? '-' : '+';
    const abs = Math.abs(offsetMinutes);
    const offset = offsetMinutes === 0 ? 'Z' : `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
    return { text: `${local}${offset}`, ms: truncated };
  });

describe('DateTime input', () => {
  it('reads every real instant of the years 1000-9999 exactly, whatever its offset', () => {
    fc.assert(
      fc.property(written, ({ text, ms }) => {
        expect(parseDateTime(text).getTime()).toBe(ms);
      }),
      { numRuns: 5000 },
    );
  });

  it.each([
    ['a day February does not have', '2026-02-30T00:00:00Z', /not a real instant/],
    ['February 29th of a common year', '2026-02-29T08:00:00+08:00', /not a real instant/],
    ['month 13', '2026-13-01T00:00:00Z', /not a real instant/],
    ['day 0', '2026-01-00T00:00:00Z', /not a real instant/],
    ['hour 24', '2026-01-01T24:00:00Z', /not a real instant/],
    ['minute 60', '2026-01-01T23:60:00Z', /not a real instant/],
    ['second 60', '2026-01-01T23:59:60Z', /not a real instant/],
    ['an offset past 14 hours', '2026-01-01T00:00:00+15:00', /not a real instant/],
    ['the year 99', '0099-06-01T00:00:00Z', /outside the years 1000-9999/],
    ['the year 0', '0000-01-01T00:00:00Z', /outside the years 1000-9999/],
    ['the last second of 999', '0999-12-31T23:59:59Z', /outside the years 1000-9999/],
    ['the year 10000 in UTC', '9999-12-31T23:00:00-02:00', /outside the years 1000-9999/],
    ['no offset', '2026-01-01T00:00:00', /ISO 8601 string with a time zone offset/],
  ])('refuses %s', (_what, text, message) => {
    expect(() => parseDateTime(text)).toThrow(message);
  });

  it('takes February 29th of a leap year and the first and last instants of the range', () => {
    expect(parseDateTime('2028-02-29T00:00:00Z').toISOString()).toBe('2028-02-29T00:00:00.000Z');
    expect(parseDateTime('1000-01-01T00:00:00Z').getTime()).toBe(FIRST);
    expect(parseDateTime('9999-12-31T23:59:59.999Z').getTime()).toBe(LAST);
  });
});

describe.each(ENGINES)('DateTime values through the database (%s)', (engine) => {
  let th: TestHub;
  let admin: string;
  let monitor: string;

  beforeAll(async () => {
    // the readings reach back to the year 1000: a retention shorter than that (three years by
    // default) lets TimescaleDB's retention job drop them whenever it happens to run
    th = await startTestHub({ engine, env: { READINGS_RETENTION_DAYS: String(Math.ceil((Date.now() - FIRST) / 86_400_000) + 1) } });
    admin = await th.token({ roles: ['admin'] });
    monitor = await createMonitor(th, admin, { mn: 'TIME-W1' });
  });
  afterAll(() => th?.stop());

  it('stores readings of any accepted instant and reads them back unchanged', async () => {
    const now = Date.now();
    const instants = [
      ...new Set([
        FIRST,
        FIRST + 1,
        Date.UTC(1582, 9, 15),
        Date.UTC(1900, 1, 28, 23, 59, 59, 999),
        ...fc.sample(fc.integer({ min: FIRST, max: now - 60_000 }), { numRuns: 60, seed: 20260601 }),
      ]),
    ].sort((a, b) => a - b);
    const report = await ingest(
      th,
      admin,
      instants.map((ms, k) => ({ mn: 'TIME-W1', time: new Date(ms).toISOString(), value: k })),
    );
    expect(report).toMatchObject({ accepted: instants.length, rejected: 0 });
    const { body } = await th.graphql<{ readings: { points: { time: string; value: number }[] } }>(
      'query($m: ID!) { readings(monitor: $m, factor: "w01018", interval: RTD, from: "1000-01-01T00:00:00Z", to: "9999-12-31T23:59:59Z", limit: 1000) { points { time value } } }',
      { m: monitor },
      admin,
    );
    expect(body.data?.readings.points).toEqual(instants.map((ms, k) => ({ time: new Date(ms).toISOString(), value: k })));
  });

  it('keeps a limit valid from the first and from the last instant of the range as given', async () => {
    await setLimit(th, admin, { monitor, factor: 'w01018', upper: 10, validFrom: '1000-01-01T00:00:00Z' });
    await setLimit(th, admin, { monitor, factor: 'w01018', upper: 20, validFrom: '9999-12-31T23:59:59.999Z' });
    const { body } = await th.graphql<{ monitor: { limits: { upper: number; validFrom: string; validTo: string | null }[] } }>(
      'query($id: ID) { monitor(id: $id) { limits { upper validFrom validTo } } }',
      { id: monitor },
      admin,
    );
    expect(body.data?.monitor.limits).toEqual([
      { upper: 20, validFrom: '9999-12-31T23:59:59.999Z', validTo: null },
      { upper: 10, validFrom: '1000-01-01T00:00:00.000Z', validTo: '9999-12-31T23:59:59.999Z' },
    ]);
  });

  it('stores nothing a device stamps before the year 1000 over HJ 212 (it would read back as 1999)', async () => {
    const id = await createMonitor(th, admin, { mn: 'TIME-HJ1', password: '123456' });
    const dataTime = new Date(0);
    dataTime.setUTCFullYear(99, 5, 1);
    const device = await RawDevice.connect(th.hub.services.get(hj212GatewayRef).port as number);
    try {
      device.write(
        encodeFrame(
          buildDataUpload({
            qn: '20260601080000001',
            st: '32',
            cn: '2011',
            pw: '123456',
            mn: 'TIME-HJ1',
            dataTime,
            items: [{ code: 'w01018', values: { Rtd: 7 }, flag: 'N' }],
          }),
        ),
      );
      await device.next();
    } finally {
      device.close();
    }
    // the newest value of each series, whatever its time: a year-99 row would show here (as 1999)
    const { body } = await th.graphql<{ latestReadings: unknown[] }>('query($m: [ID!]!) { latestReadings(monitors: $m) { time value } }', { m: [id] }, admin);
    expect(body.data?.latestReadings).toEqual([]);
  });

  it('refuses impossible dates and years it could not read back', async () => {
    for (const time of ['2026-02-30T00:00:00Z', '0099-06-01T00:00:00Z', '0001-01-01T00:00:00Z', '2026-01-01T24:00:00Z']) {
      const { status, body } = await th.graphql(
        'mutation($r: [ReadingInput!]!) { ingestReadings(readings: $r) { __typename } }',
        { r: [{ mn: 'TIME-W1', factor: 'w01018', interval: 'RTD', time, value: 1 }] },
        admin,
      );
      // a variable of the wrong shape: the request itself is refused (GraphQL over HTTP: 400)
      expect(status, time).toBe(400);
      expect(body.errors?.[0]?.extensions?.code, time).toBe('BAD_USER_INPUT');
      expect(body.errors?.[0]?.message, time).toMatch(/not a real instant|outside the years 1000-9999/);
    }
  });
});
