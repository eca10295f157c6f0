import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import pino, { type Logger } from 'pino';
import { loadConfig, type Config } from '../../src/config';
import { createHub, type Hub } from '../../src/hub';
import { signToken, type TokenClaims } from '../../src/auth/jwt';
import { print } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';

/**
 * Where a test's hub keeps its data; describe titles name it, so every result says which engine it
 * ran on:
 * - `pglite`: the embedded engine (PGlite with TimescaleDB), in memory;
 * - `timescaledb`: a PostgreSQL server with TimescaleDB preloaded, the production path
 *   (`TEST_TIMESCALEDB_URL`, default the shared tool's server on 127.0.0.1:5433);
 * - `postgresql`: a PostgreSQL server without TimescaleDB (`TEST_POSTGRESQL_URL`, default
 *   127.0.0.1:5432): plain tables, buckets computed with date_bin, no continuous aggregates.
 */
export type EngineName = 'pglite' | ServerEngine;
export type ServerEngine = 'timescaledb' | 'postgresql';

export const SERVER_URLS: Readonly<Record<ServerEngine, string>> = {
  timescaledb: process.env.TEST_TIMESCALEDB_URL ?? 'postgres://postgres@127.0.0.1:5433/postgres',
  postgresql: process.env.TEST_POSTGRESQL_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
};

/** The server engine-agnostic suites run on: the production path unless TEST_SERVER_ENGINE says otherwise. */
export const SERVER_ENGINE: ServerEngine = process.env.TEST_SERVER_ENGINE === 'postgresql' ? 'postgresql' : 'timescaledb';

/** Every engine-agnostic suite: the embedded engine and the server of the production path. */
export const ENGINES: readonly EngineName[] = ['pglite', SERVER_ENGINE];

/**
 * Suites whose code path differs where TimescaleDB is missing (bucketed reads, the aggregates'
 * callers) run on the plain server as well.
 */
export const ENGINES_WITH_PLAIN: readonly EngineName[] = ['pglite', 'timescaledb', 'postgresql'];

const START_TIMESCALEDB = 'start it with ../shared/tools/timescaledb/server start, or name another in TEST_TIMESCALEDB_URL';

/** Says what is wrong when a server is not the engine a suite is titled with. */
export function checkEngine(engine: EngineName, capabilities: { timescaledb: boolean }): void {
  if (engine === 'timescaledb' && !capabilities.timescaledb) {
    throw new Error(`the server at ${SERVER_URLS.timescaledb} has no TimescaleDB preloaded: ${START_TIMESCALEDB}`);
  }
  if (engine === 'postgresql' && capabilities.timescaledb) {
    throw new Error(`the server at ${SERVER_URLS.postgresql} has TimescaleDB preloaded; TEST_POSTGRESQL_URL must name one without it`);
  }
}

/** A uniquely named database on a local server, dropped again by the returned function. */
export async function createServerDatabase(engine: ServerEngine = SERVER_ENGINE): Promise<{ url: string; drop: () => Promise<void> }> {
  const server = SERVER_URLS[engine];
  const name = `envhub_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(server, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE ${name}`);
  } catch (error) {
    const hint = engine === 'timescaledb' ? `; ${START_TIMESCALEDB}` : '';
    throw new Error(`cannot create a test database on ${server} (${(error as Error).message})${hint}`, { cause: error });
  } finally {
    await admin.end();
  }
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const cleanup = postgres(server, { max: 1, onnotice: () => {} });
      await cleanup.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}

export interface TestHub {
  hub: Hub;
  engine: EngineName;
  token(claims: Partial<TokenClaims> & { roles: TokenClaims['roles'] }, ttlSeconds?: number): Promise<string>;
  graphql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
  ): Promise<{ status: number; body: { data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] } }>;
  /** runs a typed document from test/generated (operations in test/operations) */
  execute<R, V>(
    document: TypedDocumentNode<R, V>,
    variables: V,
    token?: string,
  ): Promise<{ status: number; body: { data?: R; errors?: { message: string; extensions?: Record<string, unknown> }[] } }>;
  stop(): Promise<void>;
}

export interface StartOptions {
  engine?: EngineName;
  env?: Record<string, string>;
  /** an existing server database (two instances on one database) */
  databaseUrl?: string;
  now?: () => Date;
  /** where the hub logs (tests that look for a log line); silent by default */
  logger?: Logger;
  /** `demo` as `npm start` runs (the tests still switch the seed and simulator off unless env says) */
  mode?: 'demo' | 'serve';
}

export async function startTestHub(options: StartOptions = {}): Promise<TestHub> {
  const engine = options.engine ?? 'pglite';
  let drop: (() => Promise<void>) | undefined;
  let databaseUrl = options.databaseUrl;
  if (engine !== 'pglite' && !databaseUrl) {
    const created = await createServerDatabase(engine);
    databaseUrl = created.url;
    drop = created.drop;
  }
  const secret = options.env?.JWT_SECRET ?? randomBytes(24).toString('base64url');
  const config: Config = loadConfig(
    {
      HUB_HOST: '127.0.0.1',
      HUB_PORT: '0',
      HUB_DATA_DIR: 'memory://',
      JWT_SECRET: secret,
      LOG_LEVEL: 'silent',
      HUB_SEED: 'false',
      HJ212_PORT: '0',
      HJ212_HOST: '127.0.0.1',
      SIMULATOR: 'false',
      SHUTDOWN_GRACE_SECONDS: '2',
      // tests make many anonymous requests from one address; the limit has its own test
      PUBLIC_RATE_LIMIT_PER_MINUTE: '100000',
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      ...options.env,
    },
    options.mode ?? 'serve',
  );
  const hub = await createHub(config, { logger: options.logger ?? pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }), now: options.now });
  try {
    checkEngine(engine, hub.db.capabilities);
  } catch (error) {
    await hub.stop();
    await drop?.();
    throw error;
  }
  const graphql: TestHub['graphql'] = async (query, variables, token) => {
    const response = await fetch(`http://127.0.0.1:${hub.port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, body: (await response.json()) as never };
  };
  return {
    hub,
    engine,
    token: (claims, ttlSeconds = 600) =>
      signToken({ sub: claims.sub ?? `test-${claims.roles.join('-')}`, ...claims }, secret, {
        ttlSeconds,
        issuer: config.jwt.issuer,
        audience: config.jwt.audience,
      }),
    graphql,
    execute: (document, variables, token) => graphql(print(document), variables as Record<string, unknown>, token) as never,
    stop: async () => {
      await hub.stop();
      await drop?.();
    },
  };
}
