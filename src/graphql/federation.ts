import { printSubgraphSchema } from '@apollo/subgraph';
import {
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  getNamedType,
  isNonNullType,
  isObjectType,
  isSpecifiedScalarType,
  isIntrospectionType,
  lexicographicSortSchema,
  parse,
  type GraphQLFieldConfig,
  type GraphQLFieldConfigMap,
  type GraphQLNamedType,
} from 'graphql';
import type { HubModule } from '../modules';
import { DEFAULT_DISTRICT_CODE, DEFAULT_MAX_REPRESENTATIONS } from '../config';
import type { HubContext } from './context';
import { registerAll } from './schema';
import { FEDERATION_LINK, addDirectives, directive, entityKeys, reachableTypes, tag, typeDefinition } from './federation-sdl';
import { resolveEntitiesTolerantly } from './federation-entities';

export interface SubgraphOptions {
  /** representations one request may carry (checked before it runs, and again here) */
  maxRepresentations: number;
  /** the district's 6-digit division code: the subgraph's root field is `district_<code>` */
  districtCode: string;
  /** publish the hub's mutations under `Mutation.district_<code>` */
  mutations: boolean;
}

/** What `npm run schema` prints: the settings' defaults. */
export const DEFAULT_SUBGRAPH_OPTIONS: SubgraphOptions = {
  maxRepresentations: DEFAULT_MAX_REPRESENTATIONS,
  districtCode: DEFAULT_DISTRICT_CODE,
  mutations: false,
};

/** The root field a district's queries (and mutations, when published) sit under in a supergraph. */
export const districtField = (code: string): string => `district_${code}`;

type FieldConfig = GraphQLFieldConfig<unknown, HubContext>;
type ScopeMap = Record<string, unknown>;

/**
 * Whether an `upstream` token passes a root field's declared scopes. Fields that decide per row at
 * run time (a scope function) are published: the resolver still applies the viewer's scope.
 */
function upstreamMayAsk(field: FieldConfig): boolean {
  const scopes = (field.extensions as { pothosOptions?: { authScopes?: unknown } } | undefined)?.pothosOptions?.authScopes;
  if (scopes === undefined || typeof scopes === 'function') return true;
  const passes = (map: ScopeMap): boolean =>
    Object.entries(map).some(([scope, value]) => {
      if (scope === '$any') return passes(value as ScopeMap);
      if (scope === '$all') return Object.entries(value as ScopeMap).every(([inner, v]) => passes({ [inner]: v }));
      if (scope === 'public' || scope === 'authenticated') return value === true;
      if (scope === 'roles') return Array.isArray(value) && value.includes('upstream');
      return false;
    });
  return passes(scopes as ScopeMap);
}

/** Public root fields: no token needed, so a `public` contract of the supergraph may carry them. */
function isPublicField(field: FieldConfig): boolean {
  const options = (field.extensions as { pothosOptions?: { authScopes?: unknown; skipTypeScopes?: boolean } } | undefined)?.pothosOptions;
  if (!options?.skipTypeScopes) return false;
  const scopes = options.authScopes;
  return scopes === undefined || (typeof scopes === 'object' && scopes !== null && (scopes as ScopeMap).public === true);
}

function pick(fields: GraphQLFieldConfigMap<unknown, HubContext>, keep: (field: FieldConfig) => boolean): GraphQLFieldConfigMap<unknown, HubContext> {
  return Object.fromEntries(Object.entries(fields).filter(([, field]) => keep(field)));
}

/**
 * The Apollo Federation v2 variant of the hub's schema for province and city platforms.
 *
 * - Root fields sit under one district-qualified field (`district_510112 { enterprise(uscc: …) }`):
 *   a province's own `Query.enterprise` or Relay `node` never collides with the hub's, and several
 *   district hubs compose side by side, each with its own root field.
 * - Every object type is `@shareable`: `PageInfo`, connections, error types and the entities'
 *   fields are the same value wherever they are resolved, so a province that also holds
 *   `Enterprise.name`, or another district hub, composes with this one.
 * - An entity's fields other than its key are nullable: a province list that names a USCC or a
 *   station code this district does not hold keeps its other entries.
 * - Read-only unless `mutations` is set; root queries an `upstream` token cannot run (staff work
 *   queues, duty-room panels, administration) are not published at all.
 * - `@tag(name: "upstream")` on everything published and `@tag(name: "public")` on the public root
 *   fields and the types they reach, for contract variants of a supergraph.
 *
 * Entities are the types modules declared with `builder.asEntity`; their reference resolvers load
 * through the same scoped loaders as every other field, so `_entities` shows a viewer nothing it
 * could not query directly.
 */
export function buildSubgraphSchema(modules: readonly HubModule[], options: SubgraphOptions): { schema: GraphQLSchema; sdl: string } {
  const full = registerAll(modules).toSubGraphSchema({ linkUrl: FEDERATION_LINK });
  const query = full.getQueryType();
  if (!query) throw new Error('the hub schema has no Query type');
  const root = districtField(options.districtCode);
  const { _entities: entities, _service: service, ...queries } = query.toConfig().fields as GraphQLFieldConfigMap<unknown, HubContext>;
  const published = pick(queries, upstreamMayAsk);
  const publicFields = new Set(
    Object.entries(published)
      .filter(([, field]) => isPublicField(field))
      .map(([name]) => name),
  );
  const districtQuery = new GraphQLObjectType<unknown, HubContext>({
    name: `District${options.districtCode}Query`,
    description: `What district ${options.districtCode}'s hub answers a province or city platform.`,
    fields: published,
  });
  // the district field touches no rows: an operation costs what it would cost at the root of /graphql
  const wrapperOf = (type: GraphQLObjectType, description: string): FieldConfig => ({
    type: new GraphQLNonNull(type),
    description,
    resolve: () => ({}),
    extensions: { cost: { weight: 0 } },
  });
  const newQuery = new GraphQLObjectType<unknown, HubContext>({
    name: 'Query',
    fields: {
      ...(entities ? { _entities: entities } : {}),
      ...(service ? { _service: service } : {}),
      [root]: wrapperOf(districtQuery, `District ${options.districtCode}: its sources, stations, grid and disclosure.`),
    },
  });
  // Under one district field a document's mutations run side by side, not one after another as at
  // the root: a router sends one mutation per operation, as the hub's own clients do.
  const fullMutation = full.getMutationType();
  const districtMutation =
    options.mutations && fullMutation
      ? new GraphQLObjectType<unknown, HubContext>({
          name: `District${options.districtCode}Mutation`,
          fields: fullMutation.toConfig().fields as GraphQLFieldConfigMap<unknown, HubContext>,
        })
      : undefined;
  const mutation = districtMutation
    ? new GraphQLObjectType<unknown, HubContext>({
        name: 'Mutation',
        fields: { [root]: wrapperOf(districtMutation, `Changes to district ${options.districtCode}.`) },
      })
    : undefined;
  const roots: GraphQLNamedType[] = mutation ? [newQuery, mutation] : [newQuery];
  const schema = lexicographicSortSchema(
    new GraphQLSchema({
      query: newQuery,
      mutation,
      directives: full.getDirectives(),
      extensions: full.extensions,
      extensionASTNodes: [parse(`extend schema @link(url: "${FEDERATION_LINK}", import: ["@key", "@shareable", "@tag"])`).definitions[0] as never],
      types: reachableTypes(full, roots, true),
    }),
  );

  const publicTypes = new Set(
    reachableTypes(
      schema,
      [...publicFields].flatMap((name) => {
        const district = schema.getType(districtQuery.name) as GraphQLObjectType;
        const def = district.getFields()[name];
        return def ? [def.type, ...def.args.map((arg) => arg.type)].map((type) => getNamedType(type)) : [];
      }),
      false,
    ).map((type) => type.name),
  );
  const wrappers = new Set([districtQuery.name, districtMutation?.name, 'Query', 'Mutation']);
  for (const type of Object.values(schema.getTypeMap())) {
    if (isIntrospectionType(type) || isSpecifiedScalarType(type) || type.name.startsWith('_')) continue;
    const keys = entityKeys(type);
    if (isObjectType(type) && keys.length > 0) relaxEntityFields(type, keys);
    const typeTags = [tag('upstream'), ...(publicTypes.has(type.name) ? [tag('public')] : [])];
    const shareable = isObjectType(type) && !wrappers.has(type.name) ? [directive('shareable')] : [];
    const fieldTags =
      type.name === districtQuery.name
        ? (field: string) => [tag('upstream'), ...(publicFields.has(field) ? [tag('public')] : [])]
        : wrappers.has(type.name)
          ? (field: string) => (field.startsWith('_') ? [] : [tag('upstream'), ...(type.name === 'Query' ? [tag('public')] : [])])
          : () => [];
    const typeDirectives = wrappers.has(type.name) ? [] : [...shareable, ...typeTags];
    (type as { astNode: unknown }).astNode = addDirectives(typeDefinition(type), typeDirectives, fieldTags);
    (type as { extensionASTNodes: unknown }).extensionASTNodes = [];
  }
  const sdl = printSubgraphSchema(schema);
  const fields = schema.getQueryType()?.getFields() ?? {};
  const serviceField = fields._service as unknown as FieldConfig | undefined;
  if (serviceField) serviceField.resolve = () => ({ sdl });
  const entitiesField = fields._entities as unknown as FieldConfig | undefined;
  if (entitiesField?.resolve) entitiesField.resolve = resolveEntitiesTolerantly(entitiesField.resolve, schema, options.maxRepresentations);
  return { schema, sdl };
}

/**
 * A representation naming a USCC or station code this district does not hold resolves to null;
 * with non-null fields the router would then null the province's whole list. Key fields and the
 * fields an interface demands stay as they are.
 */
function relaxEntityFields(type: GraphQLObjectType, keys: readonly string[]): void {
  const pinned = new Set(keys);
  for (const iface of type.getInterfaces()) for (const name of Object.keys(iface.getFields())) pinned.add(name);
  for (const field of Object.values(type.getFields())) {
    if (!pinned.has(field.name) && isNonNullType(field.type)) (field as { type: unknown }).type = field.type.ofType;
  }
}
