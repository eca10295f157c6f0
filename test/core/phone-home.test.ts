import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { networkRefusals } from '../support/network-guard';
import { startTestHub, type TestHub } from '../support/hub';

// what Apollo's cloud reporting would pick up from the environment of a careless deployment
const APOLLO_ENV = { APOLLO_KEY: 'service:envhub:not-a-real-key', APOLLO_GRAPH_REF: 'envhub@current', APOLLO_SCHEMA_REPORTING: 'true' };

describe('the hub never phones home (pglite)', () => {
  let th: TestHub;
  const saved: Record<string, string | undefined> = {};
  beforeAll(async () => {
    for (const [name, value] of Object.entries(APOLLO_ENV)) {
      saved[name] = process.env[name];
      process.env[name] = value;
    }
    th = await startTestHub();
  });
  afterAll(async () => {
    await th?.stop();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('sends no usage or schema report to Apollo even when APOLLO_KEY and APOLLO_GRAPH_REF are set', async () => {
    const admin = await th.token({ roles: ['admin'] });
    for (let i = 0; i < 5; i += 1) {
      const { body } = await th.graphql<{ hub: { version: string } }>('{ hub { version } }', {}, admin);
      expect(body.data?.hub.version).toMatch(/\d/);
    }
    for (const path of ['/graphql', '/federation']) {
      const response = await fetch(`http://127.0.0.1:${th.hub.port}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      expect(response.status).toBe(200);
    }
    // usage reports go out when the server stops: stop it here, inside the test
    await th.stop();
    th = undefined as unknown as TestHub;
    expect(networkRefusals).toEqual([]);
  });
});
