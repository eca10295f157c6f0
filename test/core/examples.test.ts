import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kind, parse, print, type OperationDefinitionNode } from 'graphql';
import { ENGINES, startTestHub, type EngineName, type TestHub } from '../support/hub';
import { EXAMPLES_PATH } from '../../src/graphql/graphiql';
import { ingestAt, limitedMonitors } from '../support/duty';
import { collect, connectWs } from '../support/ws';

const source = readFileSync(EXAMPLES_PATH, 'utf8');
const operations = parse(source).definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);

/** The role line in the comment above an operation: `# role: district (…)`. */
function roleOf(operation: OperationDefinitionNode): string | undefined {
  const before = source
    .slice(0, operation.loc?.start ?? 0)
    .trimEnd()
    .split('\n');
  const comment: string[] = [];
  for (let i = before.length - 1; i >= 0 && before[i]?.startsWith('#'); i -= 1) comment.unshift(before[i] as string);
  return /^# role: (\w+)/m.exec(comment.join('\n'))?.[1];
}

describe('the example operations GraphiQL opens with', () => {
  it('are named, and each says which token role it needs', () => {
    expect(operations.length).toBeGreaterThanOrEqual(12);
    for (const operation of operations) {
      expect(operation.name?.value, print(operation)).toBeDefined();
      expect(['public', 'district', 'admin', 'town', 'assistant', 'enterprise', 'device', 'upstream'], operation.name?.value).toContain(roleOf(operation));
    }
    const kinds = new Set(operations.map((o) => o.operation));
    expect([...kinds].sort()).toEqual(['mutation', 'query', 'subscription']);
  });

  describe.each(ENGINES)('run against the demo district (%s)', (engine) => {
    let hub: TestHub;
    const tokens: Record<string, string> = {};
    beforeAll(async () => {
      hub = await startTestHub({ engine, env: { HUB_SEED: 'true' } });
      tokens.public = '';
      tokens.district = await hub.token({ roles: ['district'], sub: 'district-officer-01' });
      tokens.admin = await hub.token({ roles: ['admin'], sub: 'admin-1' });
    });
    afterAll(async () => hub?.stop());

    it.each(operations.filter((o) => o.operation !== 'subscription').map((o) => [o.name?.value as string, o]))(
      '%s answers without errors with its role’s token',
      async (_name, operation) => {
        const response = await hub.graphql(print(operation), {}, tokens[roleOf(operation) as string]);
        expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
        expect(response.body.data).toBeTruthy();
      },
    );

    it.each(operations.filter((o) => o.operation === 'subscription').map((o) => [o.name?.value as string, o]))(
      '%s delivers over graphql-ws with its role’s token',
      async (_name, operation) => {
        const [monitor] = await limitedMonitors(hub, tokens.admin as string);
        await ingestAt(hub, tokens.admin as string, monitor!, 3, new Date());
        const ws = connectWs(hub.hub.port, tokens[roleOf(operation) as string]);
        try {
          const results = collect(ws.client, print(operation), { since: '0' });
          await results.until(1);
          expect(results.ended).toBeUndefined();
          expect(results.received[0]?.errors).toBeUndefined();
          expect(results.received[0]?.data).toBeTruthy();
          results.dispose();
        } finally {
          await ws.dispose();
        }
      },
    );
  });
});

describe('GraphiQL', () => {
  it('opens with the examples and subscribes over graphql-ws, from the hub’s own files', async () => {
    const hub = await startTestHub();
    try {
      const page = await (await fetch(`http://127.0.0.1:${hub.hub.port}/graphql`, { headers: { accept: 'text/html' } })).text();
      expect(page).toContain('graphqlWs.createClient');
      expect(page).toContain('query DutyRoom');
      expect(page).not.toMatch(/https?:\/\/(?!.*127\.0\.0\.1)[a-z]/i);
      const asset = await fetch(`http://127.0.0.1:${hub.hub.port}/graphql/assets/graphql-ws.js`);
      expect(asset.status).toBe(200);
      expect(await asset.text()).toContain('createClient');
    } finally {
      await hub.stop();
    }
  });
});
