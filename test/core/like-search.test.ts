import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getNamedType, isInputObjectType, type GraphQLField } from 'graphql';
import { ENGINES, startTestHub, type EngineName, type TestHub } from '../support/hub';
import { createMonitor } from '../support/monitoring';

/** Every list field with a `search` in its filter: the test covers ones added later too. */
function searchFields(fields: readonly GraphQLField<unknown, unknown>[]): { field: string; filterArg: string }[] {
  return fields.flatMap((field) =>
    field.args
      .filter((arg) => {
        const named = getNamedType(arg.type);
        return isInputObjectType(named) && 'search' in named.getFields();
      })
      .map((arg) => ({ field: field.name, filterArg: arg.name })),
  );
}

describe.each(ENGINES)('search filters take % and _ literally (%s)', (engine) => {
  let th: TestHub;
  let admin: string;

  beforeAll(async () => {
    // the modules with search filters, seeded: every list has rows, none of them with %, _ or \\
    th = await startTestHub({ engine, env: { HUB_SEED: 'true', HUB_MODULES: 'grid,source,air,oa' } });
    admin = await th.token({ roles: ['admin'], sub: 'admin-search' });
    await createMonitor(th, admin, { mn: 'PCT_W1' });
  }, 120_000);
  afterAll(() => th?.stop());

  const count = async (field: string, filterArg: string, search: string | undefined): Promise<number> => {
    const arg = th.hub.schema
      .getQueryType()
      ?.getFields()
      [field]?.args.find((a) => a.name === filterArg);
    const { body } = await th.graphql<Record<string, { edges: unknown[] }>>(
      `query($f: ${arg ? getNamedType(arg.type).name : '?'}) { ${field}(first: 100, ${filterArg}: $f) { edges { __typename } } }`,
      { f: search === undefined ? {} : { search } },
      admin,
    );
    expect(body.errors, field).toBeUndefined();
    return body.data?.[field]?.edges.length ?? -1;
  };

  it('finds only what holds the characters themselves, in every search filter', async () => {
    const fields = searchFields(Object.values(th.hub.schema.getQueryType()?.getFields() ?? {}));
    expect(fields.map((f) => f.field).sort()).toEqual(
      expect.arrayContaining(['airStations', 'enterprises', 'gridCells', 'gridStaff', 'monitors', 'oaDocuments']),
    );
    const seen: Record<string, number[]> = {};
    for (const { field, filterArg } of fields) {
      seen[field] = [
        await count(field, filterArg, undefined),
        await count(field, filterArg, '%'),
        await count(field, filterArg, '_'),
        await count(field, filterArg, '\\'),
      ];
    }
    // the seeded district has rows in every list, and no name or code holds %, _ or \ except the one monitor made here
    for (const [field, [all, percent, underscore, backslash]] of Object.entries(seen)) {
      expect(all, field).toBeGreaterThan(0);
      expect([percent, underscore, backslash], field).toEqual(field === 'monitors' ? [0, 1, 0] : [0, 0, 0]);
    }
  });
});
