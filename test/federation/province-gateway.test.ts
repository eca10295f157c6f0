import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { composeRouter, hubSubgraphSdl } from '../support/federation';
import { ENGINES, startTestHub, type TestHub } from '../support/hub';
import { createMonitor, ingest, minutesAgo, setLimit } from '../support/monitoring';

// @apollo/gateway reports nothing anywhere with this set before it is constructed
process.env.APOLLO_TELEMETRY_DISABLED = 'true';

/** A province platform whose lists name enterprises and stations of several districts. */
const PROVINCE_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])
  type Enterprise @key(fields: "uscc") { uscc: String! provinceCreditRating: String! }
  type AirStation @key(fields: "code") { code: String! provinceRank: Int! }
  type Monitor @key(fields: "mn") { mn: String! provinceSite: String! }
  type Permit @key(fields: "number") { number: String! provinceStatus: String! }
  type Outlet @key(fields: "uscc code") { uscc: String! code: String! provinceOnline: Boolean! }
  type Query {
    provinceFocus: [Enterprise!]!
    provinceStations: [AirStation!]!
    provinceRegister: [Enterprise!]!
    provinceMonitors: [Monitor!]!
    provincePermits: [Permit!]!
    provinceOutlets: [Outlet!]!
  }
`;

/** Valid unified social credit codes of another district (510199): this hub holds none of them. */
const elsewhere = (i: number) => `91510199MA${String(i).padStart(8, '0')}`;

interface LogEntry {
  level: number;
  msg: string;
  stack?: string;
  err?: { stack?: string };
}

describe.each(ENGINES)('province lists through a gateway (%s)', (engine) => {
  let th: TestHub;
  let upstream: string;
  let provinceServer: ApolloServer;
  let router: ApolloServer;
  const logged: LogEntry[] = [];
  const lists = {
    focus: [] as string[],
    stations: [] as string[],
    register: [] as string[],
    known: [] as string[],
    knownStations: [] as string[],
    monitors: [] as string[],
    permits: [] as string[],
    outlets: [] as { uscc: string; code: string }[],
  };

  beforeAll(async () => {
    th = await startTestHub({
      engine,
      env: { HUB_SEED: 'true', HUB_MODULES: 'grid,source,air' },
      logger: pino({ level: 'info' }, { write: (line: string) => void logged.push(JSON.parse(line) as LogEntry) }),
    });
    const admin = await th.token({ roles: ['admin'] });
    const seeded = await th.graphql<{ enterprises: { edges: { node: { uscc: string } }[] }; airStations: { edges: { node: { code: string } }[] } }>(
      '{ enterprises(first: 100) { edges { node { uscc } } } airStations(first: 3) { edges { node { code } } } }',
      {},
      admin,
    );
    lists.known = seeded.body.data?.enterprises.edges.map((e) => e.node.uscc) ?? [];
    lists.knownStations = seeded.body.data?.airStations.edges.map((e) => e.node.code) ?? [];
    const [a, b] = lists.known;
    lists.focus = [a as string, elsewhere(1), b as string, elsewhere(2)];
    lists.stations = [lists.knownStations[0] as string, '510199051', lists.knownStations[1] as string];
    const files = await th.graphql<{ enterprises: { edges: { node: { uscc: string; permits: { number: string }[]; outlets: { code: string }[] } }[] } }>(
      '{ enterprises(first: 2) { edges { node { uscc permits { number } outlets { code } } } } }',
      {},
      admin,
    );
    const [first, second] = files.body.data?.enterprises.edges.map((e) => e.node) ?? [];
    lists.permits = [first?.permits[0]?.number as string, `${elsewhere(3)}001P`, second?.permits[0]?.number as string, 'P-1'];
    lists.outlets = [
      { uscc: first?.uscc as string, code: first?.outlets[0]?.code as string },
      { uscc: first?.uscc as string, code: 'ZZ999' },
      { uscc: elsewhere(4), code: first?.outlets[0]?.code as string },
      { uscc: second?.uscc as string, code: second?.outlets.at(-1)?.code as string },
    ];
    // Two outlet analysers of the first two enterprises, out of bounds twice and once.
    const mns = ['PROV-EXC-1', 'PROV-EXC-2'];
    const device = await th.token({ roles: ['device'], sub: 'logger-gateway', mns });
    for (const [index, mn] of mns.entries()) {
      const monitor = await createMonitor(th, admin, { mn, enterpriseUscc: lists.known[index] as string });
      await setLimit(th, admin, { monitor, factor: 'w01018', upper: 100 });
    }
    const values = { 'PROV-EXC-1': [150, 50, 160], 'PROV-EXC-2': [170] };
    for (const [mn, series] of Object.entries(values)) {
      await ingest(
        th,
        device,
        series.map((value, i) => ({ mn, time: minutesAgo(30 - i * 5), value })),
      );
    }
    lists.monitors = [mns[0] as string, '88888888510199000000000001', mns[1] as string];
    lists.register = Array.from({ length: 500 }, (_, i) => lists.known[i] ?? elsewhere(1000 + i));
    const province = buildSubgraphSchema({
      typeDefs: parse(PROVINCE_SDL),
      resolvers: {
        Query: {
          provinceFocus: () => lists.focus.map((uscc) => ({ uscc, provinceCreditRating: 'A' })),
          provinceStations: () => lists.stations.map((code, i) => ({ code, provinceRank: i + 1 })),
          provinceRegister: () => lists.register.map((uscc) => ({ uscc, provinceCreditRating: 'B' })),
          provinceMonitors: () => lists.monitors.map((mn) => ({ mn, provinceSite: `site ${mn}` })),
          provincePermits: () => lists.permits.map((number) => ({ number, provinceStatus: 'valid' })),
          provinceOutlets: () => lists.outlets.map((outlet) => ({ ...outlet, provinceOnline: true })),
        },
      },
    });
    provinceServer = new ApolloServer({ schema: province });
    const provinceUrl = (await startStandaloneServer(provinceServer, { listen: { port: 0, host: '127.0.0.1' } })).url;
    upstream ??= await th.token({ roles: ['upstream'], sub: 'sichuan-province-platform' });
    const composed = composeRouter(
      [
        { name: 'envhub', url: `http://127.0.0.1:${th.hub.port}/federation`, typeDefs: await hubSubgraphSdl(th.hub.port, upstream) },
        { name: 'province', url: provinceUrl, typeDefs: parse(PROVINCE_SDL) },
      ],
      () => upstream,
    );
    expect(composed.errors).toEqual([]);
    router = await composed.start();
  }, 120_000);
  afterAll(async () => {
    await router?.stop();
    await provinceServer?.stop();
    await th?.stop();
  });

  async function federation(body: unknown, headers: Record<string, string> = {}) {
    upstream ??= await th.token({ roles: ['upstream'], sub: 'sichuan-province-platform' });
    return fetch(`http://127.0.0.1:${th.hub.port}/federation`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${upstream}`, ...headers },
      body: JSON.stringify(body),
    });
  }
  const run = async <T>(query: string) => {
    const response = await router.executeOperation({ query });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    return response.body.singleResult as { data?: T | null; errors?: unknown[] };
  };

  it('keeps a province list whole when it names enterprises and stations this district does not hold', async () => {
    expect(lists.known.length).toBeGreaterThanOrEqual(2);
    const result = await run<{
      provinceFocus: { uscc: string; provinceCreditRating: string; name: string | null; controlLevel: string | null }[];
      provinceStations: { code: string; provinceRank: number; name: string | null }[];
    }>('{ provinceFocus { uscc provinceCreditRating name controlLevel } provinceStations { code provinceRank name } }');
    expect(result.errors).toBeUndefined();
    const focus = result.data?.provinceFocus ?? [];
    expect(focus.map((e) => e.uscc)).toEqual(lists.focus);
    expect(focus.map((e) => e.provinceCreditRating)).toEqual(['A', 'A', 'A', 'A']);
    // the district's own enterprises carry its fields; the others are null there, not a failed list
    expect(focus.map((e) => typeof e.name === 'string' && typeof e.controlLevel === 'string')).toEqual([true, false, true, false]);
    expect(focus.filter((e) => !lists.known.includes(e.uscc)).every((e) => e.name === null && e.controlLevel === null)).toBe(true);
    const stations = result.data?.provinceStations ?? [];
    expect(stations.map((s) => [s.code, s.provinceRank])).toEqual(lists.stations.map((code, i) => [code, i + 1]));
    expect(stations.map((s) => s.name !== null)).toEqual([true, false, true]);
  });

  it('gives a station its newest AQI, as the hub’s own latest reading shows it', async () => {
    const admin = await th.token({ roles: ['admin'] });
    const own = await th.graphql<{ latestAirQuality: { station: { code: string }; quality: { aqi: number | null; time: string } | null }[] }>(
      '{ latestAirQuality(limit: 500) { station { code } quality { aqi time } } }',
      {},
      admin,
    );
    const expected = lists.stations.map((code) => {
      const quality = own.body.data?.latestAirQuality.find((row) => row.station.code === code)?.quality;
      return quality && quality.aqi !== null ? { aqi: quality.aqi, time: quality.time } : null;
    });
    expect(expected.filter((quality) => quality !== null)).toHaveLength(2);
    const result = await run<{ provinceStations: { code: string; latestQuality: { aqi: number; time: string } | null }[] }>(
      '{ provinceStations { code latestQuality { aqi time } } }',
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.provinceStations.map((s) => s.latestQuality)).toEqual(expected);
  });

  it('pages an enterprise’s and a monitor’s exceedances, newest first, as the hub’s own list shows them', async () => {
    upstream ??= await th.token({ roles: ['upstream'], sub: 'sichuan-province-platform' });
    type Page = { totalCount: number; pageInfo: { hasNextPage: boolean }; edges: { node: { id: string; openedAt: string } }[] };
    const own = async (filter: string): Promise<Page> => {
      const response = await th.graphql<{ exceedances: Page }>(
        `{ exceedances(first: 2, filter: { ${filter} }) { totalCount pageInfo { hasNextPage } edges { node { id openedAt } } } }`,
        {},
        upstream,
      );
      return response.body.data?.exceedances as Page;
    };
    const page = 'exceedances(first: 2) { totalCount pageInfo { hasNextPage } edges { node { id openedAt } } }';
    const result = await run<{
      provinceFocus: { uscc: string; exceedances: Page | null }[];
      provinceMonitors: { mn: string; provinceSite: string; exceedances: Page | null }[];
    }>(`{ provinceFocus { uscc ${page} } provinceMonitors { mn provinceSite ${page} } }`);
    expect(result.errors).toBeUndefined();
    const expectedFocus = await Promise.all(lists.focus.map((uscc) => (lists.known.includes(uscc) ? own(`enterpriseUscc: "${uscc}"`) : null)));
    expect(result.data?.provinceFocus.map((e) => e.exceedances)).toEqual(expectedFocus);
    const admin = await th.token({ roles: ['admin'] });
    const ids = await th.graphql<{ monitors: { edges: { node: { id: string; mn: string } }[] } }>(
      '{ monitors(first: 100) { edges { node { id mn } } } }',
      {},
      admin,
    );
    const idOf = new Map(ids.body.data?.monitors.edges.map((e) => [e.node.mn, e.node.id]));
    const expectedMonitors = await Promise.all(lists.monitors.map((mn) => (idOf.has(mn) ? own(`monitor: "${idOf.get(mn)}"`) : null)));
    expect(expectedMonitors.map((p) => p !== null && p.edges.length > 0)).toEqual([true, false, true]);
    expect(result.data?.provinceMonitors.map((m) => [m.provinceSite, m.exceedances])).toEqual(
      lists.monitors.map((mn, i) => [`site ${mn}`, expectedMonitors[i]]),
    );
    for (const monitor of result.data?.provinceMonitors ?? []) {
      const times = monitor.exceedances?.edges.map((e) => e.node.openedAt) ?? [];
      expect([...times].sort().reverse()).toEqual(times);
    }
  });

  it('joins permits by number and outlets by USCC and code, the unknown ones null', async () => {
    const admin = await th.token({ roles: ['admin'] });
    type File = {
      uscc: string;
      permits: { number: string; validTo: string; issuedBy: string | null }[];
      outlets: { code: string; name: string; kind: string }[];
    };
    const own = await th.graphql<{ enterprises: { edges: { node: File }[] } }>(
      '{ enterprises(first: 2) { edges { node { uscc permits { number validTo issuedBy } outlets { code name kind } } } } }',
      {},
      admin,
    );
    const files = own.body.data?.enterprises.edges.map((e) => e.node) ?? [];
    const permitOf = (number: string) => files.flatMap((f) => f.permits).find((p) => p.number === number);
    const outletOf = (uscc: string, code: string) => files.find((f) => f.uscc === uscc)?.outlets.find((o) => o.code === code);
    const result = await run<{
      provincePermits: { number: string; provinceStatus: string; validTo: string | null; issuedBy: string | null }[];
      provinceOutlets: { uscc: string; code: string; provinceOnline: boolean; name: string | null; kind: string | null }[];
    }>('{ provincePermits { number provinceStatus validTo issuedBy } provinceOutlets { uscc code provinceOnline name kind } }');
    expect(result.errors).toBeUndefined();
    expect(result.data?.provincePermits).toEqual(
      lists.permits.map((number) => {
        const held = permitOf(number);
        return { number, provinceStatus: 'valid', validTo: held?.validTo ?? null, issuedBy: held?.issuedBy ?? null };
      }),
    );
    expect(result.data?.provincePermits.map((p) => p.validTo !== null)).toEqual([true, false, true, false]);
    expect(result.data?.provinceOutlets).toEqual(
      lists.outlets.map(({ uscc, code }) => {
        const held = outletOf(uscc, code);
        return { uscc, code, provinceOnline: true, name: held?.name ?? null, kind: held?.kind ?? null };
      }),
    );
    expect(result.data?.provinceOutlets.map((o) => o.name !== null)).toEqual([true, false, false, true]);
  });

  it('shows an enterprise token the exceedances of its own file only', async () => {
    const [mine, other] = lists.known as [string, string];
    const query = 'query($u: String!) { enterprise(uscc: $u) { exceedances(first: 100) { totalCount edges { node { monitor { mn } } } } } }';
    type Result = { enterprise: { exceedances: { totalCount: number; edges: { node: { monitor: { mn: string } | null } }[] } } | null };
    const token = await th.token({ roles: ['enterprise'], enterprise: mine });
    const own = await th.graphql<Result>(query, { u: mine }, token);
    expect(own.body.data?.enterprise?.exceedances.totalCount).toBe(2);
    expect(own.body.data?.enterprise?.exceedances.edges.map((e) => e.node.monitor?.mn)).toEqual(['PROV-EXC-1', 'PROV-EXC-1']);
    expect((await th.graphql<Result>(query, { u: other }, token)).body.data?.enterprise).toBeNull();
    const district = await th.token({ roles: ['district'] });
    expect((await th.graphql<Result>(query, { u: other }, district)).body.data?.enterprise?.exceedances.edges.map((e) => e.node.monitor?.mn)).toEqual([
      'PROV-EXC-2',
    ]);
  });

  it('joins a province list of 500 enterprises in one request', async () => {
    const result = await run<{ provinceRegister: { uscc: string; controlLevel: string | null }[] }>(
      '{ provinceRegister { uscc provinceCreditRating controlLevel } }',
    );
    expect(result.errors).toBeUndefined();
    const register = result.data?.provinceRegister ?? [];
    expect(register).toHaveLength(500);
    const held = register.filter((e) => e.controlLevel !== null).map((e) => e.uscc);
    expect(held).toEqual(lists.known);
  });

  it('refuses more representations than the cap before running', async () => {
    const representations = Array.from({ length: 501 }, (_, i) => ({ __typename: 'Enterprise', uscc: elsewhere(i) }));
    const response = await federation({
      query: 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Enterprise { uscc } } }',
      variables: { r: representations },
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe('LIMIT_EXCEEDED');
  });

  it('answers a malformed representation with an error at its own index, logged once at warn', async () => {
    const before = logged.length;
    const known = lists.known[0] as string;
    const response = await federation({
      query: 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Enterprise { uscc name } ... on AirStation { code } } }',
      variables: {
        r: [
          { __typename: 'Enterprise', uscc: known },
          { uscc: known },
          { __typename: 'Province', uscc: known },
          { __typename: 'Enterprise', uscc: null },
          { __typename: 'Enterprise' },
          { __typename: 'AirStation', code: lists.knownStations[0] },
          { __typename: 'Enterprise', uscc: elsewhere(7) },
        ],
      },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: { _entities: unknown[] }; errors: { message: string; path: unknown[]; extensions: { code: string } }[] };
    expect(body.data._entities).toEqual([{ uscc: known, name: expect.any(String) }, null, null, null, null, { code: lists.knownStations[0] }, null]);
    expect(body.errors.map((e) => [e.path, e.extensions.code])).toEqual([1, 2, 3, 4].map((i) => [['_entities', i], 'BAD_USER_INPUT']));
    expect(body.errors.map((e) => e.message)).toEqual([
      'representation 1 has no __typename',
      'representation 2 names "Province", which is not an entity of this subgraph',
      'representation 3 needs its key "uscc" as a string of 1 to 64 characters',
      'representation 4 needs its key "uscc" as a string of 1 to 64 characters',
    ]);
    const lines = logged.slice(before);
    expect(lines.filter((line) => line.msg === 'malformed entity representations').map((line) => line.level)).toEqual([40]);
    expect(lines.filter((line) => line.level >= 50)).toEqual([]);
    expect(lines.some((line) => line.stack !== undefined || line.err?.stack !== undefined)).toBe(false);
  });

  it('adds an inline trace when the router asks for one, and only then', async () => {
    const query = {
      query: 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Enterprise { name } } }',
      variables: { r: [{ __typename: 'Enterprise', uscc: lists.known[0] }] },
    };
    const traced = (await (await federation(query, { 'apollo-federation-include-trace': 'ftv1' })).json()) as { extensions?: { ftv1?: string } };
    expect(typeof traced.extensions?.ftv1).toBe('string');
    expect(Buffer.from(traced.extensions?.ftv1 as string, 'base64').length).toBeGreaterThan(0);
    const plain = (await (await federation(query)).json()) as { extensions?: { ftv1?: string } };
    expect(plain.extensions?.ftv1).toBeUndefined();
  });

  it('cannot change anything through /federation by default, whoever forwards a token', async () => {
    const district = await th.token({ roles: ['district'], sub: 'district-officer' });
    const response = await federation({ query: 'mutation { __typename }' }, { authorization: `Bearer ${district}` });
    const body = (await response.json()) as { data?: unknown; errors: { message: string }[] };
    expect(body.data ?? null).toBeNull();
    expect(body.errors[0]?.message).toMatch(/not configured to execute mutation/);
  });
});
