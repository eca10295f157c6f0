import { mkdtempSync, writeFileSync, mkdirSync, cpSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { openDatabase, type Database } from '../../src/db';
import { listMigrations, migrate, migrationsComplete } from '../../src/db/migrate';
import { createServerDatabase, SERVER_URLS } from '../support/hub';

const logger = pino({ level: 'silent' });
const MIGRATIONS = new URL('../../migrations/', import.meta.url).pathname;

/** Temporary directories the tests make, removed when the file is done. */
const temporary: string[] = [];
afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});
function temporaryDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temporary.push(dir);
  return dir;
}

describe('migrations on the embedded engine (pglite)', () => {
  let db: Database;
  afterAll(() => db?.close());

  it('creates the schema, the hypertable and the continuous aggregates, and is idempotent', async () => {
    db = await openDatabase({ databaseUrl: undefined, dataDir: 'memory://', databasePoolMax: 1 }, logger);
    expect(db.capabilities.timescaledb).toBe(true);
    const first = await migrate(db, logger);
    const { schema, timescale } = listMigrations();
    expect(first.applied).toEqual([...schema, ...timescale].map((m) => m.id));
    expect((await migrate(db, logger)).applied).toEqual([]);
    expect(await migrationsComplete(db)).toBe(true);
    const hypertables = await db.query<{ hypertable_name: string }>('SELECT hypertable_name FROM timescaledb_information.hypertables');
    expect(hypertables.map((h) => h.hypertable_name)).toContain('monitoring_readings');
    const aggregates = await db.query<{ view_name: string }>('SELECT view_name FROM timescaledb_information.continuous_aggregates ORDER BY view_name');
    expect(aggregates.map((a) => a.view_name)).toEqual(['monitoring_readings_daily', 'monitoring_readings_hourly']);
    const jobs = await db.query<{ proc_name: string }>('SELECT proc_name FROM timescaledb_information.jobs ORDER BY proc_name');
    expect(jobs.map((j) => j.proc_name)).toEqual(expect.arrayContaining(['policy_compression', 'policy_refresh_continuous_aggregate']));
  });
});

describe('migrations on a TimescaleDB server (timescaledb)', () => {
  const drops: (() => Promise<void>)[] = [];
  const open: Database[] = [];
  afterAll(async () => {
    for (const db of open) await db.close();
    for (const drop of drops) await drop();
  });

  it('applies both streams once with two instances starting at once: hypertable, aggregates, policies', async () => {
    const { url, drop } = await createServerDatabase('timescaledb');
    drops.push(drop);
    const a = await openDatabase({ databaseUrl: url, dataDir: '', databasePoolMax: 2 }, logger);
    const b = await openDatabase({ databaseUrl: url, dataDir: '', databasePoolMax: 2 }, logger);
    open.push(a, b);
    expect(a.capabilities.timescaledb, `${SERVER_URLS.timescaledb} must preload TimescaleDB`).toBe(true);
    const [ra, rb] = await Promise.all([migrate(a, logger), migrate(b, logger)]);
    const { schema, timescale } = listMigrations();
    expect([...ra.applied, ...rb.applied].sort()).toEqual([...schema, ...timescale].map((m) => m.id).sort());
    expect(await migrationsComplete(b)).toBe(true);
    const hypertables = await a.query<{ hypertable_name: string; compression_enabled: boolean }>(
      'SELECT hypertable_name, compression_enabled FROM timescaledb_information.hypertables',
    );
    expect(hypertables).toEqual([{ hypertable_name: 'monitoring_readings', compression_enabled: true }]);
    const aggregates = await a.query<{ view_name: string; materialized_only: boolean }>(
      'SELECT view_name, materialized_only FROM timescaledb_information.continuous_aggregates ORDER BY view_name',
    );
    expect(aggregates).toEqual([
      { view_name: 'monitoring_readings_daily', materialized_only: false },
      { view_name: 'monitoring_readings_hourly', materialized_only: false },
    ]);
    const jobs = await a.query<{ proc_name: string }>(
      "SELECT proc_name FROM timescaledb_information.jobs WHERE proc_schema = '_timescaledb_functions' ORDER BY proc_name",
    );
    expect(jobs.map((j) => j.proc_name)).toEqual(expect.arrayContaining(['policy_compression', 'policy_refresh_continuous_aggregate']));
  });
});

describe('migrations on a PostgreSQL server without TimescaleDB (postgresql)', () => {
  const drops: (() => Promise<void>)[] = [];
  const open: Database[] = [];
  afterAll(async () => {
    for (const db of open) await db.close();
    for (const drop of drops) await drop();
  });

  it('applies the schema stream only, once, even with two instances starting at once', async () => {
    const { url, drop } = await createServerDatabase('postgresql');
    drops.push(drop);
    const a = await openDatabase({ databaseUrl: url, dataDir: '', databasePoolMax: 2 }, logger);
    const b = await openDatabase({ databaseUrl: url, dataDir: '', databasePoolMax: 2 }, logger);
    open.push(a, b);
    expect(a.capabilities.timescaledb).toBe(false);
    // a server with the package installed but not preloaded must not get the extension: every
    // other session would then fail with "extension timescaledb must be preloaded"
    expect(await a.query("SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'")).toHaveLength(0);
    const [ra, rb] = await Promise.all([migrate(a, logger), migrate(b, logger)]);
    const { schema } = listMigrations();
    expect([...ra.applied, ...rb.applied].sort()).toEqual(schema.map((m) => m.id).sort());
    const recorded = await a.query<{ id: string }>('SELECT id FROM hub_migrations ORDER BY id');
    expect(recorded.map((r) => r.id)).toEqual(schema.map((m) => m.id).sort());
    expect(await migrationsComplete(a)).toBe(true);
    const tables = await a.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_name = 'monitoring_readings'");
    expect(tables).toHaveLength(1);
  });

  it('refuses a migration that was edited after it was applied', async () => {
    const { url, drop } = await createServerDatabase('postgresql');
    drops.push(drop);
    const db = await openDatabase({ databaseUrl: url, dataDir: '', databasePoolMax: 2 }, logger);
    open.push(db);
    const dir = temporaryDir('envhub-migrations-');
    cpSync(MIGRATIONS, dir, { recursive: true });
    await migrate(db, logger, `${dir}/`);
    const { schema } = listMigrations(`${dir}/`);
    const first = schema[0]?.id as string;
    const path = join(dir, `${first}.sql`);
    writeFileSync(path, `${readFileSync(path, 'utf8')}\n-- edited\n`);
    await expect(migrate(db, logger, `${dir}/`)).rejects.toThrow(/was changed after it was applied/);
  });

  it('rolls a failing migration back and records nothing of it', async () => {
    const { url, drop } = await createServerDatabase('postgresql');
    drops.push(drop);
    const db = await openDatabase({ databaseUrl: url, dataDir: '', databasePoolMax: 2 }, logger);
    open.push(db);
    const dir = temporaryDir('envhub-migrations-');
    mkdirSync(join(dir, 'meta'));
    writeFileSync(join(dir, 'meta', '_journal.json'), JSON.stringify({ entries: [{ tag: '0000_ok' }, { tag: '0001_broken' }] }));
    writeFileSync(join(dir, '0000_ok.sql'), 'CREATE TABLE probe_ok (id int);');
    writeFileSync(join(dir, '0001_broken.sql'), 'CREATE TABLE probe_half (id int);\n--> statement-breakpoint\nSELECT * FROM no_such_table;');
    await expect(migrate(db, logger, `${dir}/`)).rejects.toThrow(/0001_broken failed/);
    const recorded = await db.query<{ id: string }>('SELECT id FROM hub_migrations');
    expect(recorded.map((r) => r.id)).toEqual(['0000_ok']);
    const half = await db.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'probe_half'");
    expect(half).toHaveLength(0);
  });
});

describe('an embedded data directory opened a second time (pglite)', () => {
  it('still routes readings into the hypertable and its aggregates', async () => {
    const dir = temporaryDir('envhub-data-');
    const first = await openDatabase({ databaseUrl: undefined, dataDir: dir, databasePoolMax: 1 }, logger);
    await migrate(first, logger);
    await first.close();
    const again = await openDatabase({ databaseUrl: undefined, dataDir: dir, databasePoolMax: 1 }, logger);
    try {
      expect((await migrate(again, logger)).applied).toEqual([]);
      await again.query("INSERT INTO monitoring_monitors (mn, password_hash, name, kind, interval_seconds) VALUES ('REOPEN', 'x', 'reopened', 'OTHER', 60)");
      await again.query(
        "INSERT INTO monitoring_readings (time, monitor_id, factor, interval, value) SELECT now(), id, 'w01018', 'RTD', 42 FROM monitoring_monitors WHERE mn = 'REOPEN'",
      );
      const chunks = await again.query<{ n: string | number }>(
        "SELECT count(*) AS n FROM timescaledb_information.chunks WHERE hypertable_name = 'monitoring_readings'",
      );
      expect(Number(chunks[0]?.n)).toBe(1);
      const hourly = await again.query<{ avg_value: number }>('SELECT avg_value FROM monitoring_readings_hourly');
      expect(hourly.map((row) => row.avg_value)).toEqual([42]);
    } finally {
      await again.close();
    }
  });
});
