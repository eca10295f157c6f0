import {
  GraphQLError,
  Kind,
  getNamedType,
  getNullableType,
  isListType,
  isObjectType,
  type ASTVisitor,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLOutputType,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './builder';

export interface OperationLimits {
  maxDepth: number;
  maxComplexity: number;
  maxAliases: number;
  /** `_entities` counts as a list of this many (federation) */
  maxRepresentations?: number;
}

/** The standard introspection query nests `ofType` about a dozen levels deep. */
const INTROSPECTION_MAX_DEPTH = 20;

const limitError = (message: string): GraphQLError =>
  new GraphQLError(message, { extensions: { code: 'LIMIT_EXCEEDED' } });

/**
 * How many items a list field may return: its `first`/`last`/`limit` argument when given as a
 * literal, the maximum page size when given as a variable (validation sees no variable values),
 * the default page size otherwise.
 */
function listSize(node: FieldNode): number {
  for (const argument of node.arguments ?? []) {
    if (!['first', 'last', 'limit'].includes(argument.name.value)) continue;
    if (argument.value.kind === Kind.INT) return Math.max(1, Number(argument.value.value));
    if (argument.value.kind === Kind.VARIABLE) return MAX_PAGE_SIZE;
  }
  return DEFAULT_PAGE_SIZE;
}

function isConnection(type: GraphQLOutputType): boolean {
  const named = getNamedType(type);
  return isObjectType(named) && named.name.endsWith('Connection');
}

interface Cost {
  depth: number;
  complexity: number;
  aliases: number;
}

/**
 * One rule computing depth, estimated cost and alias count over the operation with fragments
 * expanded. Cost: each field 1 plus its children, times the list size for lists and connections.
 * Applied by the HTTP server and the WebSocket server alike.
 */
export function createOperationLimitsRule(limits: OperationLimits): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of context.getDocument().definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    }
    const schema = context.getSchema();

    const measure = (
      selectionSet: SelectionSetNode,
      parentType: GraphQLOutputType | undefined,
      depth: number,
      visiting: Set<string>,
      introspection = false,
    ): Cost => {
      let total: Cost = { depth, complexity: 0, aliases: 0 };
      const parent = parentType ? getNamedType(parentType) : undefined;
      for (const selection of selectionSet.selections) {
        let cost: Cost;
        if (selection.kind === Kind.FIELD) {
          const field: GraphQLField<unknown, unknown> | undefined =
            parent && isObjectType(parent) ? parent.getFields()[selection.name.value] : undefined;
          const fieldType = field?.type;
          // IDEs ask for the schema with a deep `ofType` chain: introspection is measured apart
          // (its own depth limit, no list multipliers), so tools work and nesting stays bounded
          const inIntrospection = introspection || selection.name.value === '__schema' || selection.name.value === '__type';
          const child = selection.selectionSet
            ? measure(selection.selectionSet, fieldType, depth + 1, visiting, inIntrospection)
            : { depth, complexity: 0, aliases: 0 };
          if (inIntrospection && !introspection) {
            if (child.depth - depth > INTROSPECTION_MAX_DEPTH) {
              context.reportError(limitError(`introspection depth ${child.depth - depth} exceeds the limit of ${INTROSPECTION_MAX_DEPTH}`));
            }
            total = { depth: total.depth, complexity: total.complexity + 1, aliases: total.aliases + child.aliases + (selection.alias ? 1 : 0) };
            continue;
          }
          // a connection's `edges` are already counted by the connection field's page size
          const insideConnection = parent !== undefined && parent.name.endsWith('Connection');
          const list = fieldType && !insideConnection && (isListType(getNullableType(fieldType)) || isConnection(fieldType));
          const multiplier = introspection ? 1 : selection.name.value === '_entities' ? (limits.maxRepresentations ?? DEFAULT_PAGE_SIZE) : list ? listSize(selection) : 1;
          cost = {
            depth: child.depth,
            complexity: 1 + child.complexity * multiplier,
            aliases: child.aliases + (selection.alias ? 1 : 0),
          };
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          const typeName = selection.typeCondition?.name.value;
          const type = (typeName ? schema.getType(typeName) : parent) as GraphQLOutputType | undefined;
          cost = measure(selection.selectionSet, type, depth, visiting, introspection);
        } else {
          const name = selection.name.value;
          const fragment = fragments.get(name);
          // a fragment cycle is reported by the standard NoFragmentCycles rule
          if (!fragment || visiting.has(name)) continue;
          visiting.add(name);
          cost = measure(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value) as GraphQLOutputType, depth, visiting, introspection);
          visiting.delete(name);
        }
        total = {
          depth: Math.max(total.depth, cost.depth),
          complexity: total.complexity + cost.complexity,
          aliases: total.aliases + cost.aliases,
        };
      }
      return total;
    };

    return {
      OperationDefinition(node) {
        const root =
          node.operation === 'query'
            ? schema.getQueryType()
            : node.operation === 'mutation'
              ? schema.getMutationType()
              : schema.getSubscriptionType();
        if (!root) return;
        const cost = measure(node.selectionSet, root, 1, new Set());
        if (cost.depth > limits.maxDepth) {
          context.reportError(limitError(`operation depth ${cost.depth} exceeds the limit of ${limits.maxDepth}`));
        }
        if (cost.complexity > limits.maxComplexity) {
          context.reportError(limitError(`operation cost ${cost.complexity} exceeds the limit of ${limits.maxComplexity}`));
        }
        if (cost.aliases > limits.maxAliases) {
          context.reportError(limitError(`operation uses ${cost.aliases} aliases; the limit is ${limits.maxAliases}`));
        }
      },
    };
  };
}
