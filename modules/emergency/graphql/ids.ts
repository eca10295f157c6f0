import { ValidationError } from '../../../src/errors';
import { idOf } from '../../../src/graphql/ids';

export { idOf, orUndefined } from '../../../src/graphql/ids';

/** Several global ids of one type; at most `max`. */
export function idsOf(
  globalIds: readonly { typename: string; id: string }[] | null | undefined,
  typename: string,
  path: string,
  max: number,
): number[] | undefined {
  if (!globalIds) return undefined;
  if (globalIds.length > max) throw new ValidationError([{ path, message: `at most ${max}` }]);
  return globalIds.map((g, i) => idOf(g, typename, `${path}.${i}`));
}

/** Who may read anything of the emergency module. */
export const STAFF = ['admin', 'district', 'town', 'assistant'] as const;
/** Who may command (the service narrows towns to their own cells). */
export const OFFICERS = ['admin', 'district', 'town'] as const;
