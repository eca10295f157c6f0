import { ValidationError } from '../errors';

/** A Relay global id of the expected type, as its numeric key; anything else is a ValidationError at `path`. */
export function idOf(globalId: { typename: string; id: string }, typename: string, path: string): number {
  const id = Number(globalId.id);
  if (globalId.typename !== typename || !Number.isSafeInteger(id)) throw new ValidationError([{ path, message: `not a ${typename} id` }]);
  return id;
}

/** GraphQL's null for "not given" as undefined, which the services take. */
export const orUndefined = <T>(value: T | null | undefined): T | undefined => value ?? undefined;
