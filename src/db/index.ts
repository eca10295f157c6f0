import type { Logger } from 'pino';
import type { Config } from '../config';
import type { Database } from './types';
import type { StatementObserver } from './observe';

export type { Database, Orm, Executor, Engine, Capabilities, QueryOptions } from './types';
export { rowsOf, json, pgArray, arrayLiteral, escapeLike, containing, queryStatement } from './types';

/** Opens the configured engine; the engine modules load lazily so one never pulls in the other. */
export async function openDatabase(
  config: Pick<Config, 'databaseUrl' | 'dataDir' | 'databasePoolMax'> & Partial<Pick<Config, 'databasePrepare'>>,
  logger: Logger,
  options: { applicationName?: string; observe?: StatementObserver } = {},
): Promise<Database> {
  const db = config.databaseUrl
    ? await (
        await import('./postgres')
      ).openPostgres(config.databaseUrl, logger, {
        poolMax: config.databasePoolMax,
        applicationName: options.applicationName,
        observe: options.observe,
        prepare: config.databasePrepare,
      })
    : await (await import('./pglite')).openPglite(config.dataDir, options.observe, { logger });
  logger.info(
    {
      engine: db.engine,
      serverVersion: db.capabilities.serverVersion,
      timescaledb: db.capabilities.timescaledbVersion ?? false,
    },
    db.capabilities.timescaledb
      ? 'database opened with TimescaleDB: hypertables and continuous aggregates'
      : 'database opened without TimescaleDB: plain tables, aggregates computed on the fly',
  );
  return db;
}
