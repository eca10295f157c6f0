export { Problems, optionalText } from '../../../src/validation';
import { SUBJECT } from './engine';

/** Organisation codes: `bureau` or a cell code, letters and digits only. */
export const ORGANISATION = /^[0-9A-Za-z_-]{2,32}$/;
export { SUBJECT };

/**
 * A Relay global id: base64 of `Typename:id`. OA stores links to other modules' entities as these
 * opaque strings, so only the shape is checked, never that the entity exists.
 */
export function decodeGlobalId(value: string): { typename: string; id: string } | undefined {
  if (value.length > 200 || !/^[A-Za-z0-9+/=_-]+$/.test(value)) return undefined;
  const text = Buffer.from(value, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 1) return undefined;
  const typename = text.slice(0, colon);
  const id = text.slice(colon + 1);
  if (!/^[A-Z][A-Za-z0-9_]{0,63}$/.test(typename) || id.length === 0 || id.length > 100) return undefined;
  return { typename, id };
}

export const encodeGlobalId = (typename: string, id: string | number): string => Buffer.from(`${typename}:${id}`).toString('base64');
