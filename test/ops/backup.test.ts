import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { createServerDatabase, startTestHub, type TestHub } from '../support/hub';
import { createMonitor, ingest, setLimit } from '../support/monitoring';
import { holdScheduledJobs, releaseScheduledJobs } from '../support/timescale';

const run = promisify(execFile);
const SCRIPT = new URL('../../scripts/backup.sh', import.meta.url).pathname;
const HOUR = 3600_000;
const START = Math.floor(Date.now() / HOUR) * HOUR - 20 * 24 * HOUR;

const READINGS = `query($m: ID!, $from: DateTime!, $to: DateTime!) {
  raw: readings(monitor: $m, factor: "w01018", interval: RTD, from: $from, to: $to, limit: 5000) { points { time value flag } }
  hourly: readings(monitor: $m, factor: "w01018", interval: RTD, from: $from, to: $to, bucket: HOUR, limit: 5000) { source buckets { time avg count } }
  daily: readings(monitor: $m, factor: "w01018", interval: RTD, from: $from, to: $to, bucket: DAY) { source buckets { time avg count } }
  exceedances(first: 10) { edges { node { factor severity peakValue openedAt status } } }
}`;

/** What the hub must answer the same after a restore, and what TimescaleDB must still hold. */
async function snapshot(th: TestHub, token: string, monitor: string, url: string) {
  const { body } = await th.graphql(READINGS, { m: monitor, from: new Date(START).toISOString(), to: new Date(START + 20 * 24 * HOUR).toISOString() }, token);
  expect(body.errors).toBeUndefined();
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [structure] = await sql<{ hypertables: string; aggregates: string; chunks: number; compressed: number; materialized: number; jobs: string }[]>`
      SELECT (SELECT string_agg(hypertable_name || ':' || compression_enabled, ',') FROM timescaledb_information.hypertables) AS hypertables,
             (SELECT string_agg(view_name, ',' ORDER BY view_name) FROM timescaledb_information.continuous_aggregates) AS aggregates,
             (SELECT count(*)::int FROM timescaledb_information.chunks WHERE hypertable_name = 'monitoring_readings') AS chunks,
             (SELECT count(*)::int FROM timescaledb_information.chunks WHERE hypertable_name = 'monitoring_readings' AND is_compressed) AS compressed,
             (SELECT count(*)::int FROM monitoring_readings_hourly WHERE bucket < now() - INTERVAL '3 days') AS materialized,
             (SELECT string_agg(proc_name || ':' || scheduled, ',' ORDER BY proc_name, job_id) FROM timescaledb_information.jobs WHERE job_id >= 1000) AS jobs`;
    return { answers: body.data, structure };
  } finally {
    await sql.end();
  }
}

/**
 * The operations guide's backup and restore, end to end on the TimescaleDB server: dump a hub's
 * database, drop it, restore the dump into a new one, and start a hub on it.
 */
describe('backup and restore with scripts/backup.sh (timescaledb)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'envhub-backup-'));
  const file = join(dir, 'hub.dump');
  let original: { url: string; drop: () => Promise<void> };
  let restored: { url: string; drop: () => Promise<void> };
  let secret: string;
  let before: Awaited<ReturnType<typeof snapshot>>;
  let monitor: string;

  beforeAll(async () => {
    original = await createServerDatabase('timescaledb');
    restored = await createServerDatabase('timescaledb');
    secret = 'backup-test-secret-0123456789abcdef';
    const th = await startTestHub({ engine: 'timescaledb', databaseUrl: original.url, env: { JWT_SECRET: secret } });
    try {
      const admin = await th.token({ roles: ['admin'] });
      monitor = await createMonitor(th, admin, { mn: 'BACKUP-1' });
      await setLimit(th, admin, { monitorKind: 'WASTEWATER_OUTLET', factor: 'w01018', upper: 100 });
      const readings = Array.from({ length: 20 * 24 }, (_, i) => ({
        mn: 'BACKUP-1',
        time: new Date(START + i * HOUR),
        value: i === 300 ? 250 : 20 + (i % 24),
        flag: i % 17 === 0 ? 'D' : 'N',
      }));
      expect((await ingest(th, admin, readings)).accepted).toBe(readings.length);
      const sql = postgres(original.url, { max: 1, onnotice: () => {} });
      // the server's scheduler is held while the test refreshes and compresses by hand, then let go
      await holdScheduledJobs(sql);
      await sql`CALL refresh_continuous_aggregate('monitoring_readings_hourly', NULL, now() - INTERVAL '1 hour')`;
      await sql`CALL refresh_continuous_aggregate('monitoring_readings_daily', NULL, now() - INTERVAL '1 day')`;
      for (const job of await sql<{ job_id: number }[]>`SELECT job_id FROM timescaledb_information.jobs WHERE proc_name = 'policy_compression'`)
        await sql.unsafe(`CALL run_job(${job.job_id})`);
      await releaseScheduledJobs(sql);
      await sql.end();
      before = await snapshot(th, admin, monitor, original.url);
    } finally {
      await th.stop();
    }
  });
  afterAll(async () => {
    await original?.drop();
    await restored?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('has something worth restoring: compressed chunks, materialized buckets, an exceedance', () => {
    expect(before.structure).toMatchObject({ hypertables: 'monitoring_readings:true', aggregates: 'monitoring_readings_daily,monitoring_readings_hourly' });
    expect(before.structure?.compressed).toBeGreaterThanOrEqual(1);
    expect(before.structure?.materialized).toBeGreaterThan(300);
    expect((before.answers as { exceedances: { edges: unknown[] } }).exceedances.edges).toHaveLength(1);
  });

  it('dumps, the database is dropped, restores into a new one, and the hub comes back with its data', async () => {
    await run('bash', [SCRIPT, 'dump', original.url, file]);
    await original.drop();
    const { stderr } = await run('bash', [SCRIPT, 'restore', file, restored.url]);
    expect(stderr).toContain('restored');
    const th = await startTestHub({ engine: 'timescaledb', databaseUrl: restored.url, env: { JWT_SECRET: secret } });
    try {
      expect((await fetch(`http://127.0.0.1:${th.hub.port}/readyz`)).status).toBe(200);
      const admin = await th.token({ roles: ['admin'] });
      const after = await snapshot(th, admin, monitor, restored.url);
      expect(after).toEqual(before);
      // and it goes on: a new reading lands in the restored hypertable
      expect((await ingest(th, admin, [{ mn: 'BACKUP-1', time: new Date(Date.now() - 60_000), value: 30 }])).accepted).toBe(1);
    } finally {
      await th.stop();
    }
  });

  it('refuses to restore over a database that has tables', async () => {
    const error = await run('bash', [SCRIPT, 'restore', file, restored.url]).catch((e: { stderr: string }) => e);
    expect((error as { stderr: string }).stderr).toMatch(/restore only into an empty database/);
  });
});
