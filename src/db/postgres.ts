import net from 'node:net';
import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import type { Logger } from 'pino';
import { createStatementLog, preparedTexts, type Capabilities, type Database, type Orm, type QueryOptions } from './types';
import { observePostgresClient, preparingPostgresClient, type StatementObserver } from './observe';

/** What postgres.js hands a socket factory: the parsed connection options. */
interface SocketTarget {
  host: string[];
  port: number[];
  path?: string | false;
}

/**
 * Connections with Nagle's algorithm off. postgres.js leaves it on, and then a small message written
 * while a larger one is still unacknowledged (COPY's CopyDone after its data, the second of two
 * pipelined statements) waits for the server's delayed acknowledgement, 40 ms on Linux: a batch
 * that should take 15 ms took 55. Hosts are tried in turn on each new connection, as postgres.js
 * does with its own sockets; the socket is handed over while it connects (writes queue until then).
 */
function socketsWithoutDelay(): (options: SocketTarget) => net.Socket {
  let next = 0;
  return (options) => {
    const socket = new net.Socket();
    if (options.path) return socket.connect({ path: options.path });
    const index = next++ % options.host.length;
    const host = options.host[index] as string;
    const port = options.port[index] ?? (options.port[0] as number);
    // postgres.js names the host and port in connection errors from these
    Object.assign(socket, { host, port });
    // before the connection exists, Node keeps the setting and applies it once connected
    return socket.setNoDelay(true).connect({ host, port });
  };
}

/** Opens a PostgreSQL server through a bounded postgres.js pool and detects TimescaleDB. */
export interface PostgresOptions {
  poolMax: number;
  applicationName?: string;
  observe?: StatementObserver;
  /**
   * keep statements asked to be prepared (`queryStatement`) prepared on each connection; off
   * behind a pooler in transaction mode, where a connection's prepared statements are not its own
   */
  prepare?: boolean;
}

/** Distinct statement texts a process keeps prepared (the hot reads have a few dozen). */
const PREPARED_TEXTS_MAX = 256;
/** Distinct texts of drizzle-built statements a process keeps prepared. */
const DRIZZLE_PREPARED_TEXTS_MAX = 256;

export async function openPostgres(
  url: string,
  logger: Logger,
  { poolMax, applicationName = 'envhub', observe, prepare = true }: PostgresOptions,
): Promise<Database> {
  // a variable, not a literal: postgres.js takes `socket` but its types do not declare it
  const options = {
    max: poolMax,
    socket: socketsWithoutDelay(),
    // postgres.js would read the server's array types on every new connection, and a connection
    // dropped during that read (a server restart) ends in a rejection nothing can catch, which
    // stops the process. Arrays travel as literals instead (arrayLiteral, pgArray).
    fetch_types: false,
    onnotice: () => {},
    // the instance's own name: an operator (and the pool metrics) tell its connections apart
    connection: { application_name: applicationName.slice(0, 63), TimeZone: 'UTC' },
  };
  const client = postgres(url, options);
  // TimescaleDB works only when the server preloads it: a server that has the package installed
  // but not in shared_preload_libraries lets CREATE EXTENSION through, then fails every later
  // statement of other sessions ("extension timescaledb must be preloaded").
  const available = await client<{ ts: string | null; server_version: string; preload: string }[]>`
    SELECT current_setting('server_version') AS server_version,
           current_setting('shared_preload_libraries') AS preload,
           (SELECT default_version FROM pg_available_extensions WHERE name = 'timescaledb') AS ts`;
  const preloaded = (available[0]?.preload ?? '').split(',').some((library) => library.trim().replace(/^"|"$/g, '') === 'timescaledb');
  if (available[0]?.ts && !preloaded) {
    logger.info('TimescaleDB is installed on the server but not in shared_preload_libraries; using plain tables');
  } else if (available[0]?.ts) {
    try {
      await client`CREATE EXTENSION IF NOT EXISTS timescaledb`;
    } catch (error) {
      logger.warn({ err: error }, 'TimescaleDB is available but could not be created; using plain tables');
    }
  }
  const installed = preloaded ? await client<{ ts: string | null }[]>`SELECT extversion AS ts FROM pg_extension WHERE extname = 'timescaledb'` : [];
  const capabilities: Capabilities = {
    timescaledb: Boolean(installed[0]?.ts),
    timescaledbVersion: installed[0]?.ts ?? undefined,
    serverVersion: available[0]?.server_version ?? 'unknown',
  };
  const statements = createStatementLog();
  // what drizzle and the hub's own queries go through: observed when tracing is on
  const driver = observe ? observePostgresClient(client, observe) : client;
  // drizzle's statements are prepared too, within a bound of their own: an `IN` list makes a text
  // per length, and those must not crowd out the hot reads' texts
  const orm = drizzle(preparingPostgresClient(driver, preparedTexts(prepare ? DRIZZLE_PREPARED_TEXTS_MAX : 0)), {
    logger: { logQuery: (text) => statements.record(text) },
  }) as unknown as Orm;
  const prepares = preparedTexts(prepare ? PREPARED_TEXTS_MAX : 0);
  const query = async <T>(text: string, params?: unknown[], queryOptions?: QueryOptions): Promise<T[]> => {
    statements.record(text);
    const prepared = queryOptions?.prepare === true && prepares(text);
    return (await driver.unsafe(text, (params ?? []) as postgres.ParameterOrJSON<never>[], { prepare: prepared })) as unknown as T[];
  };
  return {
    engine: 'postgres',
    orm,
    capabilities,
    query,
    listen: async (channel, onNotify, onReconnect) => {
      // postgres.js re-listens after a dropped connection and calls onlisten each time, which is
      // where a caller catches up on anything published while it was away.
      const subscription = await client.listen(channel, onNotify, onReconnect);
      return () => subscription.unlisten();
    },
    notify: async (channel, payload) => {
      await client.notify(channel, payload);
    },
    withConnection: async (fn) => {
      const reserved = await driver.reserve();
      try {
        return await fn(async <T>(text: string, params?: unknown[]) => {
          statements.record(text);
          return (await reserved.unsafe(text, (params ?? []) as postgres.ParameterOrJSON<never>[])) as unknown as T[];
        });
      } finally {
        reserved.release();
      }
    },
    statementCount: () => statements.count(),
    observeStatements: (listener) => statements.observe(listener),
    copyCsv: async (table, columns, csv) => {
      statements.record(`COPY ${table} (${columns.join(', ')})`);
      const stream = await client.unsafe(`COPY ${table} (${columns.join(', ')}) FROM STDIN WITH (FORMAT csv)`).writable();
      await new Promise<void>((resolve, reject) => {
        stream.on('error', reject);
        stream.on('finish', () => resolve());
        stream.end(csv);
      });
    },
    close: () => client.end({ timeout: 5 }),
  };
}
