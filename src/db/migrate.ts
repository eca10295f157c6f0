import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Database } from './types';

const MIGRATIONS_DIR = new URL('../../migrations/', import.meta.url).pathname;
/** Advisory lock key shared by every hub instance: two starting at once migrate one after the other. */
const MIGRATION_LOCK_KEY = 7_212_2017;

interface Migration {
  id: string;
  statements: string[];
  hash: string;
}

function splitStatements(text: string): string[] {
  return text
    .split('--> statement-breakpoint')
    .map((statement) => statement.trim())
    .filter((statement) => statement.length > 0);
}

function load(id: string, path: string): Migration {
  const text = readFileSync(path, 'utf8');
  return { id, statements: splitStatements(text), hash: createHash('sha256').update(text).digest('hex') };
}

/** The drizzle-kit stream, in journal order, then the TimescaleDB step (only where it exists). */
export function listMigrations(dir = MIGRATIONS_DIR): { schema: Migration[]; timescale: Migration[] } {
  const journalPath = join(dir, 'meta', '_journal.json');
  const journal = existsSync(journalPath) ? (JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] }) : { entries: [] };
  const schema = journal.entries.map((entry) => load(entry.tag, join(dir, `${entry.tag}.sql`)));
  const timescaleDir = join(dir, 'timescale');
  const timescale = existsSync(timescaleDir)
    ? readdirSync(timescaleDir)
        .filter((name) => name.endsWith('.sql'))
        .sort()
        .map((name) => load(`timescale/${name.replace(/\.sql$/, '')}`, join(timescaleDir, name)))
    : [];
  return { schema, timescale };
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

/**
 * Applies pending migrations, each in its own transaction, under a session advisory lock.
 * Idempotent: what is recorded in hub_migrations is skipped; a recorded migration whose file
 * changed is an error, since applied migrations are never edited.
 */
export async function migrate(db: Database, logger: Logger, dir = MIGRATIONS_DIR): Promise<{ applied: string[] }> {
  const { schema, timescale } = listMigrations(dir);
  const pending = db.capabilities.timescaledb ? [...schema, ...timescale] : schema;
  const applied: string[] = [];
  await db.withConnection(async (query) => {
    await query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await query(`CREATE TABLE IF NOT EXISTS hub_migrations (
        id text PRIMARY KEY,
        hash text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
      const done = new Map((await query<{ id: string; hash: string }>('SELECT id, hash FROM hub_migrations')).map((row) => [row.id, row.hash]));
      for (const migration of pending) {
        const recorded = done.get(migration.id);
        if (recorded !== undefined) {
          if (recorded !== migration.hash) {
            throw new MigrationError(`migration ${migration.id} was changed after it was applied`);
          }
          continue;
        }
        const started = Date.now();
        await query('BEGIN');
        try {
          for (const statement of migration.statements) await query(statement);
          await query('INSERT INTO hub_migrations (id, hash) VALUES ($1, $2)', [migration.id, migration.hash]);
          await query('COMMIT');
        } catch (error) {
          await query('ROLLBACK');
          throw new MigrationError(`migration ${migration.id} failed: ${(error as Error).message}`, { cause: error });
        }
        applied.push(migration.id);
        logger.info({ migration: migration.id, ms: Date.now() - started }, 'migration applied');
      }
    } finally {
      await query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  });
  if (applied.length === 0) logger.debug('database schema up to date');
  return { applied };
}

/** True when every migration this build knows of is recorded: used by /readyz. */
export async function migrationsComplete(db: Database, dir = MIGRATIONS_DIR): Promise<boolean> {
  const { schema, timescale } = listMigrations(dir);
  const expected = db.capabilities.timescaledb ? [...schema, ...timescale] : schema;
  const rows = await db.query<{ id: string }>('SELECT id FROM hub_migrations');
  const have = new Set(rows.map((row) => row.id));
  return expected.every((migration) => have.has(migration.id));
}
