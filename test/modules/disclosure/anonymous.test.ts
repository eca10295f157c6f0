import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { ENGINES, startTestHub, type TestHub } from '../../support/hub';
import { collect, connectWs } from '../../support/ws';

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

/** A literal of the type, valid enough to get past validation to authorisation. */
function literal(type: GraphQLInputType, depth = 0): string {
  if (isNonNullType(type)) return literal(type.ofType, depth);
  if (isListType(type)) return `[${literal(type.ofType, depth)}]`;
  if (isEnumType(type)) return type.getValues()[0]?.name ?? 'null';
  if (isInputObjectType(type)) {
    const required = Object.values(type.getFields()).filter((f) => isNonNullType(f.type) && f.defaultValue === undefined);
    return `{ ${depth > 4 ? '' : required.map((f) => `${f.name}: ${literal(f.type, depth + 1)}`).join(', ')} }`;
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'Int':
        return '1';
      case 'Float':
        return '1.5';
      case 'Boolean':
        return 'true';
      case 'DateTime':
        return '"2026-01-01T00:00:00Z"';
      case 'JSON':
        return '{}';
      case 'ID':
        // a well-formed global id, so that the relay plugin's decoding passes validation
        return `"${Buffer.from('Node:1').toString('base64')}"`;
      default:
        return '"x"';
    }
  }
  return 'null';
}

/** `field(required args) { __typename }`: the smallest operation that reaches the field. */
function operationOf(kind: 'query' | 'mutation' | 'subscription', field: GraphQLField<unknown, unknown>): string {
  const args = field.args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined).map((a) => `${a.name}: ${literal(a.type)}`);
  const named = getNamedType(getNullableType(field.type));
  const selection = isScalarType(named) || isEnumType(named) ? '' : ' { __typename }';
  return `${kind} { ${field.name}${args.length > 0 ? `(${args.join(', ')})` : ''}${selection} }`;
}

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
      expect(codes.filter((c) => c === 'GRAPHQL_VALIDATION_FAILED'), `${field.name}: ${JSON.stringify(response.body)}`).toEqual([]);
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
        const errors = [...stream.received.flatMap((r) => r.errors ?? []), ...(Array.isArray(stream.ended?.error) ? (stream.ended?.error as { extensions?: Record<string, unknown> }[]) : [])];
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
