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
import { buildSubgraphSchema as hubSubgraph, DEFAULT_SUBGRAPH_OPTIONS } from '../../src/graphql/federation';

/** A stand-in province platform that extends the hub's enterprises, air stations and monitors. */
const PROVINCE_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])
  type Monitor @key(fields: "mn") { mn: String! provinceLicence: String! }
  type Enterprise @key(fields: "uscc") { uscc: String! provinceCreditRating: String! }
  type AirStation @key(fields: "code") { code: String! provinceRank: Int! }
  type Query { provinceWatchList: [Monitor!]! provinceFocus: [Enterprise!]! provinceStations: [AirStation!]! }
`;
const focus: { usccs: string[]; stations: string[] } = { usccs: [], stations: [] };
const rating = (uscc: string) => (uscc.charCodeAt(17) % 2 === 0 ? 'A' : 'B');
const province = buildSubgraphSchema({
  typeDefs: parse(PROVINCE_SDL),
  resolvers: {
    Query: {
      provinceWatchList: () => ['FED-1', 'FED-2'].map((mn) => ({ mn, provinceLicence: `SC-${mn}` })),
      provinceFocus: () => focus.usccs.map((uscc) => ({ uscc, provinceCreditRating: rating(uscc) })),
      provinceStations: () => focus.stations.map((code, index) => ({ code, provinceRank: index + 1 })),
    },
    Monitor: { __resolveReference: (ref: { mn: string }) => ({ mn: ref.mn, provinceLicence: `SC-${ref.mn}` }) },
    Enterprise: { __resolveReference: (ref: { uscc: string }) => ({ uscc: ref.uscc, provinceCreditRating: rating(ref.uscc) }) },
    AirStation: { __resolveReference: (ref: { code: string }) => ({ code: ref.code, provinceRank: 1 }) },
  },
});

describe('the federation subgraph (pglite)', () => {
  let th: TestHub;
  let upstream: string;
  let provinceServer: ApolloServer;
  let provinceUrl: string;

  beforeAll(async () => {
    // the demo district gives real enterprises and air stations to join across platforms
    th = await startTestHub({ env: { HUB_SEED: 'true', HUB_MODULES: 'grid,source,air' } });
    const admin = await th.token({ roles: ['admin'] });
    const seeded = await th.graphql<{ enterprises: { edges: { node: { uscc: string } }[] }; airStations: { edges: { node: { code: string } }[] } }>(
      '{ enterprises(first: 2) { edges { node { uscc } } } airStations(first: 2) { edges { node { code } } } }',
      {},
      admin,
    );
    focus.usccs = seeded.body.data?.enterprises.edges.map((e) => e.node.uscc) ?? [];
    focus.stations = seeded.body.data?.airStations.edges.map((e) => e.node.code) ?? [];
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
    const sdl = hubSubgraph(modules, DEFAULT_SUBGRAPH_OPTIONS).sdl;
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
      const fromHub = await router.executeOperation({ query: '{ district_510112 { monitor(mn: "FED-2") { name provinceLicence } } }' });
      expect(fromHub.body.kind === 'single' && fromHub.body.singleResult.data).toEqual({
        district_510112: { monitor: { name: 'monitor FED-2', provinceLicence: 'SC-FED-2' } },
      });
      expect(focus.usccs).toHaveLength(2);
      expect(focus.stations).toHaveLength(2);
      const enterprises = await router.executeOperation({
        query: '{ provinceFocus { uscc provinceCreditRating name controlLevel } provinceStations { code provinceRank name level } }',
      });
      const data = enterprises.body.kind === 'single' ? enterprises.body.singleResult : undefined;
      expect(data?.errors).toBeUndefined();
      const result = data?.data as {
        provinceFocus: { uscc: string; provinceCreditRating: string; name: string }[];
        provinceStations: { code: string; provinceRank: number; name: string }[];
      };
      expect(result.provinceFocus.map((e) => e.uscc)).toEqual(focus.usccs);
      expect(result.provinceFocus.every((e) => e.name.length > 0 && /^[AB]$/.test(e.provinceCreditRating))).toBe(true);
      expect(result.provinceStations.map((s) => [s.code, s.provinceRank])).toEqual(focus.stations.map((code, i) => [code, i + 1]));
      expect(result.provinceStations.every((s) => s.name.length > 0)).toBe(true);
      const uscc = focus.usccs[0] as string;
      const fromHubSide = await router.executeOperation({ query: `{ district_510112 { enterprise(uscc: "${uscc}") { uscc name provinceCreditRating } } }` });
      expect(fromHubSide.body.kind === 'single' && fromHubSide.body.singleResult.data).toEqual({
        district_510112: { enterprise: { uscc, name: expect.any(String), provinceCreditRating: rating(uscc) } },
      });
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

  const federationGet = async (query: string, variables: Record<string, unknown>, token: string) => {
    const search = new URLSearchParams({ query, variables: JSON.stringify(variables) });
    const response = await fetch(`http://127.0.0.1:${th.hub.port}/federation?${search}`, {
      headers: { authorization: `Bearer ${token}`, 'apollo-require-preflight': 'true' },
    });
    return { status: response.status, body: (await response.json()) as { errors?: { message: string; extensions?: Record<string, unknown> }[] } };
  };
  const monitors = (count: number) => Array.from({ length: count }, (_, i) => ({ __typename: 'Monitor', mn: `X${i}` }));
  const aliasedEntities = (aliases: number) =>
    `query($r: [_Any!]!) { ${Array.from({ length: aliases }, (_, i) => `e${i}: _entities(representations: $r) { ... on Monitor { mn } }`).join(' ')} }`;

  it('counts the representations of every aliased _entities field of a batch against one cap (POST)', async () => {
    const operation = { query: aliasedEntities(30), variables: { r: monitors(100) } };
    const response = await federation(
      Array.from({ length: 7 }, () => operation),
      upstream,
    );
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { message: string; extensions: Record<string, unknown> }[] };
    expect(body.errors[0]?.message).toBe('the request carries 21,000 entity representations; the limit is 500 per request');
    expect(body.errors[0]?.extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', entities: 21_000, limit: 500 });
    // within the cap, the same shape runs
    const fine = await federation(
      [
        { query: aliasedEntities(2), variables: { r: monitors(25) } },
        { query: aliasedEntities(2), variables: { r: monitors(25) } },
      ],
      upstream,
    );
    expect(fine.status).toBe(200);
  });

  it('refuses the same over GET, and nested spreads and aliased large series by their cost', async () => {
    const entities = await federationGet(aliasedEntities(30), { r: monitors(20) }, upstream);
    expect(entities.status).toBe(400);
    expect(entities.body.errors?.[0]?.message).toMatch(/600 entity representations; the limit is 500/);
    const fragments = Array.from({ length: 23 }, (_, i) => `fragment F${i} on District510112Query { hub { version } ...F${i + 1} ...F${i + 1} }`).join(' ');
    const nested = `query { district_510112 { ...F0 } } ${fragments} fragment F23 on District510112Query { hub { version } }`;
    for (const sent of [
      await federationGet(nested, {}, upstream),
      { status: 0, body: (await (await federation({ query: nested }, upstream)).json()) as { errors?: { message: string }[] } },
    ]) {
      expect(sent.body.errors?.[0]?.message).toMatch(
        /^operation cost 16,777,215 exceeds the budget of 100,000 for federation; costliest: district_510112\.hub 16,777,215/,
      );
    }
    const series = Array.from(
      { length: 30 },
      (_, i) =>
        `a${i}: readings(monitor: $m, factor: "w01018", from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z", limit: 5000) { points { time value } }`,
    ).join(' ');
    const aliased = await federationGet(`query($m: ID!) { district_510112 { ${series} } }`, { m: 'TW9uaXRvcjox' }, upstream);
    expect(aliased.status).toBe(400);
    expect(aliased.body.errors?.[0]?.message).toMatch(
      /^operation cost 150,030 exceeds the budget of 100,000 for federation; costliest: district_510112\.a\d+\.points 5,000/,
    );
  });

  it('caps representations per request and applies the cost limit', async () => {
    const many = { ...ENTITIES, variables: { r: Array.from({ length: 501 }, (_, i) => ({ __typename: 'Monitor', mn: `X${i}` })) } };
    const response = await federation(many, upstream);
    const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
    expect(body.errors?.[0]?.extensions?.code).toBe('LIMIT_EXCEEDED');
    const costly = await federation(
      {
        query:
          'query($r: [_Any!]!) { _entities(representations: $r) { ... on Monitor { latestReadings { factor value monitor { latestReadings { factor } } } } } }',
        variables: { r: Array.from({ length: 100 }, (_, i) => ({ __typename: 'Monitor', mn: `X${i}` })) },
      },
      upstream,
    );
    expect(((await costly.json()) as { errors?: { message: string }[] }).errors?.[0]?.message).toMatch(/cost/);
  });
});
