import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApolloServer } from '@apollo/server';
import { composeServices } from '@apollo/composition';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { parse } from 'graphql';
import { ENGINES, startTestHub, type TestHub } from '../support/hub';
import { createMonitor } from '../support/monitoring';

// @apollo/gateway reports nothing anywhere with this set before it is constructed
process.env.APOLLO_TELEMETRY_DISABLED = 'true';

const DISTRICTS = { longquanyi: '510112', shuangliu: '510116' } as const;

describe.each(ENGINES)('two district hubs in one supergraph (%s)', (engine) => {
  const hubs: Record<keyof typeof DISTRICTS, TestHub | undefined> = { longquanyi: undefined, shuangliu: undefined };
  let router: ApolloServer;

  beforeAll(async () => {
    const tokens = new Map<string, string>();
    for (const [name, code] of Object.entries(DISTRICTS) as [keyof typeof DISTRICTS, string][]) {
      // each hub on a database of its own
      const th = await startTestHub({ engine, env: { HUB_MODULES: 'grid,source', HUB_DISTRICT_CODE: code } });
      hubs[name] = th;
      await createMonitor(th, await th.token({ roles: ['admin'] }), { mn: `MN-${code}` });
      tokens.set(`http://127.0.0.1:${th.hub.port}/federation`, await th.token({ roles: ['upstream'], sub: 'chengdu-city-platform' }));
    }
    const services = [];
    for (const [name, th] of Object.entries(hubs)) {
      const url = `http://127.0.0.1:${th?.hub.port}/federation`;
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.get(url)}` },
        body: JSON.stringify({ query: '{ _service { sdl } }' }),
      });
      const sdl = (await response.json()) as { data: { _service: { sdl: string } } };
      services.push({ name, url, typeDefs: parse(sdl.data._service.sdl) });
    }
    const composed = composeServices(services);
    expect((composed.errors ?? []).map((error) => error.message)).toEqual([]);
    const gateway = new ApolloGateway({
      supergraphSdl: composed.supergraphSdl as string,
      // the city platform holds one upstream token per district hub
      buildService: ({ url }) =>
        new RemoteGraphQLDataSource({
          url,
          willSendRequest: ({ request }) => {
            request.http?.headers.set('authorization', `Bearer ${tokens.get(url as string)}`);
          },
        }),
    });
    router = new ApolloServer({ gateway });
    await router.start();
  }, 180_000);
  afterAll(async () => {
    await router?.stop();
    for (const th of Object.values(hubs)) await th?.stop();
  });

  it('answers each district from its own hub in one operation', async () => {
    const response = await router.executeOperation({
      query: `{
        district_510112 { hub { modules } own: monitor(mn: "MN-510112") { mn name } other: monitor(mn: "MN-510116") { mn } }
        district_510116 { own: monitor(mn: "MN-510116") { mn name } other: monitor(mn: "MN-510112") { mn } }
      }`,
    });
    const result = response.body.kind === 'single' ? response.body.singleResult : undefined;
    expect(result?.errors).toBeUndefined();
    expect(result?.data).toEqual({
      district_510112: { hub: { modules: ['monitoring', 'hj212', 'grid', 'source'] }, own: { mn: 'MN-510112', name: 'monitor MN-510112' }, other: null },
      district_510116: { own: { mn: 'MN-510116', name: 'monitor MN-510116' }, other: null },
    });
  });
});
