import SchemaBuilder, { BasePlugin, type PothosOutputFieldConfig, type SchemaTypes } from '@pothos/core';
import type { GraphQLFieldResolver } from 'graphql';
import { ValidationError, type FieldProblem } from '../errors';

/**
 * PostgreSQL text and jsonb cannot hold a NUL character: a string argument carrying one would
 * reach the database and fail there, as a masked internal error. This plugin refuses such an
 * argument before the resolver runs, as a ValidationError naming the argument (a typed result
 * where the field lists ValidationError). A field whose resolver judges list items one by one
 * (`ingestReadings`: only the item fails) names those arguments in `nulBytesCheckedPerItem`.
 */
export class NulBytesPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override wrapResolve(
    resolver: GraphQLFieldResolver<unknown, Types['Context'], object>,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ): GraphQLFieldResolver<unknown, Types['Context'], object> {
    if (Object.keys(fieldConfig.args).length === 0) return resolver;
    const skip = new Set(fieldConfig.pothosOptions.nulBytesCheckedPerItem ?? []);
    return (parent, args, context, info) => {
      refuseNulBytes(args as Record<string, unknown>, skip);
      return resolver(parent, args, context, info);
    };
  }

  override wrapSubscribe(
    subscribe: GraphQLFieldResolver<unknown, Types['Context'], object> | undefined,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ): GraphQLFieldResolver<unknown, Types['Context'], object> | undefined {
    if (!subscribe || Object.keys(fieldConfig.args).length === 0) return subscribe;
    return (parent, args, context, info) => {
      refuseNulBytes(args as Record<string, unknown>, new Set());
      return subscribe(parent, args, context, info);
    };
  }
}

/** Input values are trees of bounded size (the document and body limits); this bounds the walk anyway. */
const MAX_DEPTH = 32;

function findNul(value: unknown, path: string, depth: number, found: FieldProblem[]): void {
  if (found.length >= 10 || depth > MAX_DEPTH) return;
  if (typeof value === 'string') {
    if (value.includes('\u0000')) found.push({ path, message: 'must not contain NUL (\\u0000) characters' });
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => findNul(item, `${path}.${index}`, depth + 1, found));
    return;
  }
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes('\u0000')) found.push({ path, message: 'keys must not contain NUL (\\u0000) characters' });
      findNul(item, `${path}.${key}`, depth + 1, found);
    }
  }
}

/** Throws a ValidationError naming every argument (up to ten) that carries a NUL character. */
export function refuseNulBytes(args: Record<string, unknown>, skip: ReadonlySet<string>): void {
  // most arguments are numbers, enums' values or absent: nothing to walk, nothing to allocate
  let found: FieldProblem[] | undefined;
  for (const name of Object.keys(args)) {
    const value = args[name];
    if (value === undefined || value === null || typeof value === 'number' || typeof value === 'boolean' || skip.has(name)) continue;
    found ??= [];
    findNul(value, name, 0, found);
  }
  if (found !== undefined && found.length > 0) throw new ValidationError(found);
}

declare global {
  export namespace PothosSchemaTypes {
    interface Plugins<Types extends SchemaTypes> {
      nulBytes: NulBytesPlugin<Types>;
    }
    interface FieldOptions<Types extends SchemaTypes, ParentShape, Type, Nullable, Args, ResolveShape, ResolveReturnShape> {
      /** arguments whose list items the resolver checks for NUL characters itself, refusing only the item */
      nulBytesCheckedPerItem?: readonly (keyof Args & string)[];
    }
  }
}

// Plugins register by name on the one SchemaBuilder class, which outlives a re-evaluation of this
// file (tests load the project's files afresh per test file, the package once): register once.
const registered = (SchemaBuilder as unknown as { plugins: Record<string, unknown> }).plugins;
if (!registered.nulBytes) SchemaBuilder.registerPlugin('nulBytes', NulBytesPlugin);

export const NUL_BYTES_PLUGIN = 'nulBytes' as const;
