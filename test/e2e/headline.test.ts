import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { Kind, parse, print, separateOperations, type FragmentDefinitionNode } from 'graphql';
import { DEFAULT_BUDGETS } from '../../src/config';
import { composeRouter } from '../support/federation';
import { ENGINES, startTestHub, type TestHub } from '../support/hub';

/** The committed headline operations: each runs at the default settings, as a client sends it. */
const FILE = readFileSync(new URL('../../operations/headline.graphql', import.meta.url), 'utf8');
const OPERATIONS = Object.fromEntries(Object.entries(separateOperations(parse(FILE))).map(([name, document]) => [name, print(document)]));
const PROVINCE_FRAGMENT = print(
  parse(FILE).definitions.find(
    (d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === 'ProvinceEnterprise',
  ) as FragmentDefinitionNode,
);

/** A stand-in province platform naming the enterprises it follows. */
const PROVINCE_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])
  type Enterprise @key(fields: "uscc") { uscc: String! provinceCreditRating: String! }
  type Query { provinceFocus: [Enterprise!]! }
`;

type Result = {
  status: number;
  body: { data?: Record<string, unknown> | null; errors?: { message: string }[]; extensions?: { cost?: { operation: number; budget: number } } };
};

describe('the comment on each headline operation', () => {
  it('says which token it needs and where it runs', () => {
    const blocks = FILE.split(/\n(?=query |fragment )/).slice(1);
    for (const block of blocks.filter((b) => b.startsWith('query'))) {
      const name = /^query (\w+)/.exec(block)?.[1] as string;
      const comment = FILE.slice(0, FILE.indexOf(`query ${name}`))
        .split('\n\n')
        .at(-1) as string;
      expect(comment, name).toMatch(/^# role: \w+.* · endpoint: \/(graphql|federation)$/m);
    }
    expect(Object.keys(OPERATIONS).sort()).toEqual(['AssistantTasks', 'DistrictAqiRanking', 'EnterpriseFile', 'IncidentCommandView', 'ProvinceEnterpriseJoin']);
  });
});

describe.each(ENGINES)('the headline operations on %s', (engine) => {
  let th: TestHub;
  let district: string;
  let assistant: string;
  let upstream: string;
  const found = { uscc: '', usccs: [] as string[], incident: '' };
  let province: ApolloServer;
  let provinceUrl = '';

  const run = async (endpoint: 'graphql' | 'federation', name: string, variables: Record<string, unknown>, token: string): Promise<Result> => {
    const response = await fetch(`http://127.0.0.1:${th.hub.port}/${endpoint}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: OPERATIONS[name], variables, operationName: name, extensions: { cost: true } }),
    });
    return { status: response.status, body: (await response.json()) as Result['body'] };
  };
  const accepted = (result: Result, budget: number) => {
    expect(result.body.errors).toBeUndefined();
    expect(result.status).toBe(200);
    expect(result.body.extensions?.cost?.budget).toBe(budget);
    expect(result.body.extensions?.cost?.operation).toBeLessThanOrEqual(budget);
  };

  beforeAll(async () => {
    th = await startTestHub({ engine, env: { HUB_SEED: 'true', HUB_MODULES: 'grid,source,air,emergency' } });
    district = await th.token({ roles: ['district'] });
    upstream = await th.token({ roles: ['upstream'], sub: 'sichuan-province-platform' });
    const seeded = await th.graphql<{
      enterprises: { edges: { node: { uscc: string } }[] };
      emergencyIncidents: { edges: { node: { id: string } }[] };
      gridTasks: { edges: { node: { cellCode: string; assignee: { subject: string } | null } }[] };
    }>(
      `{ enterprises(first: 50) { edges { node { uscc } } }
         emergencyIncidents(first: 1) { edges { node { id } } }
         gridTasks(first: 50) { edges { node { cellCode assignee { subject } } } } }`,
      {},
      district,
    );
    const data = seeded.body.data;
    found.usccs = data?.enterprises.edges.map((e) => e.node.uscc) ?? [];
    found.uscc = found.usccs[0] ?? '';
    found.incident = data?.emergencyIncidents.edges[0]?.node.id ?? '';
    const task = data?.gridTasks.edges.find((e) => e.node.assignee?.subject)?.node;
    assistant = await th.token({ roles: ['assistant'], sub: task?.assignee?.subject, cells: [task?.cellCode ?? ''] });
    province = new ApolloServer({
      schema: buildSubgraphSchema({
        typeDefs: parse(PROVINCE_SDL),
        resolvers: {
          Query: { provinceFocus: () => found.usccs.map((uscc) => ({ uscc, provinceCreditRating: 'A' })) },
          Enterprise: { __resolveReference: (ref: { uscc: string }) => ({ uscc: ref.uscc, provinceCreditRating: 'A' }) },
        },
      }),
    });
    provinceUrl = (await startStandaloneServer(province, { listen: { port: 0, host: '127.0.0.1' } })).url;
  }, 240_000);
  afterAll(async () => {
    await province?.stop();
    await th?.stop();
  });

  it('has the demo district to run them on', () => {
    expect(found.usccs).toHaveLength(50);
    expect(found.incident).not.toBe('');
  });

  it('runs the enterprise’s whole file in one request', async () => {
    const result = await run('graphql', 'EnterpriseFile', { uscc: found.uscc }, district);
    accepted(result, DEFAULT_BUDGETS.staff);
    const enterprise = result.body.data?.enterprise as { uscc: string; outlets: { monitors: unknown[] }[]; permits: unknown[] };
    expect(enterprise.uscc).toBe(found.uscc);
    expect(enterprise.outlets.length).toBeGreaterThan(0);
    expect(enterprise.outlets.some((o) => o.monitors.length > 0)).toBe(true);
  });

  it('runs the incident command view', async () => {
    const result = await run('graphql', 'IncidentCommandView', { incident: found.incident }, district);
    accepted(result, DEFAULT_BUDGETS.staff);
    const view = result.body.data?.commandView as { __typename: string; data: { incident: { id: string } } };
    expect(view.__typename).toBe('QueryCommandViewSuccess');
    expect(view.data.incident.id).toBe(found.incident);
  });

  it('runs an assistant’s task list with patrols and media', async () => {
    const result = await run('graphql', 'AssistantTasks', {}, assistant);
    accepted(result, DEFAULT_BUDGETS.staff);
    const tasks = (result.body.data?.gridTasks as { edges: { node: { patrols: unknown[] } }[] }).edges;
    expect(tasks.length).toBeGreaterThan(0);
  });

  it('runs the district’s AQI ranking with each station’s last 24 hours', async () => {
    const day = new Date(Date.now() - 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);
    const result = await run('graphql', 'DistrictAqiRanking', { day }, district);
    accepted(result, DEFAULT_BUDGETS.staff);
    const ranking = result.body.data?.airStationRanking as { __typename: string; data: { station: { hourlyAqi: unknown[] } }[] };
    expect(ranking.__typename).toBe('QueryAirStationRankingSuccess');
    expect(ranking.data.length).toBeGreaterThan(0);
    expect(ranking.data.every((row) => row.station.hourlyAqi.length === 24)).toBe(true);
  });

  it('runs the province join of 50 enterprises on /federation as it is', async () => {
    const representations = found.usccs.map((uscc) => ({ __typename: 'Enterprise', uscc }));
    const result = await run('federation', 'ProvinceEnterpriseJoin', { representations }, upstream);
    accepted(result, DEFAULT_BUDGETS.federation);
    expect((result.body.data?._entities as unknown[]).length).toBe(50);
  });

  it('runs the province join through a province router (@apollo/gateway)', async () => {
    const hubSdl = readFileSync(new URL('../../schema/subgraph.graphql', import.meta.url), 'utf8');
    const composed = composeRouter(
      [
        { name: 'envhub', url: `http://127.0.0.1:${th.hub.port}/federation`, typeDefs: parse(hubSdl) },
        { name: 'province', url: provinceUrl, typeDefs: parse(PROVINCE_SDL) },
      ],
      () => upstream,
    );
    expect(composed.errors).toEqual([]);
    const router = await composed.start();
    try {
      const joined = await router.executeOperation({ query: `{ provinceFocus { provinceCreditRating ...ProvinceEnterprise } } ${PROVINCE_FRAGMENT}` });
      const body = joined.body as {
        kind: 'single';
        singleResult: { data?: { provinceFocus: { uscc: string; provinceCreditRating: string; outlets: { monitors: unknown[] }[] }[] }; errors?: unknown[] };
      };
      expect(body.singleResult.errors).toBeUndefined();
      const enterprises = body.singleResult.data?.provinceFocus ?? [];
      expect(enterprises).toHaveLength(50);
      expect(enterprises.every((e) => e.provinceCreditRating === 'A' && Array.isArray(e.outlets))).toBe(true);
      expect(enterprises.some((e) => e.outlets.some((o) => o.monitors.length > 0))).toBe(true);
    } finally {
      await router.stop();
    }
  });
});
