import {
  getOperationAST,
  isAbstractType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { fragmentsOf } from './fragments';

/**
 * Writes the JSON of an operation's `data` by the operation's own shape: graphql-js builds every
 * result object without a prototype, which V8 keeps as a dictionary and `JSON.stringify` walks
 * slowly; a writer that knows each object's keys in order reads them straight. The text is the
 * same as `JSON.stringify` gives: keys in graphql-js' order (first appearance, fragments merged in
 * place, a fragment spread once), values by `JSON.stringify`.
 */
export type ResultWriter = (data: unknown) => string;

/** Thrown inside a writer at a value it did not expect (a missing key): the caller falls back to `JSON.stringify`. */
class Unexpected extends Error {}
const UNEXPECTED = new Unexpected('value not of the operation’s shape');

type Write = (value: unknown) => string;

const writeLeaf: Write = (value) => {
  if (value === undefined) throw UNEXPECTED;
  return JSON.stringify(value);
};

function listWriter(item: Write): Write {
  return (value) => {
    if (value === null) return 'null';
    if (!Array.isArray(value)) throw UNEXPECTED;
    let text = '[';
    for (let index = 0; index < value.length; index += 1) {
      if (index > 0) text += ',';
      text += item(value[index]);
    }
    return `${text}]`;
  };
}

function objectWriter(keys: readonly string[], writers: readonly Write[]): Write {
  const prefixes = keys.map((key, index) => `${index === 0 ? '{' : ','}${JSON.stringify(key)}:`);
  const count = keys.length;
  return (value) => {
    if (value === null) return 'null';
    if (typeof value !== 'object' || value === undefined) throw UNEXPECTED;
    if (count === 0) return '{}';
    const object = value as Record<string, unknown>;
    let text = '';
    for (let index = 0; index < count; index += 1) text += (prefixes[index] as string) + (writers[index] as Write)(object[keys[index] as string]);
    return `${text}}`;
  };
}

interface Compiling {
  schema: GraphQLSchema;
  fragments: Map<string, FragmentDefinitionNode>;
}

/** Whether a fragment on `condition` applies to objects of `type`, as graphql-js decides it. */
function applies(compiling: Compiling, condition: string | undefined, type: GraphQLObjectType): boolean {
  if (condition === undefined || condition === type.name) return true;
  const conditional = compiling.schema.getType(condition);
  return conditional !== undefined && isAbstractType(conditional) && compiling.schema.isSubType(conditional, type);
}

/** The fields of `selections` on `type` by response key, in graphql-js' order; undefined where a directive decides. */
function collect(
  compiling: Compiling,
  type: GraphQLObjectType,
  selectionSet: SelectionSetNode,
  fields: Map<string, FieldNode[]>,
  visited: Set<string>,
): boolean {
  for (const selection of selectionSet.selections) {
    // @skip and @include depend on variables: such an operation is written the general way
    if (selection.directives !== undefined && selection.directives.length > 0) return false;
    if (selection.kind === Kind.FIELD) {
      const key = selection.alias?.value ?? selection.name.value;
      const list = fields.get(key);
      if (list) list.push(selection);
      else fields.set(key, [selection]);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      if (applies(compiling, selection.typeCondition?.name.value, type) && !collect(compiling, type, selection.selectionSet, fields, visited)) return false;
    } else {
      const name = selection.name.value;
      if (visited.has(name)) continue;
      visited.add(name);
      const fragment = compiling.fragments.get(name);
      if (!fragment) return false;
      if (applies(compiling, fragment.typeCondition.name.value, type) && !collect(compiling, type, fragment.selectionSet, fields, visited)) return false;
    }
  }
  return true;
}

function typeWriter(compiling: Compiling, type: GraphQLOutputType, nodes: readonly FieldNode[]): Write | undefined {
  if (isNonNullType(type)) return typeWriter(compiling, type.ofType, nodes);
  if (isListType(type)) {
    const item = typeWriter(compiling, type.ofType, nodes);
    return item && listWriter(item);
  }
  if (isLeafType(type)) return writeLeaf;
  // an interface or union: which fields an object has depends on its type at run time
  if (!isObjectType(type)) return undefined;
  const fields = new Map<string, FieldNode[]>();
  const visited = new Set<string>();
  for (const node of nodes) if (node.selectionSet && !collect(compiling, type, node.selectionSet, fields, visited)) return undefined;
  return selectionWriter(compiling, type, fields);
}

function selectionWriter(compiling: Compiling, type: GraphQLObjectType, fields: Map<string, FieldNode[]>): Write | undefined {
  const keys: string[] = [];
  const writers: Write[] = [];
  const definitions = type.getFields();
  for (const [key, nodes] of fields) {
    const name = (nodes[0] as FieldNode).name.value;
    const definition = definitions[name];
    const writer = name === '__typename' ? writeLeaf : definition && typeWriter(compiling, definition.type, nodes);
    if (!writer) return undefined;
    keys.push(key);
    writers.push(writer);
  }
  return objectWriter(keys, writers);
}

/** A writer for the data of `operationName` in `document`; undefined when the operation's shape is not fixed. */
export function compileResultWriter(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined): ResultWriter | undefined {
  const operation = getOperationAST(document, operationName);
  if (!operation) return undefined;
  const root = schema.getRootType(operation.operation);
  if (!root) return undefined;
  const fragments = fragmentsOf(document);
  const compiling = { schema, fragments };
  const fields = new Map<string, FieldNode[]>();
  if (!collect(compiling, root, operation.selectionSet, fields, new Set())) return undefined;
  return selectionWriter(compiling, root, fields);
}

/** The writers of the documents seen, by document and operation name: documents are cached, so each is compiled once. */
const compiled = new WeakMap<DocumentNode, Map<string, ResultWriter | null>>();

export function resultWriterFor(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined): ResultWriter | undefined {
  let byName = compiled.get(document);
  if (!byName) compiled.set(document, (byName = new Map()));
  const key = operationName ?? '';
  let writer = byName.get(key);
  if (writer === undefined) {
    writer = compileResultWriter(schema, document, operationName) ?? null;
    byName.set(key, writer);
  }
  return writer ?? undefined;
}

/**
 * A response `{ errors, data, extensions }` as `JSON.stringify` writes it, its data by `writer`;
 * undefined when the data was not of the writer's shape.
 */
export function writeResponse(response: { errors?: unknown; data?: unknown; extensions?: unknown }, writer: ResultWriter): string | undefined {
  let data: string;
  try {
    data = writer(response.data);
  } catch (error) {
    if (error instanceof Unexpected) return undefined;
    throw error;
  }
  const errors = response.errors === undefined ? '' : `"errors":${JSON.stringify(response.errors)},`;
  const extensions = response.extensions === undefined ? '' : `,"extensions":${JSON.stringify(response.extensions)}`;
  return `{${errors}"data":${data}${extensions}}`;
}
