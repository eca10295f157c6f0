import { PgDialect, type PgDatabase, type PgQueryResultHKT, type PgTransaction } from 'drizzle-orm/pg-core';
import { sql, type SQL } from 'drizzle-orm';

/** The drizzle handle every service uses; the same type for both engines. */
export type Orm = PgDatabase<PgQueryResultHKT>;
/** A drizzle transaction, or the root handle: anything a statement can run on. */
export type Executor = Orm | PgTransaction<PgQueryResultHKT>;

export type Engine = 'pglite' | 'postgres';

export interface Capabilities {
  timescaledb: boolean;
  timescaledbVersion: string | undefined;
  serverVersion: string;
}

export interface QueryOptions {
  prepare?: boolean;
}

export interface Database {
  readonly engine: Engine;
  readonly orm: Orm;
  readonly capabilities: Capabilities;
  /**
   * A parameterised statement outside any transaction; returns its rows. `prepare` asks the server
   * driver to keep the statement prepared on each connection (see `queryStatement`): only for a
   * text that does not vary with the input.
   */
  query<T = Record<string, unknown>>(text: string, params?: unknown[], options?: QueryOptions): Promise<T[]>;
  /**
   * Listens on a channel between hub instances. `onReconnect` runs whenever the listening
   * connection is (re)established, so the caller can catch up on what it missed. The embedded
   * engine has no other instances: it resolves to a no-op.
   */
  listen(channel: string, onNotify: (payload: string) => void, onReconnect: () => void): Promise<() => Promise<void>>;
  notify(channel: string, payload: string): Promise<void>;
  /** Runs `fn` on one dedicated connection (session-level advisory locks need one). */
  withConnection<T>(fn: (query: <R = Record<string, unknown>>(text: string, params?: unknown[]) => Promise<R[]>) => Promise<T>): Promise<T>;
  /**
   * Statements sent so far through `query`, `orm` and `withConnection`: lets a test show that an
   * operation's statement count does not grow with the rows it returns.
   */
  statementCount(): number;
  /**
   * Calls `listener` with the text of every statement sent from now on (parameters apart), until
   * the returned function is called: lets a test show what an operation reads.
   */
  observeStatements(listener: (text: string) => void): () => void;
  /** Bulk-loads CSV rows with COPY: the baseline the ingest benchmark compares against. */
  copyCsv(table: string, columns: readonly string[], csv: string): Promise<void>;
  close(): Promise<void>;
}

/** Rows of a drizzle `execute` result: postgres.js returns an array, PGlite an object with rows. */
export async function rowsOf<T>(executor: Executor, statement: SQL): Promise<T[]> {
  const result = (await executor.execute(statement)) as unknown;
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

/**
 * A list or records as one jsonb parameter. Both engines take it the same way whatever it holds
 * (nulls, empty lists), and the statement keeps one parameter however long the batch is.
 */
export function json(value: unknown): SQL {
  return sql`${JSON.stringify(value)}::jsonb`;
}

/** Array elements that need no quotes: codes, numbers, ISO times (the hot ingest columns). */
const PLAIN_ELEMENT = /^[A-Za-z0-9_.:+-]+$/;

/**
 * A PostgreSQL array literal (`{a,"b c",NULL}`), to pass as one text parameter cast in the statement
 * (`$1::text[]`). Arrays always travel this way: the drivers encode arrays differently, and the
 * server driver is not told the server's array types (see openPostgres).
 */
export function arrayLiteral(values: readonly (string | number | null)[]): string {
  const items = values.map((value) =>
    value === null
      ? 'NULL'
      : typeof value === 'number'
        ? String(value)
        : PLAIN_ELEMENT.test(value) && !/^null$/i.test(value)
          ? value
          : `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`,
  );
  return `{${items.join(',')}}`;
}

/**
 * An array literal as one parameter of a drizzle statement (`${pgArray(values)}::float8[]`).
 * Parsing an array literal is much cheaper for the server than jsonb on the hot ingest path.
 */
export function pgArray(values: readonly (string | number | null)[]): SQL {
  return sql`${arrayLiteral(values)}`;
}

/** Text made literal inside a LIKE pattern (`\\`, `%` and `_` escaped). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A LIKE/ILIKE pattern matching `text` anywhere, taken literally (`%` and `_` in it match themselves). */
export function containing(text: string): string {
  return `%${escapeLike(text)}%`;
}

/** Counts the statements an engine sends and hands their text to observers. */
export function createStatementLog() {
  let count = 0;
  const listeners = new Set<(text: string) => void>();
  return {
    record(text: string): void {
      count += 1;
      for (const listener of listeners) listener(text);
    },
    count: (): number => count,
    observe(listener: (text: string) => void): () => void {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}

const dialect = new PgDialect();

/**
 * Runs a statement built with drizzle's `sql` through `Database.query`, prepared. The server driver
 * keeps a statement sent this way prepared on each connection, keyed by its text, so the hot reads
 * build theirs with a text that does not vary with their input (ids as one array parameter,
 * `= ANY`): one text per shape of row scope, parsed and planned once per connection, and one round
 * trip per execution where an unprepared statement with parameters takes two (describe, then run).
 */
export async function queryStatement<T>(db: Pick<Database, 'query'>, statement: SQL): Promise<T[]> {
  const { sql: text, params } = dialect.sqlToQuery(statement);
  return db.query<T>(text, params, { prepare: true });
}

/**
 * Which statement texts a process prepares: at most `limit` distinct ones, first come first kept,
 * so a text that varies by mistake costs an unprepared statement, never a growing cache on every
 * connection of the pool and in the server behind it.
 */
export function preparedTexts(limit: number): (text: string) => boolean {
  const kept = new Set<string>();
  return (text) => {
    if (kept.has(text)) return true;
    if (kept.size >= limit) return false;
    kept.add(text);
    return true;
  };
}
