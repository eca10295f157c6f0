import {
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  getNullableType,
  getVariableValues,
  isAbstractType,
  isEnumType,
  isLeafType,
  isListType,
  isObjectType,
  isInterfaceType,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../pagination';
import type { FieldCost } from './declare';

/** How many of the costliest paths a refusal names. */
export const COSTLIEST_SHOWN = 3;
/** A list with no declared size counts as this many: the largest page (a schema test finds them). */
export const UNDECLARED_LIST_SIZE = MAX_PAGE_SIZE;

export interface CostPath {
  /** response path, aliases as the client wrote them: `a1.points` */
  path: string;
  /** rows this field itself accounts for, times the lists around it */
  cost: number;
}

export interface OperationCost {
  /** rows the operation may touch */
  cost: number;
  /** selection depth, introspection left out */
  depth: number;
  /** depth inside `__schema` / `__type` */
  introspectionDepth: number;
  aliases: number;
  /** entity representations its `_entities` fields carry */
  entities: number;
  costliest: CostPath[];
}

/** A document too large to analyse: refused without an answer. */
export class AnalysisLimitError extends Error {}

interface PathNode {
  readonly key: string;
  readonly next: PathNode | undefined;
  readonly id: number;
}

/** One node per distinct path in an analysis: equal paths compare as the same object, at once. */
class PathTable {
  private readonly nodes = new Map<string, PathNode>();
  at(key: string, next: PathNode | undefined): PathNode {
    const id = `${next?.id ?? ''}\u0000${key}`;
    let node = this.nodes.get(id);
    if (!node) this.nodes.set(id, (node = { key, next, id: this.nodes.size + 1 }));
    return node;
  }
}
interface Contribution {
  readonly path: PathNode | undefined;
  readonly cost: number;
}
interface Tally {
  cost: number;
  depth: number;
  introspectionDepth: number;
  aliases: number;
  entities: number;
  top: Contribution[];
}

/** The parent's size for child lists it sizes (`readings(limit).points`, a connection's `edges`). */
interface Sizing {
  readonly fields: ReadonlySet<string>;
  readonly size: number;
  readonly key: string;
}

const CONNECTION_CHILDREN: ReadonlySet<string> = new Set(['edges', 'nodes']);
const emptyTally = (): Tally => ({ cost: 0, depth: 0, introspectionDepth: 0, aliases: 0, entities: 0, top: [] });

/** Keeps the few costliest contributions, costliest first; one path (spread twice) adds up. */
function pushTop(top: Contribution[], item: Contribution): void {
  if (item.cost <= 0) return;
  // paths are interned (one node per distinct path), so the same path is the same object
  const same = top.findIndex((known) => known.path === item.path);
  if (same >= 0) {
    const merged = { path: item.path, cost: (top[same] as Contribution).cost + item.cost };
    top.splice(same, 1);
    pushTop(top, merged);
    return;
  }
  if (top.length === COSTLIEST_SHOWN && (top[COSTLIEST_SHOWN - 1] as Contribution).cost >= item.cost) return;
  let index = top.length;
  while (index > 0 && (top[index - 1] as Contribution).cost < item.cost) index -= 1;
  top.splice(index, 0, item);
  if (top.length > COSTLIEST_SHOWN) top.pop();
}

/** `into += from × multiplier`; paths of `from` get `key` in front when given. */
function addInto(into: Tally, from: Tally, multiplier: number, key?: string, paths?: PathTable): void {
  into.cost += from.cost * multiplier;
  into.entities += from.entities * multiplier;
  into.aliases += from.aliases;
  into.depth = Math.max(into.depth, from.depth);
  into.introspectionDepth = Math.max(into.introspectionDepth, from.introspectionDepth);
  for (const item of from.top) pushTop(into.top, { path: key === undefined || !paths ? item.path : paths.at(key, item.path), cost: item.cost * multiplier });
}

function pathText(path: PathNode | undefined): string {
  const keys: string[] = [];
  for (let node = path; node; node = node.next) keys.push(node.key);
  return keys.join('.');
}

const toTime = (value: unknown): number => (value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : Number.NaN);

const fieldCostOf = (field: GraphQLField<unknown, unknown>): FieldCost | undefined => (field.extensions as { cost?: FieldCost } | undefined)?.cost;

function isConnection(type: GraphQLNamedType): boolean {
  if (!isObjectType(type)) return false;
  const fields = type.getFields();
  return 'edges' in fields && 'pageInfo' in fields;
}
function isStructural(type: GraphQLNamedType): boolean {
  if (!isObjectType(type)) return false;
  if (type.name === 'PageInfo') return true;
  const fields = type.getFields();
  return 'node' in fields && 'cursor' in fields;
}

export interface AnalyseInput {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName?: string | null | undefined;
  variables?: Readonly<Record<string, unknown>> | null | undefined;
  /** selections visited before the document is refused as too large to analyse */
  maxSteps?: number;
}

/**
 * The cost of the operation a request runs: the rows it may touch, its depth, aliases and entity
 * representations, and its costliest paths. Linear in the document: each fragment is analysed once
 * per sizing context and reused wherever it is spread, so nested spreads cost their size to
 * analyse, not 2^depth. Works on documents that have not been validated: what it cannot resolve
 * (an unknown field, a fragment cycle) it counts as nothing and leaves to validation.
 * Returns undefined when there is no operation to run (validation will say why).
 */
export function analyseOperation(input: AnalyseInput): OperationCost | undefined {
  const { schema, document } = input;
  const maxSteps = input.maxSteps ?? 50_000;
  const fragments = new Map<string, FragmentDefinitionNode>();
  const operations: OperationDefinitionNode[] = [];
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    else if (definition.kind === Kind.OPERATION_DEFINITION) operations.push(definition);
  }
  const operation = input.operationName ? operations.find((op) => op.name?.value === input.operationName) : operations.length === 1 ? operations[0] : undefined;
  if (!operation) return undefined;
  const root =
    operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  if (!root) return undefined;

  // Variable values as execution will see them; when they do not coerce, execution refuses the
  // request, and sizes given by variables count at their maximum meanwhile.
  let variables: Record<string, unknown> | undefined;
  try {
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], (input.variables ?? {}) as Record<string, unknown>, { maxErrors: 1 });
    if ('coerced' in coerced) variables = coerced.coerced;
  } catch {
    variables = undefined;
  }

  let steps = 0;
  const paths = new PathTable();
  const memo = new Map<string, Tally>();
  const inProgress = new Set<string>();

  const included = (node: SelectionNode): boolean => {
    if (!node.directives?.length || !variables) return true;
    try {
      if (getDirectiveValues(GraphQLSkipDirective, node, variables)?.if === true) return false;
      if (getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if === false) return false;
    } catch {
      // a malformed directive is validation's to report; count the selection
    }
    return true;
  };

  const argumentsOf = (field: GraphQLField<unknown, unknown>, node: FieldNode): Record<string, unknown> | undefined => {
    if (!variables) return undefined;
    try {
      return getArgumentValues(field, node, variables);
    } catch {
      return undefined;
    }
  };

  /** The size a slicing argument asks for; undefined when none is given. */
  const sliced = (declared: NonNullable<FieldCost['listSize']>, args: Record<string, unknown> | undefined): number | undefined => {
    const range = declared.timeRange;
    if (range) {
      const span = args ? (toTime(args[range.to]) - toTime(args[range.from])) / 1000 : Number.NaN;
      const step = typeof range.step === 'number' ? range.step : range.steps?.[String(args?.[range.step])];
      // a range that does not make sense is the resolver's to refuse: count the most it allows
      if (!Number.isFinite(span) || step === undefined) return declared.max ?? declared.assumedSize;
      return Math.min(Math.max(0, Math.ceil(span / step)) + 1, declared.max ?? Number.POSITIVE_INFINITY);
    }
    if (!declared.slicingArguments) return undefined;
    // arguments that do not coerce: execution refuses them; count the most they could ask
    const perItem =
      typeof declared.perItem === 'string'
        ? typeof args?.[declared.perItem] === 'number'
          ? (args[declared.perItem] as number)
          : UNDECLARED_LIST_SIZE
        : (declared.perItem ?? 1);
    if (!args) return declared.max === undefined ? undefined : declared.max * perItem;
    for (const name of declared.slicingArguments) {
      const value = args[name];
      if (typeof value === 'number') return Math.max(0, Math.min(value, declared.max ?? value));
      if (Array.isArray(value)) return value.length * perItem;
    }
    return undefined;
  };

  const listSize = (field: GraphQLField<unknown, unknown>, args: Record<string, unknown> | undefined, sizing: Sizing | undefined): number => {
    if (sizing?.fields.has(field.name)) return sizing.size;
    const declared = fieldCostOf(field)?.listSize;
    const named = getNamedType(field.type);
    const asked = declared ? sliced(declared, args) : undefined;
    if (asked !== undefined) return asked;
    if (declared?.assumedSize !== undefined) return declared.assumedSize;
    if (isEnumType(named)) return named.getValues().length;
    return UNDECLARED_LIST_SIZE;
  };

  /** Size of a connection page: `first`/`last`, or the default page. */
  const pageSize = (args: Record<string, unknown> | undefined): number => {
    if (!args) return MAX_PAGE_SIZE;
    const asked = typeof args.first === 'number' ? args.first : typeof args.last === 'number' ? args.last : DEFAULT_PAGE_SIZE;
    return Math.max(0, Math.min(asked, MAX_PAGE_SIZE));
  };

  const spread = (name: string, sizing: Sizing | undefined, introspection: boolean): Tally | undefined => {
    const fragment = fragments.get(name);
    if (!fragment) return undefined;
    const key = `${introspection ? 'i' : 'o'}|${name}|${sizing?.key ?? ''}`;
    const known = memo.get(key);
    if (known) return known;
    // a cycle is NoFragmentCyclesRule's to report
    if (inProgress.has(key)) return undefined;
    inProgress.add(key);
    const type = schema.getType(fragment.typeCondition.name.value);
    const tally = selectionSet(fragment.selectionSet, type, sizing, introspection);
    inProgress.delete(key);
    memo.set(key, tally);
    return tally;
  };

  /** The entities a list of representations names, per `__typename`. */
  const entityTally = (set: SelectionSetNode | undefined, representations: readonly unknown[]): Tally => {
    const total = representations.length;
    const perType = new Map<string, number>();
    for (const item of representations) {
      const name = item && typeof item === 'object' ? (item as { __typename?: unknown }).__typename : undefined;
      if (typeof name === 'string') perType.set(name, (perType.get(name) ?? 0) + 1);
    }
    const countFor = (typeName: string | undefined): number => {
      if (typeName === undefined) return total;
      const type = schema.getType(typeName);
      if (type && isAbstractType(type)) return schema.getPossibleTypes(type).reduce((sum, t) => sum + (perType.get(t.name) ?? 0), 0);
      return perType.get(typeName) ?? 0;
    };
    const tally = emptyTally();
    const visit = (selections: SelectionSetNode): void => {
      for (const selection of selections.selections) {
        steps += 1;
        if (!included(selection)) continue;
        if (selection.kind === Kind.INLINE_FRAGMENT) {
          const typeName = selection.typeCondition?.name.value;
          if (typeName === undefined) visit(selection.selectionSet);
          else addInto(tally, selectionSet(selection.selectionSet, schema.getType(typeName), undefined, false), countFor(typeName));
        } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
          const fragment = fragments.get(selection.name.value);
          const inner = spread(selection.name.value, undefined, false);
          if (fragment && inner) addInto(tally, inner, countFor(fragment.typeCondition.name.value));
        } else {
          tally.depth = Math.max(tally.depth, 1);
        }
      }
    };
    if (set) visit(set);
    return tally;
  };

  const field = (node: FieldNode, parent: GraphQLNamedType | undefined, sizing: Sizing | undefined, introspection: boolean): Tally => {
    const key = node.alias?.value ?? node.name.value;
    const name = node.name.value;
    const aliases = node.alias ? 1 : 0;
    const definition = parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[name] : undefined;

    if (name === '__schema' || name === '__type') {
      const inner = node.selectionSet ? selectionSet(node.selectionSet, undefined, undefined, true) : emptyTally();
      return { cost: 0, depth: 1, introspectionDepth: inner.depth + 1, aliases: aliases + inner.aliases, entities: 0, top: [] };
    }
    if (!definition || introspection) {
      const inner = node.selectionSet ? selectionSet(node.selectionSet, undefined, undefined, introspection) : emptyTally();
      return { ...inner, cost: 0, entities: 0, top: [], depth: inner.depth + 1, aliases: aliases + inner.aliases };
    }

    const args = argumentsOf(definition, node);
    const named = getNamedType(definition.type);
    const result = emptyTally();
    result.aliases = aliases;

    if (name === '_entities') {
      const representations = args && Array.isArray(args.representations) ? (args.representations as unknown[]) : [];
      const inner = entityTally(node.selectionSet, representations);
      addInto(result, inner, 1, key, paths);
      result.cost += representations.length;
      result.entities += representations.length;
      pushTop(result.top, { path: paths.at(key, undefined), cost: representations.length });
      result.depth = inner.depth + 1;
      return result;
    }

    const declared = fieldCostOf(definition);
    const list = isListType(getNullableType(definition.type));
    const connection = isConnection(named);
    const size = list ? listSize(definition, args, sizing) : 1;
    const weight = declared?.weight ?? (isLeafType(named) || isStructural(named) ? 0 : 1);
    let childSizing: Sizing | undefined;
    if (connection) {
      const page = pageSize(args);
      childSizing = { fields: CONNECTION_CHILDREN, size: page, key: `c${page}` };
    } else if (declared?.listSize?.sizedFields && (declared.listSize.slicingArguments || declared.listSize.timeRange)) {
      const own = sliced(declared.listSize, args) ?? declared.listSize.max ?? declared.listSize.assumedSize ?? UNDECLARED_LIST_SIZE;
      childSizing = { fields: new Set(declared.listSize.sizedFields), size: own, key: `${declared.listSize.sizedFields.join(',')}=${own}` };
    } else if (sizing && !list) {
      // a dotted sized field (`data.nearbySources`) reaches through this object to its lists
      const through = [...sizing.fields].filter((path) => path.startsWith(`${name}.`)).map((path) => path.slice(name.length + 1));
      if (through.length > 0) childSizing = { fields: new Set(through), size: sizing.size, key: `${through.join(',')}=${sizing.size}` };
    }
    const inner = node.selectionSet ? selectionSet(node.selectionSet, named, childSizing, false) : emptyTally();
    addInto(result, inner, size, key, paths);
    const own = size * weight;
    result.cost += own;
    pushTop(result.top, { path: paths.at(key, undefined), cost: own });
    result.depth = inner.depth + 1;
    return result;
  };

  function selectionSet(set: SelectionSetNode, parent: GraphQLNamedType | undefined, sizing: Sizing | undefined, introspection: boolean): Tally {
    const tally = emptyTally();
    for (const selection of set.selections) {
      steps += 1;
      if (steps > maxSteps) throw new AnalysisLimitError(`the document has more than ${maxSteps} selections to analyse`);
      if (!included(selection)) continue;
      if (selection.kind === Kind.FIELD) {
        addInto(tally, field(selection, parent, sizing, introspection), 1);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const typeName = selection.typeCondition?.name.value;
        addInto(tally, selectionSet(selection.selectionSet, typeName ? schema.getType(typeName) : parent, sizing, introspection), 1);
      } else {
        const inner = spread(selection.name.value, sizing, introspection);
        if (inner) addInto(tally, inner, 1);
      }
    }
    return tally;
  }

  const tally = selectionSet(operation.selectionSet, root, undefined, false);
  return {
    cost: tally.cost,
    depth: tally.depth,
    introspectionDepth: tally.introspectionDepth,
    aliases: tally.aliases,
    entities: tally.entities,
    costliest: tally.top.map((item) => ({ path: pathText(item.path), cost: item.cost })),
  };
}
