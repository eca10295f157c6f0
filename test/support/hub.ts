import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import pino, { type Logger } from 'pino';
import { loadConfig, type Config } from '../../src/config';
import { createHub, type Hub } from '../../src/hub';
import { signToken, type TokenClaims } from '../../src/auth/jwt';
import { print } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';

export type EngineName = 'pglite' | 'postgres';

/** The engines a suite runs on: the embedded TimescaleDB path always, the server path when reachable. */
export const SERVER_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestHub {
  hub: Hub;
  engine: EngineName;
  token(claims: Partial<TokenClaims> & { roles: TokenClaims['roles'] }, ttlSeconds?: number): Promise<string>;
  graphql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, token?: string): Promise<{ status: number; body: { data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] } }>;
  /** runs a typed document from test/generated (operations in test/operations) */
  execute<R, V>(document: TypedDocumentNode<R, V>, variables: V, token?: string): Promise<{ status: number; body: { data?: R; errors?: { message: string; extensions?: Record<string, unknown> }[] } }>;
  stop(): Promise<void>;
}

/** A uniquely named database on the local server, dropped again by the returned function. */
export async function createServerDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `envhub_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(SERVER_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const cleanup = postgres(SERVER_URL, { max: 1, onnotice: () => {} });
      await cleanup.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
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
  if (engine === 'postgres' && !databaseUrl) {
    const created = await createServerDatabase();
    databaseUrl = created.url;
    drop = created.drop;
  }
  const secret = randomBytes(24).toString('base64url');
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
      signToken({ sub: claims.sub ?? `test-${claims.roles.join('-')}`, ...claims }, secret, { ttlSeconds, issuer: config.jwt.issuer, audience: config.jwt.audience }),
    graphql,
    execute: (document, variables, token) => graphql(print(document), variables as Record<string, unknown>, token) as never,
    stop: async () => {
      await hub.stop();
      await drop?.();
    },
  };
}
