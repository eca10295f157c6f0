import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildSchema, Kind, parse, print, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';
import { analyseOperation, AnalysisLimitError } from '../../../src/graphql/cost/analyse';
import type { FieldCost } from '../../../src/graphql/cost/declare';

/** A small schema with each kind of size the model knows. */
const schema = buildSchema(`
  type Query {
    items(limit: Int = 10): [Item!]!
    item(limit: Int = 4): Item
    conn(first: Int, after: String): ItemConnection!
    latest(ids: [ID!]!, limit: Int = 3): [Item!]!
    _entities(representations: [_Any!]!): [_Entity]!
    kinds: [Kind!]!
    ping: String
    history(from: String!, to: String!, granularity: Step = HOUR): [Point!]!
  }
  scalar _Any
  union _Entity = Item | Other
  enum Kind { A B C }
  enum Step { HOUR DAY }
  type Other { code: String children(limit: Int = 5): [Item!]! }
  type Item { name: String children(limit: Int = 5): [Item!]! series(limit: Int = 100): Series levels: [Item!]! detail: Item }
  type Series { points: [Point!]! buckets: [Point!] }
  type Point { x: Float }
  type ItemConnection { edges: [ItemEdge!]! pageInfo: PageInfo! }
  type ItemEdge { cursor: String! node: Item! }
  type PageInfo { hasNextPage: Boolean! }
`);
const declare = (typeName: string, fieldName: string, cost: FieldCost): void => {
  const type = schema.getType(typeName) as unknown as { getFields(): Record<string, { extensions: unknown }> };
  (type.getFields()[fieldName] as { extensions: unknown }).extensions = { cost };
};
declare('Query', 'items', { listSize: { slicingArguments: ['limit'], max: 100 } });
declare('Query', 'latest', { listSize: { slicingArguments: ['ids'], perItem: 'limit', max: 500 } });
declare('Item', 'children', { listSize: { slicingArguments: ['limit'], max: 50 } });
declare('Other', 'children', { listSize: { slicingArguments: ['limit'], max: 50 } });
declare('Item', 'series', { listSize: { slicingArguments: ['limit'], max: 5000, sizedFields: ['points', 'buckets'] } });
declare('Item', 'levels', { listSize: { assumedSize: 3 } });
declare('Query', 'history', {
  listSize: { timeRange: { from: 'from', to: 'to', step: 'granularity', steps: { HOUR: 3600, DAY: 86_400 } }, max: 744, assumedSize: 744 },
});
declare('Query', 'item', { listSize: { slicingArguments: ['limit'], max: 50, sizedFields: ['detail.children'] } });
declare('Series', 'points', { listSize: { assumedSize: 5000 } });
declare('Series', 'buckets', { listSize: { assumedSize: 5000 } });

const analyse = (query: string, variables?: Record<string, unknown>, operationName?: string) =>
  analyseOperation({ schema, document: parse(query), variables, operationName });

describe('the cost of an operation', () => {
  it('counts each object a field may return, times the lists around it', () => {
    expect(analyse('{ items { name } }')?.cost).toBe(10);
    expect(analyse('{ items(limit: 4) { children(limit: 2) { name } } }')?.cost).toBe(4 + 4 * 2);
    expect(analyse('{ item { name levels { name } } }')?.cost).toBe(1 + 3);
    expect(analyse('{ ping kinds }')?.cost).toBe(0);
  });

  it('reads sizes from variables, caps them at the declared maximum, and counts the worst case when they do not coerce', () => {
    expect(analyse('query($n: Int) { items(limit: $n) { name } }', { n: 7 })?.cost).toBe(7);
    expect(analyse('query($n: Int) { items(limit: $n) { name } }', {})?.cost).toBe(10);
    expect(analyse('{ items(limit: 100000) { name } }')?.cost).toBe(100);
    expect(analyse('query($n: Int) { items(limit: $n) { name } }', { n: 'many' })?.cost).toBe(100);
  });

  it('sizes a list by the length of a list argument, times the items each brings', () => {
    expect(analyse('{ latest(ids: ["a", "b"]) { name } }')?.cost).toBe(6);
    expect(analyse('query($ids: [ID!]!) { latest(ids: $ids, limit: 10) { name } }', { ids: ['a', 'b', 'c'] })?.cost).toBe(30);
  });

  it('sizes the lists a parent sizes, through fragments and inline fragments', () => {
    expect(analyse('{ item { series(limit: 50) { points { x } } } }')?.cost).toBe(1 + 1 + 50);
    expect(analyse('{ item { series(limit: 50) { ...P } } } fragment P on Series { ... on Series { points { x } buckets { x } } }')?.cost).toBe(1 + 1 + 100);
    // the same fragment under two sizes counts each
    expect(analyse('{ item { a: series(limit: 5) { ...P } b: series(limit: 500) { ...P } } } fragment P on Series { points { x } }')?.cost).toBe(1 + 2 + 505);
  });

  it('reaches through objects to the lists a dotted sized field names', () => {
    expect(analyse('{ item(limit: 7) { detail { children { name } } } }')?.cost).toBe(1 + 1 + 7);
    expect(analyse('{ item { detail { children { name } } } }')?.cost).toBe(1 + 1 + 4);
    // not through a list: the list's items size their own children
    expect(analyse('{ item(limit: 7) { levels { children { name } } } }')?.cost).toBe(1 + 3 + 3 * 5);
  });

  it('sizes a series by its time range and step', () => {
    const history = (from: string, to: string, step = 'HOUR') => analyse(`{ history(from: "${from}", to: "${to}", granularity: ${step}) { x } }`)?.cost;
    expect(history('2026-01-01T00:00:00Z', '2026-01-01T12:00:00Z')).toBe(13);
    expect(history('2026-01-01T00:00:00Z', '2026-01-08T00:00:00Z', 'DAY')).toBe(8);
    expect(history('2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z')).toBe(744);
    expect(history('not a time', '2026-01-01T00:00:00Z')).toBe(744);
    expect(history('2026-01-02T00:00:00Z', '2026-01-01T00:00:00Z')).toBe(1);
  });

  it('sizes a connection page by first, 20 by default, and counts its nodes once', () => {
    expect(analyse('{ conn { edges { cursor node { name } } pageInfo { hasNextPage } } }')?.cost).toBe(1 + 20);
    expect(analyse('{ conn(first: 3) { edges { node { children { name } } } } }')?.cost).toBe(1 + 3 + 15);
  });

  it('counts entity representations per __typename against the fragments for that type', () => {
    const query = 'query($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Item { children { name } } ...O } } fragment O on Other { code }';
    const r = [{ __typename: 'Item' }, { __typename: 'Item' }, { __typename: 'Other' }];
    const cost = analyse(query, { r });
    expect(cost?.entities).toBe(3);
    expect(cost?.cost).toBe(3 + 2 * 5);
    expect(
      analyse(
        '{ a: _entities(representations: [{ __typename: "Item" }]) { ... on Item { name } } b: _entities(representations: [{ __typename: "Other" }, { __typename: "Other" }]) { ... on Other { code } } }',
      )?.entities,
    ).toBe(3);
  });

  it('leaves out what @skip and @include leave out', () => {
    expect(analyse('query($s: Boolean!) { items @skip(if: $s) { name } item { name } }', { s: true })?.cost).toBe(1);
    expect(analyse('query($s: Boolean!) { items @include(if: $s) { name } }', { s: true })?.cost).toBe(10);
  });

  it('names the costliest paths, aliases as written, one path spread twice added up', () => {
    const cost = analyse(
      '{ a: items(limit: 2) { children(limit: 50) { name } } b: item { series(limit: 900) { points { x } } } ...F ...F } fragment F on Query { item { name } }',
    );
    expect(cost?.costliest).toEqual([
      { path: 'b.series.points', cost: 900 },
      { path: 'a.children', cost: 100 },
      { path: 'a', cost: 2 },
    ]);
    expect(analyse('{ ...F ...F } fragment F on Query { item { name } }')?.costliest).toEqual([{ path: 'item', cost: 2 }]);
  });

  it('measures depth and aliases, and introspection apart', () => {
    const cost = analyse('{ x: item { y: children { name } } __schema { types { fields { type { ofType { name } } } } } }');
    expect(cost).toMatchObject({ depth: 3, aliases: 2, introspectionDepth: 6, cost: 1 + 5 });
  });

  it('picks the operation by name, and has nothing to say without one to run', () => {
    expect(analyse('query A { item { name } } query B { items { name } }', undefined, 'B')?.cost).toBe(10);
    expect(analyse('query A { item { name } } query B { items { name } }')).toBeUndefined();
    expect(analyse('query A { item { name } }', undefined, 'C')).toBeUndefined();
  });

  it('counts what it cannot resolve as nothing and leaves it to validation: unknown fields, fragments, cycles', () => {
    expect(analyse('{ nope { deeper { name } } item { name } }')?.cost).toBe(1);
    expect(analyse('{ ...Missing item { name } }')?.cost).toBe(1);
    expect(analyse('{ item { ...A } } fragment A on Item { name ...B } fragment B on Item { children { name } ...A }')?.cost).toBe(1 + 5);
  });

  it('analyses nested spreads once each: 60 levels count 2^61 - 1 without expanding them', () => {
    const levels = 60;
    const fragments = Array.from({ length: levels }, (_, i) => `fragment F${i} on Query { item { name } ...F${i + 1} ...F${i + 1} }`).join(' ');
    const cost = analyse(`{ ...F0 } ${fragments} fragment F${levels} on Query { item { name } }`);
    expect(cost?.cost).toBe(2 ** (levels + 1) - 1);
  });

  it('refuses a document with more selections than its bound to visit', () => {
    const query = `{ ${Array.from({ length: 200 }, (_, i) => `a${i}: ping`).join(' ')} }`;
    expect(() => analyseOperation({ schema, document: parse(query), maxSteps: 100 })).toThrow(AnalysisLimitError);
    expect(analyseOperation({ schema, document: parse(query), maxSteps: 1000 })?.aliases).toBe(200);
  });
});

/** The document with every fragment spread replaced by the fragment's selections: what execution sees. */
function inlineFragments(document: DocumentNode): DocumentNode {
  const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
  const expand = (set: SelectionSetNode): SelectionSetNode => ({
    ...set,
    selections: set.selections.map((selection) => {
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value) as FragmentDefinitionNode;
        return {
          kind: Kind.INLINE_FRAGMENT,
          typeCondition: fragment.typeCondition,
          directives: selection.directives,
          selectionSet: expand(fragment.selectionSet),
        };
      }
      return selection.selectionSet ? { ...selection, selectionSet: expand(selection.selectionSet) } : selection;
    }),
  });
  return {
    ...document,
    definitions: document.definitions
      .filter((d) => d.kind !== Kind.FRAGMENT_DEFINITION)
      .map((d) => (d.kind === Kind.OPERATION_DEFINITION ? { ...d, selectionSet: expand(d.selectionSet) } : d)),
  };
}

describe('fragments analysed once', () => {
  /** Fragments F0..Fn on Item; each may spread only later ones, so there is no cycle. */
  const documents = fc.integer({ min: 1, max: 4 }).chain((count) =>
    fc
      .tuple(
        ...Array.from({ length: count }, (_, index) =>
          fc.array(
            fc.oneof(
              fc.constant('name'),
              fc.nat(3).map((n) => `c${n}: children(limit: ${n + 1}) { name }`),
              fc.integer({ min: 1, max: 900 }).map((n) => `series(limit: ${n}) { points { x } }`),
              fc.constant('levels { name }'),
              ...(index + 1 < count ? [fc.integer({ min: index + 1, max: count - 1 }).map((target) => `...F${target}`)] : []),
              ...(index + 1 < count ? [fc.integer({ min: index + 1, max: count - 1 }).map((target) => `children { ...F${target} }`)] : []),
            ),
            { minLength: 1, maxLength: 4 },
          ),
        ),
      )
      .map((bodies) => `{ items(limit: 3) { ...F0 } } ${bodies.map((body, i) => `fragment F${i} on Item { ${body.join(' ')} }`).join(' ')}`),
  );

  it('gives the cost, depth, aliases of the document with its fragments written out', () => {
    fc.assert(
      fc.property(documents, (query) => {
        const document = parse(query);
        const memoised = analyseOperation({ schema, document });
        const expanded = analyseOperation({ schema, document: parse(print(inlineFragments(document))) });
        expect({ cost: memoised?.cost, depth: memoised?.depth, aliases: memoised?.aliases }).toEqual({
          cost: expanded?.cost,
          depth: expanded?.depth,
          aliases: expanded?.aliases,
        });
      }),
      { numRuns: 300 },
    );
  });
});
