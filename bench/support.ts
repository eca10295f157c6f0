import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { loadConfig } from '../src/config';
import { createHub, type Hub } from '../src/hub';
import { signToken } from '../src/auth/jwt';
import { createServerDatabase } from '../test/support/hub';

export type Engine = 'pglite' | 'postgres';

/** A hub for a benchmark: in-memory PGlite, or a throwaway database on the local server. */
export async function benchHub(
  engine: Engine,
  env: Record<string, string> = {},
): Promise<{ hub: Hub; token: (roles: string[]) => Promise<string>; stop: () => Promise<void> }> {
  const secret = randomBytes(24).toString('base64url');
  const server = engine === 'postgres' ? await createServerDatabase() : undefined;
  const config = loadConfig(
    {
      HUB_HOST: '127.0.0.1',
      HUB_PORT: '0',
      HUB_DATA_DIR: 'memory://',
      JWT_SECRET: secret,
      HJ212_PORT: '0',
      HJ212_HOST: '127.0.0.1',
      LOG_LEVEL: process.env.BENCH_LOG ?? 'silent',
      INGEST_BATCH_MAX: process.env.BENCH_BATCH ?? '5000',
      // benchmarks measure throughput, not limits: every client is on loopback, batches are large
      GRAPHQL_BUDGET_STAFF: '100000000',
      WS_MAX_CONNECTIONS_PER_ADDRESS: '100000',
      HTTP_MAX_BODY_BYTES: '16777216',
      ...(server ? { DATABASE_URL: server.url, DATABASE_POOL_MAX: '10' } : {}),
      ...env,
    },
    'serve',
  );
  const hub = await createHub(config, { logger: pino({ level: process.env.BENCH_LOG ?? 'silent' }) });
  return {
    hub,
    token: (roles) => signToken({ sub: 'bench', roles: roles as never }, secret, { ttlSeconds: 3600 }),
    stop: async () => {
      await hub.stop();
      await server?.drop();
    },
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

export const engines = (): Engine[] => (process.env.BENCH_ENGINES ?? 'pglite,postgres').split(',') as Engine[];
