import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphQLSchema } from 'graphql';
import { ENGINES, startTestHub, type TestHub } from '../../support/hub';
import { collect, connectWs } from '../../support/ws';
import { operationOf } from '../../support/operations';

/** Every root query field an anonymous client may call, with these modules on. */
const PUBLIC_QUERIES = [
  'classifyWater',
  'computeAqi',
  'gridCell',
  'gridCells',
  'gridGeoJson',
  'hub',
  'locateGridCell',
  'publicAirQuality',
  'publicAirQualityHistory',
  'publicEnforcementDecisions',
  'publicEnterpriseDisclosure',
  'publicEnterprises',
  'publicWaterQuality',
];

describe.each(ENGINES)('an anonymous client on %s', (engine) => {
  let t: TestHub;
  let schema: GraphQLSchema;

  beforeAll(async () => {
    t = await startTestHub({ engine, env: { HUB_MODULES: 'grid,source,air,water,disclosure' } });
    schema = t.hub.schema;
  }, 60_000);
  afterAll(async () => {
    await t?.stop();
  });

  it('reaches exactly the public query fields; every other one answers UNAUTHENTICATED', async () => {
    const fields = Object.values(schema.getQueryType()?.getFields() ?? {});
    expect(fields.length).toBeGreaterThan(40);
    const reachable: string[] = [];
    for (const field of fields) {
      const response = await t.graphql(operationOf('query', field));
      const codes = (response.body.errors ?? []).map((e) => e.extensions?.code);
      if (codes.includes('UNAUTHENTICATED')) continue;
      expect(
        codes.filter((c) => c === 'GRAPHQL_VALIDATION_FAILED'),
        `${field.name}: ${JSON.stringify(response.body)}`,
      ).toEqual([]);
      reachable.push(field.name);
    }
    expect(reachable.sort()).toEqual(PUBLIC_QUERIES);
  });

  it('is refused every mutation', async () => {
    const fields = Object.values(schema.getMutationType()?.getFields() ?? {});
    expect(fields.length).toBeGreaterThan(20);
    const allowed: string[] = [];
    for (const field of fields) {
      const response = await t.graphql(operationOf('mutation', field));
      const codes = (response.body.errors ?? []).map((e) => e.extensions?.code);
      if (!codes.includes('UNAUTHENTICATED')) allowed.push(`${field.name}: ${JSON.stringify(response.body)}`);
    }
    expect(allowed).toEqual([]);
  });

  it('is refused every subscription over WebSocket', async () => {
    const fields = Object.values(schema.getSubscriptionType()?.getFields() ?? {});
    expect(fields.length).toBeGreaterThan(3);
    const ws = connectWs(t.hub.port);
    try {
      const outcomes: string[] = [];
      for (const field of fields) {
        const stream = collect(ws.client, operationOf('subscription', field));
        await stream.until(1);
        const errors = [
          ...stream.received.flatMap((r) => r.errors ?? []),
          ...(Array.isArray(stream.ended?.error) ? (stream.ended?.error as { extensions?: Record<string, unknown> }[]) : []),
        ];
        const data = stream.received.find((r) => r.data != null);
        outcomes.push(`${field.name}: ${data ? 'DATA' : (errors[0]?.extensions?.code ?? 'NONE')}`);
        stream.dispose();
      }
      expect(outcomes).toEqual(fields.map((f) => `${f.name}: UNAUTHENTICATED`));
    } finally {
      await ws.dispose();
    }
  });
});
