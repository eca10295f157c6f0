import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLInputType,
} from 'graphql';

/** Operations built from the schema itself, so a test covers every field, including ones added later. */

/** A string a client may send that the database cannot store (GraphQL escape of U+0000). */
export const NUL_TEXT = '"a\\u0000b"';

const MAX_DEPTH = 4;

/**
 * A literal of the type, valid enough to get past validation. Required input fields are filled;
 * along `at` (argument or input field names, outermost first) optional ones are filled too, and
 * the leaf at its end carries a NUL character.
 */
export function literal(type: GraphQLInputType, at: readonly string[] = [], depth = 0, nul = false): string {
  if (isNonNullType(type)) return literal(type.ofType, at, depth, nul);
  if (isListType(type)) return `[${literal(type.ofType, at, depth, nul)}]`;
  if (isEnumType(type)) return type.getValues()[0]?.name ?? 'null';
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields()).filter((f) => (isNonNullType(f.type) && f.defaultValue === undefined) || f.name === at[0]);
    if (depth > MAX_DEPTH) return '{ }';
    return `{ ${fields.map((f) => `${f.name}: ${literal(f.type, f.name === at[0] ? at.slice(1) : [], depth + 1, f.name === at[0] && at.length === 1)}`).join(', ')} }`;
  }
  if (isScalarType(type)) {
    if (nul) return type.name === 'JSON' ? `{ note: ${NUL_TEXT} }` : NUL_TEXT;
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

const TEXT_SCALARS = new Set(['String', 'ID', 'JSON']);

/** Paths to every argument or input field of a text type (String, ID, JSON), required or not. */
export function textLeaves(field: GraphQLField<unknown, unknown>): string[][] {
  const leaves: string[][] = [];
  const visit = (input: GraphQLArgument | GraphQLInputField, path: string[], depth: number): void => {
    const named = getNamedType(input.type);
    if (isScalarType(named) && TEXT_SCALARS.has(named.name)) leaves.push(path);
    else if (isInputObjectType(named) && depth < MAX_DEPTH)
      for (const inner of Object.values(named.getFields())) visit(inner, [...path, inner.name], depth + 1);
  };
  for (const arg of field.args) visit(arg, [arg.name], 0);
  return leaves;
}

/** The type at the end of a leaf path, for knowing what was sent there. */
export function leafType(field: GraphQLField<unknown, unknown>, path: readonly string[]): string {
  let current: GraphQLInputType | undefined = field.args.find((a) => a.name === path[0])?.type;
  for (const name of path.slice(1)) {
    const named = current ? getNamedType(current) : undefined;
    current = named && isInputObjectType(named) ? named.getFields()[name]?.type : undefined;
  }
  return current ? getNamedType(current).name : '?';
}

/** `field(required args) { __typename }`: the smallest operation that reaches the field; `nulAt` puts a NUL into one text leaf. */
export function operationOf(
  kind: 'query' | 'mutation' | 'subscription',
  field: GraphQLField<unknown, unknown>,
  options: { nulAt?: readonly string[] } = {},
): string {
  const at = options.nulAt ?? [];
  const args = field.args
    .filter((a) => (isNonNullType(a.type) && a.defaultValue === undefined) || a.name === at[0])
    .map((a) => `${a.name}: ${literal(a.type, a.name === at[0] ? at.slice(1) : [], 0, a.name === at[0] && at.length === 1)}`);
  const named = getNamedType(getNullableType(field.type));
  const selection = isScalarType(named) || isEnumType(named) ? '' : ' { __typename }';
  return `${kind} { ${field.name}${args.length > 0 ? `(${args.join(', ')})` : ''}${selection} }`;
}
