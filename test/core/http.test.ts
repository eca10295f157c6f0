import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditServer } from 'graphql-http';
import { startTestHub, type TestHub } from '../support/hub';
import { connectWs, execute } from '../support/ws';

describe('HTTP surface (pglite)', () => {
  let th: TestHub;
  let base: string;
  beforeAll(async () => {
    // the audits query __type: introspection on, as in the demo
    th = await startTestHub({ env: { GRAPHQL_INTROSPECTION: 'true' } });
    base = `http://127.0.0.1:${th.hub.port}`;
  });
  afterAll(() => th.stop());

  it('answers health and readiness', async () => {
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });

  it('serves GraphiQL and its assets from the hub itself', async () => {
    const page = await fetch(`${base}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('/graphql/assets/graphiql.js');
    expect(html).not.toMatch(/https?:\/\/(?!localhost)[a-z]/i);
    for (const asset of ['graphiql.js', 'graphiql.css', 'react.js', 'react-dom.js']) {
      const response = await fetch(`${base}/graphql/assets/${asset}`);
      expect(response.status).toBe(200);
      expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    }
    expect((await fetch(`${base}/graphql/assets/../../package.json`)).status).toBe(404);
  });

  it('passes the GraphQL over HTTP audits at error level', async () => {
    const results = await auditServer({ url: `${base}/graphql` });
    const errors = results
      .filter((result) => result.status === 'error')
      .map((result) => `${result.id} ${result.name}: ${'reason' in result ? result.reason : ''}`);
    expect(errors).toEqual([]);
    expect(results.filter((result) => result.status === 'ok').length).toBeGreaterThan(20);
  });

  it('echoes the request id and answers 404 elsewhere', async () => {
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'dashboard-42' },
      body: JSON.stringify({ query: '{ hub { version } }' }),
    });
    expect(response.headers.get('x-request-id')).toBe('dashboard-42');
    expect((await fetch(`${base}/nothing-here`)).status).toBe(404);
  });

  it('answers each Accept header with the type it asks for, the same on every request, with the body’s length', async () => {
    const ask = async (accept: string | undefined) => {
      const response = await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(accept === undefined ? {} : { accept }) },
        body: JSON.stringify({ query: '{ hub { version } }' }),
      });
      const body = await response.text();
      // a whole body goes with its length, not chunked
      expect(response.headers.get('content-length')).toBe(String(Buffer.byteLength(body)));
      return {
        status: response.status,
        type: response.headers.get('content-type'),
        data: response.status === 200 ? (JSON.parse(body) as { data?: unknown }).data : undefined,
      };
    };
    const cases: [string | undefined, number, string | null][] = [
      ['application/graphql-response+json', 200, 'application/graphql-response+json; charset=utf-8'],
      ['application/json', 200, 'application/json; charset=utf-8'],
      ['application/graphql-response+json;q=0.9, application/json', 200, 'application/json; charset=utf-8'],
      [undefined, 200, 'application/json; charset=utf-8'],
      ['image/png', 406, 'application/json; charset=utf-8'],
    ];
    // twice in turn: the second round is answered with what the first chose, a refusal refused again
    for (const round of [1, 2]) {
      for (const [accept, status, type] of cases) {
        const answer = await ask(accept);
        expect({ round, accept, status: answer.status, type: answer.type }).toEqual({ round, accept, status, type });
        if (status === 200) expect(answer.data).toEqual({ hub: { version: expect.any(String) } });
      }
    }
  });
});

describe('masked internal errors (pglite)', () => {
  let th: TestHub;
  let token: string;
  beforeAll(async () => {
    th = await startTestHub();
    token = await th.token({ roles: ['admin'] });
    // a broken table: every statement touching it fails inside the database
    await th.hub.db.query('ALTER TABLE monitoring_monitors RENAME TO monitoring_monitors_gone');
  });
  afterAll(async () => {
    await th.hub.db.query('ALTER TABLE monitoring_monitors_gone RENAME TO monitoring_monitors');
    await th.stop();
  });

  const leaks = /monitoring_|relation|SELECT|select|stack|at \w+ \(|\.ts:/;

  it('never shows SQL or stack text over HTTP, and gives a request id', async () => {
    const { body } = await th.graphql('{ monitors { edges { node { mn } } } }', {}, token);
    const error = body.errors?.[0];
    expect(error?.message).toBe('Internal server error');
    expect(error?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(error?.extensions?.requestId).toEqual(expect.any(String));
    expect(JSON.stringify(body)).not.toMatch(leaks);
  });

  it('never shows SQL or stack text over WebSocket', async () => {
    const ws = connectWs(th.hub.port, token);
    const result = await execute(ws.client, '{ monitors { edges { node { mn } } } }');
    await ws.dispose();
    expect(result.errors?.[0]?.message).toBe('Internal server error');
    expect(JSON.stringify(result)).not.toMatch(leaks);
  });
});
