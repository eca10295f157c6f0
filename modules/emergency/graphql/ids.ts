import { ValidationError } from '../../../src/graphql/errors';

/** A Relay global id of the expected type, as its numeric key. */
export function idOf(globalId: { typename: string; id: string }, typename: string, path: string): number {
  const id = Number(globalId.id);
  if (globalId.typename !== typename || !Number.isSafeInteger(id)) throw new ValidationError([{ path, message: `not a ${typename} id` }]);
  return id;
}

/** Several global ids of one type; at most `max`. */
export function idsOf(globalIds: readonly { typename: string; id: string }[] | null | undefined, typename: string, path: string, max: number): number[] | undefined {
  if (!globalIds) return undefined;
  if (globalIds.length > max) throw new ValidationError([{ path, message: `at most ${max}` }]);
  return globalIds.map((g, i) => idOf(g, typename, `${path}.${i}`));
}

export const orUndefined = <T>(value: T | null | undefined): T | undefined => value ?? undefined;

/** Who may read anything of the emergency module. */
export const STAFF = ['admin', 'district', 'town', 'assistant'] as const;
/** Who may command (the service narrows towns to their own cells). */
export const OFFICERS = ['admin', 'district', 'town'] as const;
