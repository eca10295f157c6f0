import {
  Kind,
  getNamedType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isUnionType,
  parse,
  printType,
  type ConstDirectiveNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type TypeDefinitionNode,
} from 'graphql';

export const FEDERATION_LINK = 'https://specs.apollo.dev/federation/v2.6';

/**
 * Types reachable from the given roots. With `implementations`, every implementation of a
 * reachable interface too (a subgraph must declare what `_entities` and `node` may return); the
 * subgraph leaves out Subscription and whatever only it used, so routers compose it cleanly while
 * subscriptions stay on the hub's own endpoint.
 */
export function reachableTypes(schema: GraphQLSchema, roots: readonly GraphQLNamedType[], implementations: boolean): GraphQLNamedType[] {
  const seen = new Map<string, GraphQLNamedType>();
  const visit = (type: GraphQLNamedType): void => {
    if (seen.has(type.name) || type.name.startsWith('__')) return;
    seen.set(type.name, type);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const iface of type.getInterfaces()) visit(iface);
      for (const field of Object.values(type.getFields())) {
        visit(getNamedType(field.type));
        for (const arg of field.args) visit(getNamedType(arg.type));
      }
      if (implementations && isInterfaceType(type)) for (const impl of schema.getPossibleTypes(type)) visit(impl);
    } else if (isUnionType(type)) {
      for (const member of type.getTypes()) visit(member);
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) visit(getNamedType(field.type));
    }
  };
  for (const root of roots) visit(root);
  return [...seen.values()];
}

export function directive(name: string): ConstDirectiveNode {
  return { kind: Kind.DIRECTIVE, name: { kind: Kind.NAME, value: name } };
}

export function tag(name: string): ConstDirectiveNode {
  return {
    kind: Kind.DIRECTIVE,
    name: { kind: Kind.NAME, value: 'tag' },
    arguments: [{ kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: 'name' }, value: { kind: Kind.STRING, value: name } }],
  };
}

/** The key fields of an entity type (from its `@key`), none for any other type. */
export function entityKeys(type: GraphQLNamedType): string[] {
  const keys: string[] = [];
  for (const directive of type.astNode?.directives ?? []) {
    if (directive.name.value !== 'key') continue;
    const fields = directive.arguments?.find((arg) => arg.name.value === 'fields')?.value;
    if (fields?.kind === Kind.STRING) keys.push(...fields.value.split(/\s+/).filter(Boolean));
  }
  return keys;
}

type Fielded = TypeDefinitionNode & { fields?: readonly { name: { value: string }; directives?: readonly ConstDirectiveNode[] }[] };

/**
 * The definition of a type as it now is (fields removed or made nullable since the builder made
 * it), keeping the federation directives the builder attached to the type and its fields.
 */
export function typeDefinition(type: GraphQLNamedType): Fielded {
  const printed = parse(printType(type)).definitions[0] as Fielded;
  const old = type.astNode as Fielded | null | undefined;
  const kept = (directives: readonly ConstDirectiveNode[] | undefined) => (directives ?? []).filter((d) => d.name.value !== 'deprecated');
  const oldFields = new Map((old?.fields ?? []).map((field) => [field.name.value, field]));
  return {
    ...printed,
    directives: [...(printed.directives ?? []), ...kept(old?.directives)],
    ...(printed.fields
      ? {
          fields: printed.fields.map((field) => ({
            ...field,
            directives: [...(field.directives ?? []), ...kept(oldFields.get(field.name.value)?.directives)],
          })),
        }
      : {}),
  } as Fielded;
}

export function addDirectives(
  definition: Fielded,
  typeDirectives: readonly ConstDirectiveNode[],
  fieldDirectives: (field: string) => readonly ConstDirectiveNode[],
): Fielded {
  return {
    ...definition,
    directives: [...(definition.directives ?? []), ...typeDirectives],
    ...(definition.fields
      ? { fields: definition.fields.map((field) => ({ ...field, directives: [...(field.directives ?? []), ...fieldDirectives(field.name.value)] })) }
      : {}),
  } as Fielded;
}
