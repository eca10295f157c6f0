import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphQLField } from 'graphql';
import { ENGINES, startTestHub, type EngineName, type TestHub } from '../support/hub';
import { createMonitor, ingest } from '../support/monitoring';
import { leafType, operationOf, textLeaves } from '../support/operations';
import { collect, connectWs } from '../support/ws';

type Response = { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: Record<string, unknown> }[] };

/** Arguments whose items are judged one by one: a NUL character fails only its own item (tested below). */
const PER_ITEM = new Set(['ingestReadings.readings', 'reportCameraStatus.reports']);

/**
 * What a NUL character in a text argument got: `refused` when the answer is a ValidationError
 * result or a BAD_USER_INPUT error (a global id is refused while it is decoded, with the relay
 * plugin's own message), or what else came back.
 */
function outcomeOf(field: string, body: Response): string {
  const codes = (body.errors ?? []).map((e) => String(e.extensions?.code));
  if (codes.includes('INTERNAL_SERVER_ERROR')) return `masked: ${JSON.stringify(body.errors)}`;
  const typename = (body.data?.[field] as { __typename?: string } | null | undefined)?.__typename;
  if (typename === 'ValidationError') return 'refused';
  if (codes.includes('BAD_USER_INPUT')) return 'refused';
  if (body.errors?.some((e) => e.extensions?.code === 'GRAPHQL_VALIDATION_FAILED' && e.message.startsWith('Invalid global ID'))) return 'refused';
  return `not refused: ${JSON.stringify(body).slice(0, 300)}`;
}

describe.each(ENGINES)('NUL characters in arguments (%s)', (engine) => {
  let th: TestHub;
  let admin: string;

  beforeAll(async () => {
    th = await startTestHub({ engine });
    admin = await th.token({ roles: ['admin'], sub: 'admin-nul' });
    await createMonitor(th, admin, { mn: 'NUL-W1' });
  });
  afterAll(() => th?.stop());

  const cases = (fields: readonly GraphQLField<unknown, unknown>[]) =>
    fields.flatMap((field) =>
      textLeaves(field)
        .filter((path) => !PER_ITEM.has(`${field.name}.${path[0]}`))
        .map((path) => ({ field, path })),
    );

  it('refuses every text argument of every query and mutation carrying one, as a typed ValidationError', async () => {
    const schema = th.hub.schema;
    const all = [
      ...cases(Object.values(schema.getQueryType()?.getFields() ?? {})).map((c) => ({ ...c, kind: 'query' as const })),
      ...cases(Object.values(schema.getMutationType()?.getFields() ?? {})).map((c) => ({ ...c, kind: 'mutation' as const })),
    ];
    expect(all.length).toBeGreaterThan(300);
    const wrong: string[] = [];
    for (const { field, path, kind } of all) {
      const { body } = await th.graphql(operationOf(kind, field, { nulAt: path }), {}, admin);
      const outcome = outcomeOf(field.name, body as Response);
      if (outcome !== 'refused') wrong.push(`${field.name}(${path.join('.')}: ${leafType(field, path)}): ${outcome}`);
    }
    expect(wrong).toEqual([]);
  });

  it('refuses one in a subscription argument the same way', async () => {
    const ws = connectWs(th.hub.port, admin);
    try {
      const wrong: string[] = [];
      for (const { field, path } of cases(Object.values(th.hub.schema.getSubscriptionType()?.getFields() ?? {}))) {
        const stream = collect(ws.client, operationOf('subscription', field, { nulAt: path }));
        await stream.until(1);
        const errors = [
          ...stream.received.flatMap((r) => r.errors ?? []),
          ...(Array.isArray(stream.ended?.error) ? (stream.ended?.error as Response['errors'] & object) : []),
        ];
        const outcome = outcomeOf(field.name, { errors: errors as Response['errors'] });
        if (outcome !== 'refused') wrong.push(`${field.name}(${path.join('.')}): ${outcome}`);
        stream.dispose();
      }
      expect(wrong).toEqual([]);
    } finally {
      await ws.dispose();
    }
  });

  it('fails only the item that carries one in ingestReadings; the others are stored', async () => {
    const device = await th.token({ roles: ['device'], mns: ['NUL-W1'] });
    const at = new Date(Date.now() - 3_600_000);
    const report = await ingest(th, device, [
      { mn: 'NUL-W1', time: at, value: 1 },
      { mn: 'NUL-W1\u0000', time: at, value: 2 },
      { mn: 'NUL-W1', factor: 'w01\u0000018', time: new Date(at.getTime() + 60_000), value: 3 },
      { mn: 'NUL-W1', flag: 'N\u0000', time: new Date(at.getTime() + 120_000), value: 4 },
      { mn: 'NUL-W1', time: new Date(at.getTime() + 180_000), value: 5 },
    ]);
    expect(report.items.map((i) => [i.outcome, i.reason])).toEqual([
      ['ACCEPTED', null],
      ['REJECTED', 'MN must be 1-32 letters, digits, _ or -'],
      ['REJECTED', 'factor code must be 1-32 letters, digits, _ or -'],
      ['REJECTED', 'flag must be 1-2 letters or digits'],
      ['ACCEPTED', null],
    ]);
  });

  it('fails only the report that carries one in reportCameraStatus', async () => {
    const { body } = await th.graphql<{ reportCameraStatus: { __typename: string; data?: { items: { outcome: string; reason: string | null }[] } } }>(
      `mutation { reportCameraStatus(reports: [{ code: "CAM\\u0000-1", status: ONLINE }, { code: "CAM-404", status: ONLINE }]) {
         __typename ... on MutationReportCameraStatusSuccess { data { items { outcome reason } } } } }`,
      {},
      admin,
    );
    expect(body.data?.reportCameraStatus.data?.items).toEqual([
      { outcome: 'REJECTED', reason: 'not a camera code' },
      { outcome: 'REJECTED', reason: 'unknown camera' },
    ]);
  });
});
