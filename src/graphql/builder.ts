import SchemaBuilder from '@pothos/core';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import DirectivePlugin from '@pothos/plugin-directives';
import FederationPlugin from '@pothos/plugin-federation';
import type { HubContext } from './context';
import { NUL_BYTES_PLUGIN } from './nul-bytes';
import { ForbiddenError, UnauthenticatedError } from '../errors';
import { actorAllows, hasRole, isAdmin, isAuthenticated, isStaff, seesAllRows, type Role } from '../auth/viewer';

export interface HubSchemaTypes {
  Context: HubContext;
  DefaultFieldNullability: false;
  DefaultEdgesNullability: false;
  DefaultNodeNullability: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date | string };
    JSON: { Input: unknown; Output: unknown };
    ID: { Input: string; Output: string | number | bigint };
  };
  AuthScopes: {
    /** anyone, including the anonymous public */
    public: boolean;
    authenticated: boolean;
    admin: boolean;
    /** bureau and town staff and grid assistants */
    staff: boolean;
    /** administrators and district officers: every row */
    district: boolean;
    /** any of the listed roles */
    roles: readonly Role[];
  };
}

export type HubBuilder = PothosSchemaTypes.SchemaBuilder<PothosSchemaTypes.ExtendDefaultTypes<HubSchemaTypes>>;

export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './pagination';

/**
 * A fresh builder per hub: which modules are on decides which types exist, so no builder is
 * shared between hubs (tests build several in one process).
 */
export function createBuilder(): HubBuilder {
  return new SchemaBuilder<HubSchemaTypes>({
    // Federation after the plugins that wrap resolvers, as its documentation asks. The NUL check
    // runs inside the errors plugin, so its ValidationError becomes a typed result where a field
    // lists one, and after authorisation, so an anonymous caller learns nothing from it.
    plugins: [ScopeAuthPlugin, ErrorsPlugin, NUL_BYTES_PLUGIN, RelayPlugin, DirectivePlugin, FederationPlugin],
    defaultFieldNullability: false,
    scopeAuth: {
      authorizeOnSubscribe: true,
      unauthorizedError: (_parent, context) =>
        isAuthenticated(context.viewer) ? new ForbiddenError('not allowed for this account') : new UnauthenticatedError(),
      authScopes: (context) => ({
        public: true,
        authenticated: isAuthenticated(context.viewer),
        admin: isAdmin(context.viewer),
        staff: isStaff(context.viewer),
        district: seesAllRows(context.viewer),
        // an end user behind a platform gets a field only when the platform itself would
        roles: (roles: readonly Role[]) => hasRole(context.viewer, ...roles) && actorAllows(context.viewer, roles),
      }),
    },
    errors: {
      defaultTypes: [],
    },
    relay: {
      clientMutationId: 'omit',
      cursorType: 'String',
      nodesQueryOptions: false,
    },
  });
}

/** The builder's resolved type parameters, for refs created outside a builder. */
export type HubTypes = PothosSchemaTypes.ExtendDefaultTypes<HubSchemaTypes>;
