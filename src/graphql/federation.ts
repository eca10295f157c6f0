import { printSubgraphSchema } from '@apollo/subgraph';
import {
  GraphQLSchema,
  getNamedType,
  isInterfaceType,
  isObjectType,
  isUnionType,
  isInputObjectType,
  lexicographicSortSchema,
  type GraphQLFieldConfig,
  type GraphQLNamedType,
} from 'graphql';
import type { HubModule } from '../modules';
import { LimitError } from './errors';
import { registerAll } from './schema';

/**
 * Types reachable from Query and Mutation (with every implementation of a reachable interface
 * and every entity): the subgraph leaves out Subscription and whatever only it used, so routers
 * compose it cleanly while subscriptions stay on the hub's own endpoint.
 */
function reachableTypes(schema: GraphQLSchema, roots: readonly GraphQLNamedType[]): GraphQLNamedType[] {
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
      if (isInterfaceType(type)) for (const impl of schema.getPossibleTypes(type)) visit(impl);
    } else if (isUnionType(type)) {
      for (const member of type.getTypes()) visit(member);
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) visit(getNamedType(field.type));
    }
  };
  for (const root of roots) visit(root);
  return [...seen.values()];
}

export interface SubgraphOptions {
  /** representations one `_entities` call may carry */
  maxRepresentations: number;
}

/**
 * The Apollo Federation v2 variant of the hub's schema for province and city platforms. Entities
 * are the types modules declared with `builder.asEntity` (keys: enterprise `uscc`, monitor `mn`,
 * station and cell `code`); their reference resolvers load through the same scoped loaders as
 * every other field, so `_entities` shows a viewer nothing it could not query directly.
 */
export function buildSubgraphSchema(modules: readonly HubModule[], options: SubgraphOptions): { schema: GraphQLSchema; sdl: string } {
  const full = registerAll(modules).toSubGraphSchema({ linkUrl: 'https://specs.apollo.dev/federation/v2.6', sortSchema: true });
  const query = full.getQueryType();
  if (!query) throw new Error('the hub schema has no Query type');
  const mutation = full.getMutationType() ?? undefined;
  const roots = mutation ? [query, mutation] : [query];
  const schema = lexicographicSortSchema(
    new GraphQLSchema({
      query,
      mutation,
      directives: full.getDirectives(),
      extensions: full.extensions,
      extensionASTNodes: full.extensionASTNodes,
      types: reachableTypes(full, roots),
    }),
  );
  const sdl = printSubgraphSchema(schema);
  const fields = schema.getQueryType()?.getFields() ?? {};
  const service = fields._service as unknown as GraphQLFieldConfig<unknown, unknown> | undefined;
  if (service) service.resolve = () => ({ sdl });
  const entities = fields._entities as unknown as GraphQLFieldConfig<unknown, unknown, { representations: unknown[] }> | undefined;
  const resolveEntities = entities?.resolve;
  if (entities && resolveEntities) {
    entities.resolve = (source, args, context, info) => {
      if (args.representations.length > options.maxRepresentations) {
        throw new LimitError(`at most ${options.maxRepresentations} representations per request`);
      }
      return resolveEntities(source, args, context, info);
    };
  }
  return { schema, sdl };
}
