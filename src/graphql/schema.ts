import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import type { HubModule } from '../modules';
import { createBuilder, type HubBuilder } from './builder';
import { registerScalars } from './scalars';
import { registerErrorTypes } from './error-types';
import { HUB_VERSION } from '../version';

/**
 * The one schema: root types and shared pieces here, everything else from the enabled modules.
 * Every root field needs an authenticated viewer unless it opts out with `skipTypeScopes` (the
 * public disclosure and calculator fields): authentication is the default, not a decoration.
 */
export function buildSchema(modules: readonly HubModule[]): GraphQLSchema {
  return registerAll(modules).toSchema({ sortSchema: true });
}

/** A builder with the core types and every enabled module registered on it. */
export function registerAll(modules: readonly HubModule[]): HubBuilder {
  const builder = createBuilder();
  registerScalars(builder);
  registerErrorTypes(builder);
  const rootScopes = { authenticated: true } as const;
  builder.queryType({
    authScopes: rootScopes,
    fields: (t) => ({
      hub: t.field({
        description: 'What this hub runs: its version and enabled modules. Public.',
        skipTypeScopes: true,
        type: builder.objectRef<{ version: string; modules: string[] }>('HubInfo').implement({
          fields: (f) => ({
            version: f.exposeString('version'),
            modules: f.exposeStringList('modules', { description: 'enabled modules, in load order' }),
          }),
        }),
        resolve: () => ({ version: HUB_VERSION, modules: modules.map((module) => module.name) }),
      }),
    }),
  });
  builder.globalConnectionField('totalCount', (t) =>
    t.int({
      description: 'rows the list’s filter matches in the viewer’s scope, all pages together (one more statement, only when asked for)',
      resolve: (connection) => (connection as unknown as { totalCount: () => Promise<number> | number }).totalCount(),
    }),
  );
  builder.mutationType({ authScopes: rootScopes, fields: () => ({}) });
  builder.subscriptionType({ authScopes: rootScopes, fields: () => ({}) });
  for (const module of modules) module.register?.(builder);
  return builder;
}

export function printHubSchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
