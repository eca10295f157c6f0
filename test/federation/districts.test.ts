import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApolloServer } from '@apollo/server';
import { composeRouter, hubSubgraphSdl } from '../support/federation';
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
      services.push({ name, url, typeDefs: await hubSubgraphSdl(th!.hub.port, tokens.get(url)!) });
    }
    // the city platform holds one upstream token per district hub
    const composed = composeRouter(services, (url) => tokens.get(url));
    expect(composed.errors.map((error) => error.message)).toEqual([]);
    router = await composed.start();
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
