import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createServerDatabase, startTestHub, type TestHub } from '../support/hub';
import { createMonitor, ingest } from '../support/monitoring';
import { holdScheduledJobs } from '../support/timescale';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const STEP = 30 * 60_000;
/** Asia/Shanghai: daily buckets start at local midnight */
const SHANGHAI = 8 * HOUR;
/** the readings run from 56 days ago to yesterday, every 30 minutes: past the 42 days kept raw */
const END = Math.floor(Date.now() / HOUR) * HOUR - DAY;
const START = END - 55 * DAY;
const INVALID_FLAG_EVERY = 10;

type Reading = { time: number; value: number; flag: string };
const READINGS: Reading[] = [];
for (let time = START, i = 0; time <= END; time += STEP, i += 1) {
  READINGS.push({ time, value: 20 + (i % 48) * 0.5, flag: i % INVALID_FLAG_EVERY === 0 ? 'D' : 'N' });
}

type Bucket = { time: string; avg: number | null; count: number; validCount: number };

/** What a bucket of [from, from + width) must say, from the readings themselves. */
function expectedBucket(rows: readonly Reading[], from: number, width: number): Bucket {
  const inside = rows.filter((r) => r.time >= from && r.time < from + width);
  const valid = inside.filter((r) => r.flag !== 'D');
  const avg = valid.length ? valid.reduce((sum, r) => sum + r.value, 0) / valid.length : null;
  return { time: new Date(from).toISOString(), avg, count: inside.length, validCount: valid.length };
}

const dayStart = (time: number): number => Math.floor((time + SHANGHAI) / DAY) * DAY - SHANGHAI;

/**
 * The production path's own machinery, verified on a TimescaleDB server: the readings hypertable
 * with its continuous aggregates, compression and retention policies, each job run as the server's
 * scheduler would run it (CALL run_job), and every read answered the same before and after.
 */
describe('continuous aggregates, compression and retention (timescaledb)', () => {
  let database: { url: string; drop: () => Promise<void> };
  let th: TestHub;
  let admin: string;
  let monitor: string;
  let sql: postgres.Sql;

  const jobOf = async (procName: string, view?: string): Promise<number> => {
    const rows = await sql<{ job_id: number }[]>`
      SELECT job_id FROM timescaledb_information.jobs
       WHERE proc_name = ${procName}
         AND (${view ?? null}::text IS NULL OR hypertable_name = ${view ?? null}
              OR hypertable_name = (SELECT materialization_hypertable_name FROM timescaledb_information.continuous_aggregates WHERE view_name = ${view ?? null}))`;
    expect(rows, `one ${procName} job${view ? ` for ${view}` : ''}`).toHaveLength(1);
    return rows[0]?.job_id as number;
  };
  const runJob = async (procName: string, view?: string): Promise<void> => {
    await sql.unsafe(`CALL run_job(${await jobOf(procName, view)})`);
  };

  const raw = async (from: number, to: number) => {
    const { body } = await th.graphql<{ readings: { points: { time: string; value: number; flag: string }[] } }>(
      'query($m: ID!, $from: DateTime!, $to: DateTime!) { readings(monitor: $m, factor: "w01018", interval: RTD, from: $from, to: $to, limit: 5000) { points { time value flag } } }',
      { m: monitor, from: new Date(from).toISOString(), to: new Date(to).toISOString() },
      admin,
    );
    expect(body.errors).toBeUndefined();
    return body.data?.readings.points ?? [];
  };
  const buckets = async (bucket: 'HOUR' | 'DAY', from: number, to: number) => {
    const { body } = await th.graphql<{ readings: { source: string; buckets: Bucket[] } }>(
      'query($m: ID!, $from: DateTime!, $to: DateTime!, $b: Bucket) { readings(monitor: $m, factor: "w01018", interval: RTD, from: $from, to: $to, bucket: $b, limit: 5000) { source buckets { time avg count validCount } } }',
      { m: monitor, from: new Date(from).toISOString(), to: new Date(to).toISOString(), b: bucket },
      admin,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?.readings.source).toBe('continuous-aggregate');
    return (body.data?.readings.buckets ?? []).map((b) => ({ ...b, avg: b.avg === null ? null : Number(b.avg.toFixed(6)) }));
  };
  const rounded = (list: Bucket[]) => list.map((b) => ({ ...b, avg: b.avg === null ? null : Number(b.avg.toFixed(6)) }));

  /** One day in the middle of the compressed weeks, and the days the daily policy and the catch-up job keep. */
  const SAMPLE_DAY = dayStart(END - 20 * DAY);
  /** a reading that comes once its chunk is compressed */
  const LATE: Reading = { time: SAMPLE_DAY + 10 * HOUR + 15 * 60_000, value: 99, flag: 'N' };
  const KEPT_FROM = dayStart(END - 37 * DAY);
  const KEPT_TO = dayStart(END - DAY);
  const days = (from: number, to: number) => {
    const list: Bucket[] = [];
    for (let day = from; day < to; day += DAY) list.push(expectedBucket(READINGS, day, DAY));
    return rounded(list);
  };
  const hours = (rows: readonly Reading[], from: number) => rounded(Array.from({ length: 24 }, (_, h) => expectedBucket(rows, from + h * HOUR, HOUR)));

  beforeAll(async () => {
    database = await createServerDatabase('timescaledb');
    th = await startTestHub({ engine: 'timescaledb', databaseUrl: database.url, env: { READINGS_RETENTION_DAYS: '42', INTERRUPTION_CHECK_SECONDS: '86400' } });
    sql = postgres(database.url, { max: 1, onnotice: () => {} });
    // the server's own scheduler would run the policies whenever it likes; here each runs when
    // the test says, the way that scheduler runs it
    await holdScheduledJobs(sql);
    admin = await th.token({ roles: ['admin'] });
    monitor = await createMonitor(th, admin, { mn: 'TSDB-POLICY-1', intervalSeconds: 1800 });
    for (let i = 0; i < READINGS.length; i += 1000) {
      const batch = READINGS.slice(i, i + 1000);
      const report = await ingest(
        th,
        admin,
        batch.map((r) => ({ mn: 'TSDB-POLICY-1', time: new Date(r.time), value: r.value, flag: r.flag })),
      );
      expect(report.accepted).toBe(batch.length);
    }
  });
  afterAll(async () => {
    await sql?.end();
    await th?.stop();
    await database?.drop();
  });

  it('sets the retention policy from READINGS_RETENTION_DAYS and the catch-up job to the same horizon', async () => {
    const [retention] = await sql<{ drop_after: string }[]>`
      SELECT config->>'drop_after' AS drop_after FROM timescaledb_information.jobs WHERE proc_name = 'policy_retention'`;
    expect(retention?.drop_after).toBe('42 days');
    const [catchUp] = await sql<{ retain_days: number }[]>`
      SELECT (config->>'retain_days')::int AS retain_days FROM timescaledb_information.jobs WHERE proc_name = 'monitoring_refresh_late_readings'`;
    expect(catchUp?.retain_days).toBe(42);
  });

  it('brings weeks of readings that arrived at once into both aggregates, beyond the policies’ windows', async () => {
    await runJob('policy_refresh_continuous_aggregate', 'monitoring_readings_hourly');
    await runJob('policy_refresh_continuous_aggregate', 'monitoring_readings_daily');
    // the hourly policy looks back 3 days: the sample day, 20 days back, is the catch-up job's
    await runJob('monitoring_refresh_late_readings');
    expect(await buckets('HOUR', SAMPLE_DAY, SAMPLE_DAY + DAY)).toEqual(hours(READINGS, SAMPLE_DAY));
    expect(await buckets('DAY', KEPT_FROM, KEPT_TO)).toEqual(days(KEPT_FROM, KEPT_TO));
  });

  it('compresses the chunks past 7 days, and every read answers as before', async () => {
    const before = {
      raw: await raw(SAMPLE_DAY, SAMPLE_DAY + DAY),
      hourly: await buckets('HOUR', SAMPLE_DAY, SAMPLE_DAY + DAY),
      daily: await buckets('DAY', KEPT_FROM, KEPT_TO),
    };
    expect(before.raw).toHaveLength(48);
    await runJob('policy_compression');
    const chunks = await sql<{ compressed: boolean; range_end: Date }[]>`
      SELECT is_compressed AS compressed, range_end FROM timescaledb_information.chunks WHERE hypertable_name = 'monitoring_readings' ORDER BY range_start`;
    const old = chunks.filter((chunk) => chunk.range_end.getTime() < Date.now() - 7 * DAY);
    expect(old.length).toBeGreaterThanOrEqual(4);
    expect(old.every((chunk) => chunk.compressed)).toBe(true);
    expect(await raw(SAMPLE_DAY, SAMPLE_DAY + DAY)).toEqual(before.raw);
    expect(await buckets('HOUR', SAMPLE_DAY, SAMPLE_DAY + DAY)).toEqual(before.hourly);
    expect(await buckets('DAY', KEPT_FROM, KEPT_TO)).toEqual(before.daily);
  });

  it('stores a late reading for a compressed chunk, tells a resent one apart, and the aggregates take it in', async () => {
    const late = LATE;
    const first = await ingest(th, admin, [{ mn: 'TSDB-POLICY-1', time: new Date(late.time), value: late.value }]);
    expect(first).toMatchObject({ accepted: 1, duplicates: 0, rejected: 0 });
    const existing = READINGS.find((r) => r.time === SAMPLE_DAY + 10 * HOUR) as Reading;
    const again = await ingest(th, admin, [
      { mn: 'TSDB-POLICY-1', time: new Date(late.time), value: 1 },
      { mn: 'TSDB-POLICY-1', time: new Date(existing.time), value: 1 },
    ]);
    expect(again).toMatchObject({ accepted: 0, duplicates: 2, rejected: 0 });
    const points = await raw(SAMPLE_DAY + 10 * HOUR, SAMPLE_DAY + 11 * HOUR);
    expect(points.map((p) => [p.time, p.value])).toEqual([
      [new Date(existing.time).toISOString(), existing.value],
      [new Date(late.time).toISOString(), 99],
      [new Date(existing.time + STEP).toISOString(), (READINGS.find((r) => r.time === existing.time + STEP) as Reading).value],
    ]);
    await runJob('monitoring_refresh_late_readings');
    const withLate = [...READINGS, late];
    expect(await buckets('HOUR', SAMPLE_DAY, SAMPLE_DAY + DAY)).toEqual(hours(withLate, SAMPLE_DAY));
    const [daily] = await buckets('DAY', SAMPLE_DAY, SAMPLE_DAY + DAY);
    expect(daily).toEqual(rounded([expectedBucket(withLate, SAMPLE_DAY, DAY)])[0]);
  });

  it('drops raw chunks past the retention period while the aggregates keep their buckets, also after every refresh runs again', async () => {
    // history older than the jobs look back arrived all at once (an import): refreshed by hand,
    // as the operations guide says, before retention may drop its raw chunks
    await sql`CALL refresh_continuous_aggregate('monitoring_readings_hourly', NULL, now() - INTERVAL '1 hour')`;
    await sql`CALL refresh_continuous_aggregate('monitoring_readings_daily', NULL, now() - INTERVAL '1 day')`;
    const oldDay = dayStart(START) + DAY;
    const dailyBefore = await buckets('DAY', oldDay, KEPT_TO);
    expect(dailyBefore).toEqual(
      days(oldDay, KEPT_TO).map((day) =>
        day.time === new Date(SAMPLE_DAY).toISOString() ? { ...day, ...rounded([expectedBucket([...READINGS, LATE], SAMPLE_DAY, DAY)])[0] } : day,
      ),
    );
    const hourlyBefore = await buckets('HOUR', oldDay, oldDay + DAY);
    expect(hourlyBefore).toEqual(hours(READINGS, oldDay));

    await runJob('policy_retention');
    const [kept] = await sql<{ first: Date }[]>`
      SELECT min(range_start) AS first FROM timescaledb_information.chunks WHERE hypertable_name = 'monitoring_readings'`;
    const firstKept = (kept?.first as Date).getTime();
    expect(firstKept).toBeGreaterThan(oldDay + DAY);
    expect(firstKept).toBeLessThanOrEqual(Date.now() - 42 * DAY);
    expect(await raw(START, firstKept)).toEqual([]);
    expect(await raw(SAMPLE_DAY, SAMPLE_DAY + DAY)).toHaveLength(49);

    for (const view of ['monitoring_readings_hourly', 'monitoring_readings_daily']) await runJob('policy_refresh_continuous_aggregate', view);
    await runJob('monitoring_refresh_late_readings');
    expect(await buckets('HOUR', oldDay, oldDay + DAY)).toEqual(hourlyBefore);
    expect(await buckets('DAY', oldDay, KEPT_TO)).toEqual(dailyBefore);
  });

  it('puts the retention the settings ask for back when a hub starts', async () => {
    await sql`SELECT remove_retention_policy('monitoring_readings')`;
    await sql`SELECT add_retention_policy('monitoring_readings', drop_after => INTERVAL '10 days', initial_start => now() + INTERVAL '1 day')`;
    const again = await startTestHub({ engine: 'timescaledb', databaseUrl: database.url, env: { READINGS_RETENTION_DAYS: '42' } });
    try {
      const [retention] = await sql<{ drop_after: string }[]>`
        SELECT config->>'drop_after' AS drop_after FROM timescaledb_information.jobs WHERE proc_name = 'policy_retention'`;
      expect(retention?.drop_after).toBe('42 days');
    } finally {
      await again.stop();
    }
  });
});
