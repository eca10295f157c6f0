import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { composeServices } from '@apollo/composition';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { parse } from 'graphql';
import { startTestHub, type TestHub } from '../support/hub';
import { createMonitor } from '../support/monitoring';
import { planHub } from '../../src/hub';
import { buildSubgraphSchema as hubSubgraph } from '../../src/graphql/federation';

/** A stand-in province platform that extends the hub's monitors with its own field. */
const PROVINCE_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])
  type Monitor @key(fields: "mn") { mn: String! provinceLicence: String! }
  type Query { provinceWatchList: [Monitor!]! }
`;
const province = buildSubgraphSchema({
  typeDefs: parse(PROVINCE_SDL),
  resolvers: {
    Query: { provinceWatchList: () => ['FED-1', 'FED-2'].map((mn) => ({ mn, provinceLicence: `SC-${mn}` })) },
    Monitor: { __resolveReference: (ref: { mn: string }) => ({ mn: ref.mn, provinceLicence: `SC-${ref.mn}` }) },
  },
});

describe('the federation subgraph', () => {
  let th: TestHub;
  let upstream: string;
  let provinceServer: ApolloServer;
  let provinceUrl: string;

  beforeAll(async () => {
    th = await startTestHub();
    const admin = await th.token({ roles: ['admin'] });
    await createMonitor(th, admin, { mn: 'FED-1', cellCode: '51011201001001' });
    await createMonitor(th, admin, { mn: 'FED-2', cellCode: '51011201001002' });
    upstream = await th.token({ roles: ['upstream'], sub: 'sichuan-province-platform' });
    provinceServer = new ApolloServer({ schema: province });
    provinceUrl = (await startStandaloneServer(provinceServer, { listen: { port: 0, host: '127.0.0.1' } })).url;
  });
  afterAll(async () => {
    await provinceServer?.stop();
    await th?.stop();
  });

  const federation = (body: unknown, token?: string) =>
    fetch(`http://127.0.0.1:${th.hub.port}/federation`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });

  it('is committed in schema/subgraph.graphql and has no subscriptions', () => {
    const { modules } = planHub({ modules: undefined });
    const sdl = hubSubgraph(modules, { maxRepresentations: 100 }).sdl;
    expect(`${sdl}\n`).toBe(readFileSync(new URL('../../schema/subgraph.graphql', import.meta.url), 'utf8'));
    expect(sdl).not.toMatch(/Subscription/);
    expect(sdl).toMatch(/type Monitor implements Node\s+@key\(fields: "mn"\)/);
  });

  it('composes with a province subgraph and answers queries across both through a gateway', async () => {
    const hubSdl = readFileSync(new URL('../../schema/subgraph.graphql', import.meta.url), 'utf8');
    const composed = composeServices([
      { name: 'envhub', url: `http://127.0.0.1:${th.hub.port}/federation`, typeDefs: parse(hubSdl) },
      { name: 'province', url: provinceUrl, typeDefs: parse(PROVINCE_SDL) },
    ]);
    expect(composed.errors ?? []).toEqual([]);
    const gateway = new ApolloGateway({
      supergraphSdl: composed.supergraphSdl as string,
      buildService: ({ url }) =>
        new RemoteGraphQLDataSource({
          url,
          willSendRequest: ({ request }) => {
            request.http?.headers.set('authorization', `Bearer ${upstream}`);
          },
        }),
    });
    const router = new ApolloServer({ gateway });
    await router.start();
    try {
      const joined = await router.executeOperation({ query: '{ provinceWatchList { mn provinceLicence name status cellCode } }' });
      expect(joined.body.kind === 'single' && joined.body.singleResult).toMatchObject({
        data: {
          provinceWatchList: [
            { mn: 'FED-1', provinceLicence: 'SC-FED-1', name: 'monitor FED-1', status: 'UNKNOWN', cellCode: '51011201001001' },
            { mn: 'FED-2', provinceLicence: 'SC-FED-2', name: 'monitor FED-2', status: 'UNKNOWN', cellCode: '51011201001002' },
          ],
        },
      });
      const fromHub = await router.executeOperation({ query: '{ monitor(mn: "FED-2") { name provinceLicence } }' });
      expect(fromHub.body.kind === 'single' && fromHub.body.singleResult.data).toEqual({ monitor: { name: 'monitor FED-2', provinceLicence: 'SC-FED-2' } });
    } finally {
      await router.stop();
    }
  });

  const ENTITIES = {
    query: 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Monitor { mn name } } }',
    variables: { r: [{ __typename: 'Monitor', mn: 'FED-1' }] },
  };

  it('answers _entities for an upstream platform', async () => {
    const response = await federation(ENTITIES, upstream);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { _entities: [{ mn: 'FED-1', name: 'monitor FED-1' }] } });
  });

  it('answers _entities with nothing without authorization', async () => {
    const anonymous = await federation(ENTITIES);
    expect(anonymous.status).toBe(401);
    expect(JSON.stringify(await anonymous.json())).not.toContain('monitor FED-1');
    const enterprise = await federation(ENTITIES, await th.token({ roles: ['enterprise'], enterprise: '91510112MA6CAAAAA1' }));
    expect(enterprise.status).toBe(403);
    expect(JSON.stringify(await enterprise.json())).not.toContain('monitor FED-1');
  });

  it('caps representations per request and applies the cost limit', async () => {
    const many = { ...ENTITIES, variables: { r: Array.from({ length: 101 }, (_, i) => ({ __typename: 'Monitor', mn: `X${i}` })) } };
    const response = await federation(many, upstream);
    const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
    expect(body.errors?.[0]?.extensions?.code).toBe('LIMIT_EXCEEDED');
    const costly = await federation(
      { query: 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Monitor { latestReadings { factor value monitor { latestReadings { factor } } } } } }', variables: { r: [] } },
      upstream,
    );
    expect(((await costly.json()) as { errors?: { message: string }[] }).errors?.[0]?.message).toMatch(/cost/);
  });
});
