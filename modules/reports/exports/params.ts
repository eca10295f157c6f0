import { ValidationError } from '../../../src/errors';
import { calendarDayStart, DAY_MS } from '../../../src/time';

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
/** Longest value of any parameter: codes, ids and times are all far shorter. */
const MAX_PARAM_LENGTH = 200;

/**
 * An export's query string, read once: unknown parameters are refused (a misspelt filter would
 * otherwise export everything), and every value is bounded and typed before a service sees it.
 */
export class ExportParams {
  readonly #params: URLSearchParams;

  constructor(params: URLSearchParams, allowed: readonly string[]) {
    this.#params = params;
    const known = new Set([...allowed, 'format']);
    for (const name of new Set(params.keys())) {
      if (!known.has(name)) throw new ValidationError([{ path: name, message: `unknown parameter; this export takes ${[...known].join(', ')}` }]);
      if (params.getAll(name).length > 1) throw new ValidationError([{ path: name, message: 'given more than once' }]);
      if ((params.get(name) ?? '').length > MAX_PARAM_LENGTH) throw new ValidationError([{ path: name, message: `at most ${MAX_PARAM_LENGTH} characters` }]);
    }
  }

  string(name: string, options: { required: true; pattern?: RegExp }): string;
  string(name: string, options?: { required?: false; pattern?: RegExp }): string | undefined;
  string(name: string, options: { required?: boolean; pattern?: RegExp } = {}): string | undefined {
    const value = this.#params.get(name)?.trim();
    if (!value) {
      if (options.required) throw new ValidationError([{ path: name, message: 'required' }]);
      return undefined;
    }
    if (options.pattern && !options.pattern.test(value)) throw new ValidationError([{ path: name, message: 'not a valid value' }]);
    return value;
  }

  choice<T extends string>(name: string, values: readonly T[], fallback: T): T;
  choice<T extends string>(name: string, values: readonly T[]): T | undefined;
  choice<T extends string>(name: string, values: readonly T[], fallback?: T): T | undefined {
    const value = this.string(name);
    if (value === undefined) return fallback;
    const found = values.find((v) => v === value.toUpperCase() || v === value);
    if (!found) throw new ValidationError([{ path: name, message: `one of ${values.join(', ')}` }]);
    return found;
  }

  /** A comma-separated list of at most `max` values, each matching `pattern`. */
  list(name: string, max: number, pattern: RegExp): string[] | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    const items = [
      ...new Set(
        value
          .split(',')
          .map((v) => v.trim())
          .filter(Boolean),
      ),
    ];
    if (items.length > max) throw new ValidationError([{ path: name, message: `at most ${max} values` }]);
    for (const item of items) if (!pattern.test(item)) throw new ValidationError([{ path: name, message: `"${item.slice(0, 40)}" is not a valid value` }]);
    return items;
  }

  /** A comma-separated list of values of an enumeration. */
  choices<T extends string>(name: string, values: readonly T[]): T[] | undefined {
    const items = this.list(name, values.length, /^[A-Za-z0-9_]{1,40}$/);
    if (items === undefined) return undefined;
    return items.map((item) => {
      const found = values.find((v) => v === item.toUpperCase());
      if (!found) throw new ValidationError([{ path: name, message: `each one of ${values.join(', ')}` }]);
      return found;
    });
  }

  /** An ISO 8601 time with its offset, or a calendar day meaning its Asia/Shanghai midnight. */
  time(name: string, required: true): Date;
  time(name: string, required?: false): Date | undefined;
  time(name: string, required = false): Date | undefined {
    const value = required ? this.string(name, { required: true }) : this.string(name);
    if (value === undefined) return undefined;
    const day = DAY.exec(value);
    if (!day && !DATE_TIME.test(value)) {
      throw new ValidationError([{ path: name, message: 'a time such as 2025-06-01T08:00:00+08:00, or a day 2025-06-01 (Asia/Shanghai midnight)' }]);
    }
    const time = day ? dayStartOrNull(value) : new Date(value);
    if (time === null || Number.isNaN(time.getTime())) throw new ValidationError([{ path: name, message: 'not a real date' }]);
    return time;
  }

  /** `from` and `to` (exclusive), `to` after `from`, at most `maxDays` apart. */
  range(maxDays: number): { from: Date; to: Date } {
    const from = this.time('from', true);
    const to = this.time('to', true);
    if (to <= from) throw new ValidationError([{ path: 'to', message: 'must be after from' }]);
    if (to.getTime() - from.getTime() > maxDays * DAY_MS) throw new ValidationError([{ path: 'to', message: `at most ${maxDays} days after from` }]);
    return { from, to };
  }
}

function dayStartOrNull(day: string): Date | null {
  try {
    return calendarDayStart(day);
  } catch {
    return null;
  }
}
