import fc from 'fast-check';
import {
  buildSchema,
  execute,
  GraphQLError,
  GraphQLScalarType,
  parse,
  type ExecutionResult,
  type GraphQLEnumType,
  type OperationDefinitionNode,
} from 'graphql';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCompiledExecution, expandedFields, loadCompiler, MAX_COMPILED_FIELDS, type CompiledExecution } from '../../src/graphql/compiled';

// Compiled execution must answer as graphql-js does: the same data, the same errors (message,
// locations, path, extensions, original error), the same refusals of bad variables.
const schema = buildSchema(`
  scalar DateTime
  enum Kind { A B }
  input Filter { kind: Kind, limit: Int = 2, since: DateTime }
  type Thing {
    id: ID!
    name: String
    n: Int!
    when: DateTime
    kind: Kind
    child: Thing
    must: String!
    boom: String
    forbidden: String
    later: String
    odd: String
    things(first: Int! = 2): [Thing!]!
  }
  type Query {
    thing(id: ID!): Thing
    things(first: Int! = 3, kind: Kind, after: DateTime): [Thing!]!
    filtered(filter: Filter = { limit: 1 }): [Thing!]!
    echo(text: String = "none", list: [Int!]): String
  }
`);

class ForbiddenError extends GraphQLError {
  constructor() {
    super('not allowed', { extensions: { code: 'FORBIDDEN' } });
  }
}

const dateTime = schema.getType('DateTime') as GraphQLScalarType;
Object.assign(dateTime, {
  serialize: (value: unknown) => (value as Date).toISOString(),
  parseValue: (value: unknown) => {
    const date = new Date(String(value));
    if (typeof value !== 'string' || Number.isNaN(date.getTime())) throw new TypeError(`not a time: ${String(value)}`);
    return date;
  },
  parseLiteral: (node: { kind: string; value?: string }) => {
    if (node.kind !== 'StringValue' || Number.isNaN(Date.parse(node.value ?? ''))) throw new TypeError('not a time');
    return new Date(node.value as string);
  },
});
// enum values stored differently from their names, as the hub's are
const kind = schema.getType('Kind') as GraphQLEnumType;
for (const value of kind.getValues()) value.value = value.name.toLowerCase();

interface ThingValue {
  id: number;
  kind: string;
}
const thing = (id: number): ThingValue => ({ id, kind: id % 2 ? 'a' : 'b' });

const fields = schema.getType('Thing') as unknown as { getFields(): Record<string, { resolve?: unknown }> };
Object.assign(fields.getFields().name as object, { resolve: (t: ThingValue) => (t.id % 3 === 0 ? null : `thing ${t.id}`) });
Object.assign(fields.getFields().n as object, { resolve: (t: ThingValue) => t.id * 10 });
Object.assign(fields.getFields().when as object, { resolve: (t: ThingValue) => new Date(Date.UTC(2026, 11, 6, t.id)) });
Object.assign(fields.getFields().child as object, { resolve: async (t: ThingValue) => (t.id < 4 ? thing(t.id + 1) : null) });
Object.assign(fields.getFields().must as object, { resolve: (t: ThingValue) => (t.id === 2 ? null : 'here') });
Object.assign(fields.getFields().boom as object, {
  resolve: () => {
    throw new Error('internal detail');
  },
});
Object.assign(fields.getFields().forbidden as object, {
  resolve: () => {
    throw new ForbiddenError();
  },
});
Object.assign(fields.getFields().odd as object, { resolve: () => Promise.reject('a plain value') });
Object.assign(fields.getFields().later as object, { resolve: async (t: ThingValue) => (t.id === 3 ? Promise.reject(new ForbiddenError()) : 'later') });
Object.assign(fields.getFields().things as object, {
  resolve: (t: ThingValue, args: { first: number }) => Array.from({ length: args.first }, (_, i) => thing(t.id + i + 1)),
});
const query = schema.getQueryType()!.getFields();
Object.assign(query.thing as object, { resolve: (_: unknown, args: { id: string }) => (args.id === 'none' ? null : thing(Number(args.id))) });
Object.assign(query.things as object, {
  resolve: async (_: unknown, args: { first: number; kind?: string; after?: Date }) => {
    const all = Array.from({ length: args.first }, (_, i) => thing(i + 1));
    return all.filter((t) => (args.kind === undefined || t.kind === args.kind) && (args.after === undefined || args.after instanceof Date));
  },
});
Object.assign(query.filtered as object, {
  resolve: (_: unknown, args: { filter?: { kind?: string; limit: number; since?: Date } }) => {
    if (args.filter?.since !== undefined && !(args.filter.since instanceof Date)) throw new Error('since not coerced');
    return Array.from({ length: args.filter?.limit ?? 0 }, (_, i) => thing(i + 1)).filter((t) => !args.filter?.kind || t.kind === args.filter.kind);
  },
});
Object.assign(query.echo as object, {
  resolve: (_: unknown, args: { text?: string | null; list?: number[] }) => `${String(args.text)}|${args.list?.join(',') ?? '-'}`,
});

// graphql-js 16 leaves the promises of an object it abandons at a null in a non-null field
// without a handler; those of its own rejections are expected here, any other is a failure
const unexpectedRejections: unknown[] = [];
const onRejection = (reason: unknown) => {
  if (!(reason instanceof Error && reason.stack?.includes('graphql/execution/execute.js'))) unexpectedRejections.push(reason);
};
process.on('unhandledRejection', onRejection);
afterAll(async () => {
  await new Promise((resolve) => setTimeout(resolve, 20));
  process.off('unhandledRejection', onRejection);
  expect(unexpectedRejections).toEqual([]);
});

let compiled: CompiledExecution;
beforeAll(async () => {
  const logger = pino({ level: 'silent' });
  const compiler = await loadCompiler(logger);
  if (!compiler) throw new Error('graphql-jit did not load');
  compiled = createCompiledExecution(schema, compiler, logger);
});

/**
 * What a client can see of a result, and which errors are graphql-js' own with their originals.
 * Errors in any order (GraphQL does not order them; graphql-jit lists those of nulls in non-null
 * fields last).
 */
function seen(result: ExecutionResult) {
  const errors = result.errors?.map((error) => ({
    json: error.toJSON(),
    graphqlJs: error.constructor === GraphQLError || error instanceof ForbiddenError,
    extensionsObject: typeof error.extensions === 'object' && error.extensions !== null,
    original: error.originalError?.constructor.name,
    originalMessage: error.originalError?.message,
  }));
  return { data: result.data, errors: errors?.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)) };
}

async function both(source: string, variables?: Record<string, unknown>) {
  const document = parse(source);
  const operation = document.definitions[0] as OperationDefinitionNode;
  const interpreted = await execute({ schema, document, variableValues: variables, contextValue: {} });
  // twice: the first compiles, the second runs the kept program
  const first = await compiled.execute({ document, operation, operationName: undefined, variables, contextValue: {} });
  const second = await compiled.execute({ document, operation, operationName: undefined, variables, contextValue: {} });
  return { interpreted: seen(interpreted), first: seen(first), second: seen(second) };
}

/** Whether a null in a non-null field took away the object at `path` or one above it. */
function discarded(result: ReturnType<typeof seen>, path: readonly (string | number)[]): boolean {
  return (result.errors ?? []).some(({ json }) => {
    if (!json.message.startsWith('Cannot return null for non-nullable field') || !json.path) return false;
    let common = 0;
    while (common < path.length && common < json.path.length && path[common] === json.path[common]) common += 1;
    let value: unknown = result.data;
    for (const key of path.slice(0, common)) value = value === null || value === undefined ? value : (value as Record<string | number, unknown>)[key];
    return value === null || value === undefined;
  });
}

async function expectSame(source: string, variables?: Record<string, unknown>) {
  const { interpreted, first, second } = await both(source, variables);
  expect(first).toEqual(interpreted);
  expect(second).toEqual(interpreted);
  return interpreted;
}

describe('compiled execution answers as graphql-js', () => {
  it('reads nested objects, lists, enums and custom scalars', async () => {
    const result = await expectSame(`{ things { id name n when kind child { id child { id kind } } things(first: 1) { id } } }`);
    expect((result.data?.things as unknown[]).length).toBe(3);
  });

  it('takes defaults of arguments and of variables left out, non-null ones included', async () => {
    const result = await expectSame(`query ($first: Int! = 2, $text: String = "given") { things(first: $first) { id } echo(text: $text) filtered { id } }`);
    expect(result.data).toEqual({ things: [{ id: '1' }, { id: '2' }], echo: 'given|-', filtered: [{ id: '1' }] });
    await expectSame(`query ($filter: Filter = { kind: B, limit: 4, since: "2026-12-06T00:00:00Z" }) { filtered(filter: $filter) { id kind } }`);
  });

  it('coerces variables sent: enums to their values, times to dates, input objects with their defaults', async () => {
    await expectSame(`query ($kind: Kind, $after: DateTime) { things(first: 4, kind: $kind, after: $after) { id kind } }`, {
      kind: 'A',
      after: '2026-12-06T00:00:00Z',
    });
    await expectSame(`query ($filter: Filter) { filtered(filter: $filter) { id } }`, { filter: { kind: 'A', since: '2026-12-06T08:00:00Z' } });
    await expectSame(`query ($text: String, $list: [Int!]) { echo(text: $text, list: $list) }`, { text: null, list: 5 });
  });

  it('refuses bad variables with graphql-js’ errors', async () => {
    for (const [source, variables] of [
      [`query ($first: Int!) { things(first: $first) { id } }`, {}],
      [`query ($first: Int!) { things(first: $first) { id } }`, { first: null }],
      [`query ($first: Int!) { things(first: $first) { id } }`, { first: 'three' }],
      [`query ($kind: Kind) { things(kind: $kind) { id } }`, { kind: 'a' }],
      [`query ($after: DateTime) { things(after: $after) { id } }`, { after: 'yesterday' }],
      [`query ($filter: Filter) { filtered(filter: $filter) { id } }`, { filter: { limit: 1, extra: true } }],
    ] as const) {
      const result = await expectSame(source, variables);
      expect(result.data).toBeUndefined();
      expect(result.errors?.length).toBeGreaterThan(0);
    }
  });

  it('reports resolver errors with their originals and extensions, and nulls the nearest nullable parent', async () => {
    const result = await expectSame(`{ things(first: 4) { id boom forbidden later odd } thing(id: "2") { id must } }`);
    const errors = result.errors ?? [];
    expect(errors.some((error) => error.original === 'Error' && error.originalMessage === 'internal detail')).toBe(true);
    expect(errors.some((error) => error.json.extensions?.code === 'FORBIDDEN')).toBe(true);
    expect(errors.some((error) => error.json.message === 'Unexpected error value: "a plain value"' && error.original === 'NonErrorThrown')).toBe(true);
    expect(errors.every((error) => error.graphqlJs && error.extensionsObject)).toBe(true);
    expect(result.data?.thing).toBeNull();
    await expectSame(`{ things(first: 3) { id must } }`);
    await expectSame(`{ thing(id: "1") { child { must } } }`);
  });

  it('runs an operation whose fragments expand past the bound on graphql-js, without compiling it', async () => {
    // each fragment spreads the next twice: 2^depth copies of the last one once written out
    const nested = (depth: number) => {
      let source = `{ thing(id: "1") { ...F1 } }\n`;
      for (let level = 1; level < depth; level += 1)
        source += `fragment F${level} on Thing { child { ...F${level + 1} } things(first: 1) { ...F${level + 1} } }\n`;
      return `${source}fragment F${depth} on Thing { id }\n`;
    };
    const fieldsAt = (depth: number) => {
      const document = parse(nested(depth));
      return expandedFields(document, document.definitions[0] as OperationDefinitionNode);
    };
    // the last fragment is one field; each one above it two fields holding a copy of the next; thing holds the first
    const written = (depth: number) => {
      let fragment = 1;
      for (let level = depth - 1; level >= 1; level -= 1) fragment = 2 * (1 + fragment);
      return 1 + fragment;
    };
    for (const depth of [1, 2, 3, 6]) expect(fieldsAt(depth)).toBe(written(depth));
    expect(fieldsAt(10)).toBeGreaterThan(MAX_COMPILED_FIELDS);
    expect(fieldsAt(8)).toBeLessThan(MAX_COMPILED_FIELDS);

    const lines: string[] = [];
    const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(line) });
    const compiler = await loadCompiler(logger);
    const execution = createCompiledExecution(schema, compiler!, logger);
    for (const depth of [8, 10]) {
      const document = parse(nested(depth));
      const operation = document.definitions[0] as OperationDefinitionNode;
      const result = await execution.execute({ document, operation, operationName: undefined, variables: undefined, contextValue: {} });
      expect(seen(result)).toEqual(seen(await execute({ schema, document, contextValue: {} })));
    }
    const refused = lines
      .map((line) => JSON.parse(line) as { msg: string; fields?: number })
      .filter((entry) => entry.msg.startsWith('operation too large to compile'));
    expect(refused.map((entry) => entry.fields)).toEqual([fieldsAt(10)]);
  });

  it('answers any selection of fields as graphql-js does', async () => {
    const leaves = ['id', 'name', 'n', 'when', 'kind', 'must', 'boom', 'forbidden', 'later', 'odd'];
    const selection: fc.Arbitrary<string> = fc.letrec<{ set: string }>((tie) => ({
      set: fc
        .tuple(
          fc.subarray(leaves, { minLength: 1 }),
          fc.option(tie('set'), { nil: undefined, depthSize: 'small' }),
          fc.option(fc.tuple(fc.integer({ min: 0, max: 3 }), tie('set')), { nil: undefined, depthSize: 'small' }),
        )
        .map(([names, child, things]) => {
          let text = names.join(' ');
          if (child) text += ` child { ${child} }`;
          if (things) text += ` things(first: ${things[0]}) { ${things[1]} }`;
          return text;
        }),
    })).set;
    await fc.assert(
      fc.asyncProperty(selection, fc.integer({ min: 0, max: 5 }), async (set, first) => {
        const { interpreted, first: compiledFirst, second } = await both(`{ things(first: ${first}) { ${set} } thing(id: "${first}") { ${set} } }`);
        for (const compiledResult of [compiledFirst, second]) {
          expect(compiledResult.data).toEqual(interpreted.data);
          // the same errors, except those of fields whose object a null in a non-null field took
          // away: graphql-js stops resolving such an object at its first null (but reports what
          // a pending promise below it raises), graphql-jit resolves all of it and reports the
          // errors of the object taken away first; GraphQL leaves which of those are reported open
          const key = (error: { json: unknown }) => JSON.stringify(error);
          const expected = new Set((interpreted.errors ?? []).map(key));
          const got = new Set((compiledResult.errors ?? []).map(key));
          for (const error of interpreted.errors ?? []) if (!got.has(key(error))) expect(discarded(interpreted, error.json.path ?? [])).toBe(true);
          for (const error of compiledResult.errors ?? []) if (!expected.has(key(error))) expect(discarded(interpreted, error.json.path ?? [])).toBe(true);
          expect(got.size > 0).toBe(expected.size > 0);
        }
      }),
      { numRuns: 150 },
    );
  });
});
