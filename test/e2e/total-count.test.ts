import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getNamedType, isNonNullType, type GraphQLField } from 'graphql';
import { ENGINES, startTestHub, type EngineName, type TestHub } from '../support/hub';

interface Page {
  totalCount: number;
  edges: unknown[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** Arguments a connection cannot go without, for the ones that need some. */
const REQUIRED_ARGS: Record<string, string> = {
  gridAssessment: 'period: { from: "2026-01-01T00:00:00Z", to: "2026-12-31T00:00:00Z" }, groupBy: ASSISTANT',
};

describe.each(ENGINES)('totalCount on every connection (%s)', (engine) => {
  let hub: TestHub;
  let admin: string;
  beforeAll(async () => {
    hub = await startTestHub({ engine, env: { HUB_SEED: 'true' } });
    admin = await hub.token({ roles: ['admin'], sub: 'district-officer-01' });
  });
  afterAll(async () => hub?.stop());

  it('counts what paging through the whole list returns, for every connection on Query', async () => {
    const fields = Object.values(hub.hub.schema.getQueryType()?.getFields() ?? {}).filter((field: GraphQLField<unknown, unknown>) =>
      getNamedType(field.type).name.endsWith('Connection'),
    );
    expect(fields.length).toBeGreaterThanOrEqual(26);
    const counted: Record<string, number> = {};
    for (const field of fields) {
      const required = field.args.filter((arg) => isNonNullType(arg.type) && arg.defaultValue === undefined).map((arg) => arg.name);
      const extra = REQUIRED_ARGS[field.name];
      expect(required.length === 0 || extra !== undefined, `${field.name} needs ${required.join(', ')}`).toBe(true);
      const size = field.name.startsWith('public') ? 50 : 100;
      let after: string | null = null;
      let seen = 0;
      let total: number | undefined;
      for (let pages = 0; pages < 50; pages += 1) {
        const args: string = [`first: ${size}`, after ? `after: ${JSON.stringify(after)}` : '', extra ?? ''].filter(Boolean).join(', ');
        const response: Awaited<ReturnType<TestHub['graphql']>> = await hub.graphql(
          `{ ${field.name}(${args}) { totalCount edges { cursor } pageInfo { hasNextPage endCursor } } }`,
          {},
          admin,
        );
        expect(response.body.errors, `${field.name}: ${JSON.stringify(response.body.errors)}`).toBeUndefined();
        const page = (response.body.data as Record<string, Page> | undefined)?.[field.name];
        total ??= page?.totalCount;
        expect(page?.totalCount, field.name).toBe(total);
        seen += page?.edges.length ?? 0;
        if (!page?.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect(seen, `${field.name} paged ${seen} rows, counted ${total}`).toBe(total);
      counted[field.name] = seen;
    }
    // the demo district has rows in the lists a duty room reads
    for (const name of ['gridCells', 'gridTasks', 'enterprises', 'monitors', 'cameras', 'airStations']) expect(counted[name], name).toBeGreaterThan(0);
    expect(counted.gridCells).toBe(163);
  });

  it('counts within the viewer’s scope and filter', async () => {
    const town = await hub.token({ roles: ['town'], sub: 'town-officer-01', cells: ['51011201001'] });
    const query = '{ gridCells(first: 1, filter: { under: "51011201001" }) { totalCount } all: gridTasks(first: 1) { totalCount } }';
    const asTown = await hub.graphql<{ gridCells: { totalCount: number }; all: { totalCount: number } }>(query, {}, town);
    const asAdmin = await hub.graphql<{ gridCells: { totalCount: number }; all: { totalCount: number } }>(query, {}, admin);
    expect(asTown.body.data?.gridCells.totalCount).toBe(13);
    expect(asTown.body.data?.all.totalCount).toBeLessThan(asAdmin.body.data?.all.totalCount as number);
    expect(asTown.body.data?.all.totalCount).toBeGreaterThan(0);
  });
});
