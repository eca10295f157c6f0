import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import type { Logger } from 'pino';
import type { Capabilities, Database, Orm } from './types';

/** Opens a PostgreSQL server through a bounded postgres.js pool and detects TimescaleDB. */
export async function openPostgres(url: string, poolMax: number, logger: Logger): Promise<Database> {
  const client = postgres(url, {
    max: poolMax,
    onnotice: () => {},
    connection: { application_name: 'envhub', TimeZone: 'UTC' },
  });
  const available = await client<{ ts: string | null; server_version: string }[]>`
    SELECT current_setting('server_version') AS server_version,
           (SELECT default_version FROM pg_available_extensions WHERE name = 'timescaledb') AS ts`;
  if (available[0]?.ts) {
    try {
      await client`CREATE EXTENSION IF NOT EXISTS timescaledb`;
    } catch (error) {
      logger.warn({ err: error }, 'TimescaleDB is available but could not be created; using plain tables');
    }
  }
  const installed = await client<{ ts: string | null }[]>`
    SELECT extversion AS ts FROM pg_extension WHERE extname = 'timescaledb'`;
  const capabilities: Capabilities = {
    timescaledb: Boolean(installed[0]?.ts),
    timescaledbVersion: installed[0]?.ts ?? undefined,
    serverVersion: available[0]?.server_version ?? 'unknown',
  };
  let statements = 0;
  const orm = drizzle(client, { logger: { logQuery: () => void (statements += 1) } }) as unknown as Orm;
  const query = async <T,>(text: string, params?: unknown[]): Promise<T[]> => {
    statements += 1;
    return (await client.unsafe(text, (params ?? []) as postgres.ParameterOrJSON<never>[])) as unknown as T[];
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
      const reserved = await client.reserve();
      try {
        return await fn(async <T,>(text: string, params?: unknown[]) => {
          statements += 1;
          return (await reserved.unsafe(text, (params ?? []) as postgres.ParameterOrJSON<never>[])) as unknown as T[];
        });
      } finally {
        reserved.release();
      }
    },
    statementCount: () => statements,
    copyCsv: async (table, columns, csv) => {
      statements += 1;
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
