import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../support/hub';
import { connectWs, execute, type WsHandle } from '../support/ws';

describe('operation limits, the same over HTTP and WebSocket (pglite)', () => {
  let th: TestHub;
  let token: string;
  let ws: WsHandle;
  beforeAll(async () => {
    th = await startTestHub({
      env: { GRAPHQL_MAX_DEPTH: '6', GRAPHQL_MAX_COMPLEXITY: '500', GRAPHQL_MAX_ALIASES: '3', GRAPHQL_MAX_DOCUMENT_BYTES: '2000', GRAPHQL_MAX_BATCH: '2' },
    });
    token = await th.token({ roles: ['district'] });
    ws = connectWs(th.hub.port, token);
  });
  afterAll(async () => {
    await ws.dispose();
    await th.stop();
  });

  const cases: [string, string, RegExp][] = [
    ['depth', '{ exceedances { edges { node { monitor { latestReadings { monitor { latestReadings { monitor { mn } } } } } } } } }', /depth \d+ exceeds the limit of 6/],
    ['complexity', '{ monitors(first: 100) { edges { node { latestReadings { factor value time flag valid } } } } }', /cost \d+ exceeds the limit of 500/],
    ['aliases', '{ a: hub { version } b: hub { version } c: hub { version } d: hub { version } }', /4 aliases; the limit is 3/],
  ];

  it.each(cases)('refuses excess %s over HTTP', async (_name, query, message) => {
    const { status, body } = await th.graphql(query, {}, token);
    expect(status).toBe(400);
    expect(body.errors?.[0]?.message).toMatch(message);
    expect(body.errors?.[0]?.extensions?.code).toBe('LIMIT_EXCEEDED');
  });

  it.each(cases)('refuses excess %s over WebSocket', async (_name, query, message) => {
    const result = await execute(ws.client, query);
    expect(result.errors?.[0]?.message).toMatch(message);
  });

  it('counts variable page sizes at the maximum', async () => {
    const { body } = await th.graphql('query($n: Int) { monitors(first: $n) { edges { node { latestReadings { factor value time flag valid } } } } }', { n: 1 }, token);
    expect(body.errors?.[0]?.message).toMatch(/cost/);
  });

  it('refuses an oversized document on both transports', async () => {
    const huge = `{ hub { version } } # ${'x'.repeat(3000)}`;
    const http = await th.graphql(huge, {}, token);
    expect(http.status).toBe(413);
    expect(http.body.errors?.[0]?.extensions?.code).toBe('LIMIT_EXCEEDED');
    const overWs = await execute(ws.client, huge);
    expect(overWs.errors?.[0]?.message).toMatch(/exceeds 2000 bytes/);
  });

  it('refuses a batch larger than the limit and runs one within it', async () => {
    const post = (body: unknown) =>
      fetch(`http://127.0.0.1:${th.hub.port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const tooMany = await post([{ query: '{ hub { version } }' }, { query: '{ hub { version } }' }, { query: '{ hub { version } }' }]);
    expect(tooMany.status).toBe(400);
    const fine = await post([{ query: '{ hub { version } }' }, { query: '{ hub { modules } }' }]);
    expect(fine.status).toBe(200);
    expect(await fine.json()).toHaveLength(2);
  });

  it('refuses a body over the size limit and invalid JSON', async () => {
    const big = await fetch(`http://127.0.0.1:${th.hub.port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ hub { version } }', variables: { pad: 'x'.repeat(1_100_000) } }),
    });
    expect(big.status).toBe(413);
    const broken = await fetch(`http://127.0.0.1:${th.hub.port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
    expect(broken.status).toBe(400);
  });

  it('hides introspection when it is off (the production default)', async () => {
    const http = await th.graphql('{ __schema { types { name } } }', {}, token);
    expect(http.body.errors?.[0]?.message).toMatch(/introspection/i);
    const overWs = await execute(ws.client, '{ __schema { types { name } } }');
    expect(overWs.errors?.[0]?.message).toMatch(/introspection/i);
  });

  it('lets an IDE load the schema when introspection is on, within the introspection depth limit', async () => {
    const { getIntrospectionQuery } = await import('graphql');
    const open = await startTestHub({ env: { GRAPHQL_INTROSPECTION: 'true', GRAPHQL_MAX_DEPTH: '6' } });
    try {
      const { body } = await open.graphql(getIntrospectionQuery(), {});
      expect(body.errors).toBeUndefined();
      let deep = 'name';
      for (let i = 0; i < 25; i += 1) deep = `ofType { ${deep} }`;
      const abuse = await open.graphql(`{ __schema { types { fields { type { ${deep} } } } } }`, {});
      expect(abuse.body.errors?.[0]?.message).toMatch(/introspection depth \d+ exceeds the limit of 20/);
    } finally {
      await open.stop();
    }
  });

  it('keeps the query within limits when it is reasonable', async () => {
    const { body } = await th.graphql('{ exceedances(first: 5) { edges { node { monitor { mn latestReadings { factor value } } } } } }', {}, token);
    expect(body.errors).toBeUndefined();
  });
});
