import { ValidationError } from '../../../src/graphql/errors';

/** A Relay global id of the expected type, as its numeric key. */
export function idOf(globalId: { typename: string; id: string }, typename: string, path: string): number {
  const id = Number(globalId.id);
  if (globalId.typename !== typename || !Number.isSafeInteger(id)) throw new ValidationError([{ path, message: `not a ${typename} id` }]);
  return id;
}

export const orUndefined = <T>(value: T | null | undefined): T | undefined => value ?? undefined;

/** Staff only: enterprises, devices, upstream platforms and the public never see OA. */
export const STAFF_ONLY = { staff: true } as const;
