import { mkdirSync } from 'node:fs';
import type { Logger } from 'pino';
import { PGlite } from '@electric-sql/pglite';
import { timescaledb } from '@electric-sql/pglite/timescaledb';
import { drizzle } from 'drizzle-orm/pglite';
import { createStatementLog, type Capabilities, type Database, type Orm } from './types';
import { observePgliteClient, type StatementObserver } from './observe';
import { createFromTemplate } from './template';

interface Started {
  client: PGlite;
  /** a new data directory made a copy of the migrated template (db/template.ts) */
  fromTemplate: boolean;
}

const starting = new Map<string, Promise<Started>>();

/**
 * Starts the embedded engine ahead of `openPglite` (which takes it up), so that its start overlaps
 * the loading of the rest of the hub: what `npm start` does before it imports the hub.
 */
export function startPglite(dataDir: string): void {
  if (starting.has(dataDir)) return;
  const client = startClient(dataDir);
  // a failure is reported by openPglite; until then it is not an unhandled rejection
  client.catch(() => {});
  starting.set(dataDir, client);
}

async function startClient(dataDir: string, template = true): Promise<Started> {
  const inMemory = dataDir.startsWith('memory://');
  const fromTemplate = !inMemory && template && (await createFromTemplate(dataDir));
  if (!inMemory) mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create({ ...(inMemory ? {} : { dataDir }), extensions: { timescaledb } });
  // The embedded engine has no shared_preload_libraries: reopening a data directory whose
  // extension already exists would leave TimescaleDB's hooks unloaded (inserts would land in the
  // hypertable's root table), so the library is loaded explicitly on every open.
  await client.exec("LOAD 'timescaledb'");
  await client.exec('CREATE EXTENSION IF NOT EXISTS timescaledb');
  return { client, fromTemplate };
}

/**
 * Opens the embedded engine: PGlite with TimescaleDB, in `dataDir` or in memory (`memory://`). A
 * new data directory starts as a copy of the migrated template when there is one (`template`).
 */
export async function openPglite(dataDir: string, observe?: StatementObserver, options: { template?: boolean; logger?: Logger } = {}): Promise<Database> {
  const started = starting.get(dataDir);
  starting.delete(dataDir);
  const { client, fromTemplate } = await (started ?? startClient(dataDir, options.template ?? true));
  if (fromTemplate) options.logger?.info({ dataDir }, 'new data directory: a copy of the migrated template');
  const version = await client.query<{ server_version: string; ts: string | null }>(
    "SELECT current_setting('server_version') AS server_version, (SELECT extversion FROM pg_extension WHERE extname = 'timescaledb') AS ts",
  );
  const row = version.rows[0];
  const capabilities: Capabilities = {
    timescaledb: Boolean(row?.ts),
    timescaledbVersion: row?.ts ?? undefined,
    serverVersion: row?.server_version ?? 'unknown',
  };
  const statements = createStatementLog();
  // what drizzle and the hub's own queries go through: observed when tracing is on
  const fair = yieldingClient(client);
  const driver = observe ? observePgliteClient(fair, observe) : fair;
  const orm = drizzle(driver, { logger: { logQuery: (text) => statements.record(text) } }) as unknown as Orm;
  const query = async <T>(text: string, params?: unknown[]): Promise<T[]> => {
    statements.record(text);
    return (await driver.query<T>(text, params)).rows;
  };
  return {
    engine: 'pglite',
    orm,
    capabilities,
    query,
    // One process owns an embedded database: events are delivered in-process, never over NOTIFY.
    listen: async (_channel, _onNotify, onReconnect) => {
      onReconnect();
      return async () => {};
    },
    notify: async () => {},
    withConnection: (fn) => fn(query),
    statementCount: () => statements.count(),
    observeStatements: (listener) => statements.observe(listener),
    copyCsv: async (table, columns, csv) => {
      statements.record(`COPY ${table} (${columns.join(', ')})`);
      // PGlite reads COPY input from a blob handed over with the statement
      await client.query(`COPY ${table} (${columns.join(', ')}) FROM '/dev/blob' WITH (FORMAT csv)`, [], { blob: new Blob([csv]) });
    },
    close: () => client.close(),
  };
}

/** How long a run of statements may keep the event loop before the next one waits a turn. */
const YIELD_AFTER_MS = 10;

/**
 * The embedded engine runs each statement on this thread and settles its promise at once, so a
 * chain of statements (the demo's seed, a long export) would never let the event loop in: requests
 * would wait for the whole chain. Here a statement that comes after YIELD_AFTER_MS of such a run
 * first waits one turn of the event loop.
 */
function yieldingClient<T extends object>(client: T): T {
  let ranSince = performance.now();
  const turn = async (): Promise<void> => {
    if (performance.now() - ranSince < YIELD_AFTER_MS) return;
    await new Promise((resolve) => setImmediate(resolve));
    ranSince = performance.now();
  };
  const wrap = <C extends object>(target: C): C =>
    new Proxy(target, {
      get(object, property) {
        const value = Reflect.get(object, property) as unknown;
        if (typeof value !== 'function') return value;
        if (property === 'query' || property === 'exec') {
          return async (...args: unknown[]) => {
            await turn();
            return (value as (...a: unknown[]) => unknown).apply(object, args);
          };
        }
        if (property === 'transaction') {
          return (fn: (tx: object) => unknown) => (value as (f: (tx: object) => unknown) => unknown).call(object, (tx: object) => fn(wrap(tx)));
        }
        return (value as (...a: unknown[]) => unknown).bind(object);
      },
    });
  return wrap(client);
}
