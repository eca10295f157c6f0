import { ValidationError, type FieldProblem } from './errors';

/** Cell codes are letters and digits only, so a code is safe inside a LIKE prefix pattern. */
export const CELL_CODE = /^[0-9A-Za-z]{2,32}$/;
/** Unified social credit code (GB 32100-2015): 18 characters without I, O, S, V, Z. */
export const USCC = /^[0-9A-HJ-NPQRTUWXY]{18}$/;
export const PHONE = /^\+?[0-9][0-9 -]{4,19}$/;
/** An HJ 212 device's MN as the hub accepts it: 1-32 letters, digits, _ or -. */
export const MONITOR_MN = /^[A-Za-z0-9_-]{1,32}$/;
/** An HJ 212 factor code (w01018, a21026, ...) or a device's own: 1-32 letters, digits, _ or -. */
export const FACTOR_CODE = /^[A-Za-z0-9_-]{1,32}$/;

/** Collects the problems of one input; `done()` throws them all at once as a ValidationError. */
export class Problems {
  readonly list: FieldProblem[] = [];

  add(path: string, message: string): this {
    this.list.push({ path, message });
    return this;
  }

  /** A text of `min`-`max` characters (the trimmed length counts for the minimum); null passes when optional. */
  text(path: string, value: string | null | undefined, min: number, max: number): this {
    if (value === undefined || value === null) {
      if (min > 0) this.add(path, 'required');
      return this;
    }
    if (value.trim().length < min || value.length > max) this.add(path, min > 0 ? `must be ${min}-${max} characters` : `at most ${max} characters`);
    return this;
  }

  /** Both coordinates or neither, each in range. */
  point(path: string, longitude: number | null | undefined, latitude: number | null | undefined): this {
    if (longitude == null && latitude == null) return this;
    const valid = longitude != null && latitude != null && Math.abs(longitude) <= 180 && Math.abs(latitude) <= 90;
    if (!valid) this.add(path, 'give both longitude and latitude, in range');
    return this;
  }

  done(): void {
    if (this.list.length > 0) throw new ValidationError(this.list);
  }
}

/** A text input trimmed, with empty meaning none. */
export function optionalText(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

/** A camera's code on the video platform: 1-40 letters, digits, _ or -. */
export const CAMERA_CODE = /^[A-Za-z0-9_-]{1,40}$/;

/**
 * The instants the hub stores: years 1000 to 9999 (UTC). Earlier years do not survive the trip
 * through the database drivers (they read `0099-06-01` back as 1999), later ones have no
 * four-digit ISO form; neither is a measurement or a deadline.
 */
export const EARLIEST_INSTANT = Date.UTC(1000, 0, 1);
export const LATEST_INSTANT = Date.UTC(10000, 0, 1) - 1;

export function instantInRange(time: Date): boolean {
  const ms = time.getTime();
  return ms >= EARLIEST_INSTANT && ms <= LATEST_INSTANT;
}
