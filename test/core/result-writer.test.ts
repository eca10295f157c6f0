import fc from 'fast-check';
import { buildSchema, execute, GraphQLScalarType, parse, type ExecutionResult } from 'graphql';
import { describe, expect, it } from 'vitest';
import { compileResultWriter, writeResponse } from '../../src/graphql/result-writer';

const schema = buildSchema(`
  scalar JSON
  enum Kind { A B }
  interface Named { name: String }
  type Thing implements Named {
    id: ID!
    name: String
    n: Int
    f: Float
    ok: Boolean
    kind: Kind
    tags: [String]
    grid: [[Int]]
    json: JSON
    child: Thing
    children: [Thing]
    named: Named
  }
  type Query { thing: Thing things: [Thing] maybe: Thing }
  type Mutation { touch: Thing }
`);
// JSON passes any value through, as the hub's JSON scalar does
const json = schema.getType('JSON') as GraphQLScalarType;
json.serialize = (value: unknown) => value;
(schema.getType('Named') as unknown as { resolveType: () => string }).resolveType = () => 'Thing';

interface ThingValue {
  id: string;
  name?: string | null;
  n?: number | null;
  f?: number | null;
  ok?: boolean | null;
  kind?: 'A' | 'B' | null;
  tags?: (string | null)[] | null;
  grid?: (number | null)[][] | null;
  json?: unknown;
  child?: ThingValue | null;
  children?: (ThingValue | null)[] | null;
  named?: ThingValue | null;
}

const leaf: ThingValue = {
  id: '2',
  name: '子项 "two"',
  n: -0,
  f: 1e21,
  ok: false,
  kind: 'B',
  tags: [null, 'x'],
  grid: [[1, null], []],
  json: { a: [1, '\u2028'], b: null },
};
const sample: ThingValue = {
  id: '1',
  name: 'Ein "Ding"\n\u0000',
  n: 42,
  f: 0.1 + 0.2,
  ok: true,
  kind: 'A',
  tags: ['甲', '\ud800', ''],
  grid: [[1, 2], [3]],
  json: { nested: { deep: [true, 1.5, 'x'] }, date: new Date(Date.UTC(2026, 0, 1)) },
  child: leaf,
  children: [leaf, null, { ...leaf, id: '3', child: null }],
  named: leaf,
};

const run = (source: string, thing: ThingValue | null = sample, operationName?: string): ExecutionResult => {
  const rootValue = {
    thing,
    things: [thing, null, leaf],
    maybe: () => {
      throw new Error('not there');
    },
    touch: thing,
  };
  return execute({ schema, document: parse(source), rootValue, operationName }) as ExecutionResult;
};

/** The writer's text for the operation's data and the whole response, against JSON.stringify's. */
function expectSameText(source: string, thing: ThingValue | null = sample, operationName?: string): void {
  const result = run(source, thing, operationName);
  const writer = compileResultWriter(schema, parse(source), operationName);
  expect(writer, source).toBeDefined();
  if (!writer) return;
  expect(writer(result.data)).toBe(JSON.stringify(result.data));
  const response = { errors: result.errors?.map((error) => error.toJSON()), data: result.data, extensions: { cost: { operation: 3 } } };
  expect(writeResponse(response, writer)).toBe(JSON.stringify(response));
}

describe('result writer', () => {
  it('writes every kind of leaf, list and nesting as JSON.stringify does', () => {
    expectSameText('{ thing { id name n f ok kind tags grid json child { id name tags } children { id child { id } } } }');
  });

  it('keeps graphql-js’ key order through aliases, repeated fields, fragments and spreads', () => {
    expectSameText('{ a: thing { id } thing { name } a: thing { name n } }');
    expectSameText(`
      query Q { thing { ...F ... on Thing { n id } child { ...F kind } ...G } }
      fragment F on Thing { name id ...G }
      fragment G on Thing { kind tags }`);
    expectSameText('{ thing { ...F ...F id } } fragment F on Thing { n id }');
    expectSameText('{ thing { ... on Named { name } id __typename ... { ok } } __typename }');
    expectSameText('{ x: thing { child { id } } x: thing { child { name } } }');
  });

  it('writes nulls where resolvers failed and whole null data', () => {
    expectSameText('{ maybe { id } thing { id } things { id name } }');
    expectSameText('{ thing { id child { id } } }', null);
  });

  it('picks the operation by name, mutations included', () => {
    const source = 'query A { thing { id } } query B { thing { name n } } mutation C { touch { kind } }';
    for (const name of ['A', 'B', 'C']) expectSameText(source, sample, name);
  });

  it('leaves to JSON.stringify what depends on run time: directives and abstract types', () => {
    expect(compileResultWriter(schema, parse('{ thing { id @include(if: true) } }'), undefined)).toBeUndefined();
    expect(compileResultWriter(schema, parse('query($s: Boolean!) { thing { ... @skip(if: $s) { id } } }'), undefined)).toBeUndefined();
    expect(compileResultWriter(schema, parse('{ thing { named { name } } }'), undefined)).toBeUndefined();
    expect(compileResultWriter(schema, parse('query A { thing { id } }'), 'B')).toBeUndefined();
  });

  it('declines data not of the operation’s shape', () => {
    const writer = compileResultWriter(schema, parse('{ thing { id name } }'), undefined);
    expect(writer).toBeDefined();
    if (!writer) return;
    expect(writeResponse({ data: { thing: { id: '1' } } }, writer)).toBeUndefined();
    expect(writeResponse({ data: { thing: [1] } }, writer)).toBeUndefined();
  });

  it('writes any strings and numbers as JSON.stringify does', () => {
    const text = fc.string({ unit: 'binary', maxLength: 40 });
    const thing = fc.record({
      id: fc.string({ maxLength: 8 }),
      name: fc.option(text),
      n: fc.option(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })),
      f: fc.option(fc.double({ noNaN: true, noDefaultInfinity: true })),
      tags: fc.option(fc.array(fc.option(text), { maxLength: 5 })),
      json: fc.jsonValue(),
    });
    fc.assert(
      fc.property(thing, (value) => {
        const source = '{ thing { name n id f tags json } t: thing { id } }';
        const result = run(source, value);
        const writer = compileResultWriter(schema, parse(source), undefined);
        return writer !== undefined && writer(result.data) === JSON.stringify(result.data);
      }),
    );
  });
});
