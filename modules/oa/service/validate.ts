import { ValidationError, type FieldProblem } from '../../../src/graphql/errors';
import { SUBJECT } from './engine';

/** Organisation codes: `bureau` or a cell code, letters and digits only. */
export const ORGANISATION = /^[0-9A-Za-z_-]{2,32}$/;
export { SUBJECT };

/** Collects problems for one input; `done()` throws them all at once. */
export class Problems {
  readonly list: FieldProblem[] = [];

  add(path: string, message: string): this {
    this.list.push({ path, message });
    return this;
  }

  /** A text of `min`-`max` characters (trimmed length counts for the minimum); null passes when optional. */
  text(path: string, value: string | null | undefined, min: number, max: number): this {
    if (value === undefined || value === null) {
      if (min > 0) this.add(path, 'required');
      return this;
    }
    if (value.trim().length < min || value.length > max) this.add(path, min > 0 ? `must be ${min}-${max} characters` : `at most ${max} characters`);
    return this;
  }

  done(): void {
    if (this.list.length > 0) throw new ValidationError(this.list);
  }
}

export const optionalText = (value: string | null | undefined): string | null => {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
};

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
