import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { createHub, type Hub } from '../../src/hub';
import { MODULE_REGISTRY } from '../../src/registry';
import { signToken } from '../../src/auth/jwt';
import type { HubModule } from '../../src/modules';

// `npm start` answers while the demo district is still being seeded (createHub with
// serveWhileSeeding). The seed is held at its start here, so the queries below are certainly made
// on an empty district, and again mid-way (after the grid's part).
describe('demo hub: queries while the district is being seeded (pglite)', () => {
  const secret = randomBytes(24).toString('base64url');
  let hub: Hub;
  let token: string;
  let started = false;
  const gates = new Map<string, () => void>();
  const reached = new Map<string, Promise<void>>();
  const held = (name: string): HubModule['seed'] => {
    const module = MODULE_REGISTRY.find((candidate) => candidate.name === name);
    let arrived!: () => void;
    reached.set(name, new Promise((resolve) => (arrived = resolve)));
    const release = new Promise<void>((resolve) => gates.set(name, resolve));
    return async (runtime) => {
      arrived();
      await release;
      await module?.seed?.(runtime);
    };
  };

  // A connection per request: the steps are seconds apart, longer than the server keeps one idle.
  const request = (path: string, body?: string, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const outgoing = httpRequest({ host: '127.0.0.1', port: hub.port, path, method: body ? 'POST' : 'GET', agent: false, headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      });
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  const graphql = async (query: string, withToken = true) => {
    const response = await request('/graphql', JSON.stringify({ query }), {
      'content-type': 'application/json',
      ...(withToken ? { authorization: `Bearer ${token}` } : {}),
    });
    return { status: response.status, body: JSON.parse(response.text) as { data?: Record<string, unknown>; errors?: unknown[] } };
  };
  const answersWithoutErrors = async (): Promise<{ enterprises: number; cells: number }> => {
    const publicRead = await graphql('{ hub { version } }', false);
    expect(publicRead.status).toBe(200);
    expect(publicRead.body.errors).toBeUndefined();
    const districtRead = await graphql('{ enterprises(first: 5) { edges { node { uscc name } } } gridCells(first: 5) { edges { node { code } } } }');
    expect(districtRead.status).toBe(200);
    expect(districtRead.body.errors).toBeUndefined();
    const data = districtRead.body.data as { enterprises: { edges: unknown[] }; gridCells: { edges: unknown[] } };
    expect((await request('/')).status).toBe(200);
    return { enterprises: data.enterprises.edges.length, cells: data.gridCells.edges.length };
  };

  beforeAll(async () => {
    const config = loadConfig(
      {
        HUB_HOST: '127.0.0.1',
        HUB_PORT: '0',
        HUB_DATA_DIR: 'memory://',
        JWT_SECRET: secret,
        LOG_LEVEL: 'silent',
        HUB_SEED: 'true',
        HJ212_PORT: '0',
        HJ212_HOST: '127.0.0.1',
        SIMULATOR: 'false',
        SHUTDOWN_GRACE_SECONDS: '2',
      },
      'demo',
    );
    const registry = MODULE_REGISTRY.map((module) => (module.name === 'grid' || module.name === 'source' ? { ...module, seed: held(module.name) } : module));
    hub = await createHub(config, { registry, serveWhileSeeding: true, logger: pino({ level: 'silent' }) });
    hub.started.then(() => (started = true));
    token = await signToken({ sub: 'test-district', roles: ['district'] }, secret, {
      ttlSeconds: 600,
      issuer: config.jwt.issuer,
      audience: config.jwt.audience,
    });
  }, 120_000);

  afterAll(async () => {
    for (const release of gates.values()) release();
    await hub?.stop();
  });

  it('answers before anything is seeded: the district is empty, no errors', async () => {
    await reached.get('grid');
    expect(await answersWithoutErrors()).toEqual({ enterprises: 0, cells: 0 });
    expect(started).toBe(false);
  });

  it('answers mid-way: what is seeded so far', async () => {
    gates.get('grid')?.();
    await reached.get('source');
    const seen = await answersWithoutErrors();
    expect(seen.cells).toBeGreaterThan(0);
    expect(seen.enterprises).toBe(0);
    expect(started).toBe(false);
  });

  it('once seeding ends, Hub.started settles and the whole district answers', async () => {
    gates.get('source')?.();
    await hub.started;
    expect(await answersWithoutErrors()).toEqual({ enterprises: 5, cells: 5 });
  }, 120_000);
});
