import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { composeRouter, hubSubgraphSdl } from '../support/federation';
import { ENGINES, startTestHub, type TestHub } from '../support/hub';

// @apollo/gateway reports nothing anywhere with this set before it is constructed
process.env.APOLLO_TELEMETRY_DISABLED = 'true';

/** A province platform whose drinking-water register names stations of several districts. */
const PROVINCE_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])
  type WaterStation @key(fields: "code") { code: String! provinceSourceName: String! }
  type Query { provinceWaterRegister: [WaterStation!]! }
`;

/** Two seeded stations around one another district holds. */
const REGISTER = ['DW-DFQ-01', 'DW-510199-07', 'DW-LQH-02'];

type Latest = { class: string; time: string; targetClass: string; meetsTarget: boolean | null } | null;

describe.each(ENGINES)('a province water register through a gateway (%s)', (engine) => {
  let th: TestHub;
  let upstream: string;
  let provinceServer: ApolloServer;
  let router: ApolloServer;

  beforeAll(async () => {
    th = await startTestHub({ engine, env: { HUB_SEED: 'true', HUB_MODULES: 'water' } });
    upstream = await th.token({ roles: ['upstream'], sub: 'sichuan-province-platform' });
    const province = buildSubgraphSchema({
      typeDefs: parse(PROVINCE_SDL),
      resolvers: { Query: { provinceWaterRegister: () => REGISTER.map((code) => ({ code, provinceSourceName: `source of ${code}` })) } },
    });
    provinceServer = new ApolloServer({ schema: province });
    const provinceUrl = (await startStandaloneServer(provinceServer, { listen: { port: 0, host: '127.0.0.1' } })).url;
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

  it('gives each held station its newest class, as the hub’s own hourly results show it, and null for the others', async () => {
    const district = await th.token({ roles: ['district'] });
    const to = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
    const from = new Date(to.getTime() - 48 * 3_600_000);
    const expected: Latest[] = [];
    for (const code of REGISTER) {
      const own = await th.graphql<{ waterQuality: NonNullable<Latest>[] } | null>(
        'query ($s: String!, $from: DateTime!, $to: DateTime!) { waterQuality(station: $s, from: $from, to: $to) { class time targetClass meetsTarget } }',
        { s: code, from: from.toISOString(), to: to.toISOString() },
        district,
      );
      expected.push(own.body.data?.waterQuality.filter((p) => p.class !== null).at(-1) ?? null);
    }
    expect(expected.map((e) => e !== null)).toEqual([true, false, true]);

    const response = await router.executeOperation({
      query: '{ provinceWaterRegister { code provinceSourceName name latestClass { class time targetClass meetsTarget } } }',
    });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    const result = response.body.singleResult as {
      data?: { provinceWaterRegister: { code: string; provinceSourceName: string; name: string | null; latestClass: Latest }[] };
      errors?: unknown[];
    };
    expect(result.errors).toBeUndefined();
    const register = result.data?.provinceWaterRegister ?? [];
    expect(register.map((s) => [s.code, s.provinceSourceName])).toEqual(REGISTER.map((code) => [code, `source of ${code}`]));
    expect(register.map((s) => s.name !== null)).toEqual([true, false, true]);
    expect(register.map((s) => s.latestClass)).toEqual(expected);
  });
});
