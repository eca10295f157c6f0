import { GraphQLError, isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { ENTITY_CHUNK } from '../config';
import type { HubContext } from './context';
import { LimitError } from '../errors';
import { entityKeys } from './federation-sdl';

/** Longest key value any national identifier has (USCC 18, MN 24, codes 12–14); more is not a key. */
const KEY_MAX = 64;
const CONTROL = /[\u0000-\u001f\u007f]/;
/** Problems named in the one warning a malformed batch logs. */
const PROBLEMS_LOGGED = 5;

type Resolver = GraphQLFieldResolver<unknown, HubContext, { representations: unknown[] }>;

/** Why a representation cannot name an entity here, or undefined when it can. */
function problemOf(representation: unknown, keysByType: ReadonlyMap<string, readonly string[]>): string | undefined {
  if (typeof representation !== 'object' || representation === null || Array.isArray(representation)) return 'is not an object';
  const record = representation as Record<string, unknown>;
  const typename = record.__typename;
  if (typeof typename !== 'string') return 'has no __typename';
  const keys = keysByType.get(typename);
  if (!keys) return `names ${JSON.stringify(typename.slice(0, 40))}, which is not an entity of this subgraph`;
  for (const key of keys) {
    const value = record[key];
    if (typeof value !== 'string' || value.length === 0 || value.length > KEY_MAX || CONTROL.test(value)) {
      return `needs its key "${key}" as a string of 1 to ${KEY_MAX} characters`;
    }
  }
  return undefined;
}

/**
 * Wraps the subgraph's `_entities` resolver so one province list cannot fail as a whole: a
 * malformed representation becomes a BAD_USER_INPUT error at its own index (logged once per call,
 * at warn: the caller's mistake, not the hub's), an unknown key a null entity. The rest load in
 * chunks of ENTITY_CHUNK, one after another, through the same scoped loaders as every other path,
 * so a list of several hundred never becomes one statement of several hundred keys.
 */
export function resolveEntitiesTolerantly(resolve: Resolver, schema: GraphQLSchema, maxRepresentations: number): Resolver {
  const keysByType = new Map<string, string[]>();
  for (const type of Object.values(schema.getTypeMap())) {
    const keys = isObjectType(type) ? entityKeys(type) : [];
    if (keys.length > 0) keysByType.set(type.name, keys);
  }
  return async (source, args, context, info) => {
    const representations = args.representations;
    if (representations.length > maxRepresentations) throw new LimitError(`at most ${maxRepresentations} representations per request`);
    const results: unknown[] = new Array(representations.length).fill(null);
    const valid: number[] = [];
    const problems: string[] = [];
    representations.forEach((representation, index) => {
      const problem = problemOf(representation, keysByType);
      if (problem === undefined) {
        valid.push(index);
        return;
      }
      problems.push(`representation ${index} ${problem}`);
      results[index] = new GraphQLError(`representation ${index} ${problem}`, { extensions: { code: 'BAD_USER_INPUT' } });
    });
    if (problems.length > 0)
      context.logger.warn(
        { malformed: problems.length, of: representations.length, problems: problems.slice(0, PROBLEMS_LOGGED) },
        'malformed entity representations',
      );
    for (let start = 0; start < valid.length; start += ENTITY_CHUNK) {
      const chunk = valid.slice(start, start + ENTITY_CHUNK);
      const resolved = (await resolve(source, { representations: chunk.map((index) => representations[index]) }, context, info)) as unknown[];
      const settled = await Promise.allSettled(resolved);
      settled.forEach((outcome, i) => {
        results[chunk[i] as number] = outcome.status === 'fulfilled' ? (outcome.value ?? null) : outcome.reason;
      });
    }
    return results;
  };
}
