import { ValidationError } from '../../errors';

/**
 * What a field costs, declared where the field is defined (Pothos `extensions: { cost }`) and read
 * by the analyser. The names follow the GraphQL cost directive specification (`@cost(weight)`,
 * `@listSize(assumedSize, slicingArguments, sizedFields)`), so the model is the one province
 * routers with demand control already know.
 */
export interface FieldCost {
  /** rows one item of the field touches; default 1 for objects, 0 for scalars and enums */
  weight?: number;
  listSize?: {
    /** the most items the list can hold, by the data model (a monitor's factors, the grid's levels) */
    assumedSize?: number;
    /**
     * arguments that give the list's size: an Int argument by its value (capped at `max`), a
     * list argument by its length times `perItem`; the first one present wins
     */
    slicingArguments?: readonly string[];
    /**
     * a series over [from, to): one item per step, the step in seconds or named by an argument
     * (`granularity: HOUR`) through `steps`; taken before the slicing arguments
     */
    timeRange?: { from: string; to: string; step: number | string; steps?: Readonly<Record<string, number>> };
    /** the most a slicing argument may ask for (the resolver refuses more) */
    max?: number;
    /** for a list argument: items each element brings, or the Int argument that says (a monitor brings its series) */
    perItem?: number | string;
    /**
     * child list fields whose size is this field's slicing argument (`readings(limit).points`); a
     * dotted path reaches through objects in between (`data.nearbySources` of a result type)
     */
    sizedFields?: readonly string[];
  };
}

export interface ListLimit {
  /** items returned when the client does not say */
  default: number;
  /** the most a client may ask for */
  max: number;
}

/**
 * Field extensions of a list bounded by the data model (or by the cap its service applies).
 * `computed`: its items are worked out in memory from rows already counted, so they add no rows.
 */
export function boundedList(assumedSize: number, options: { computed?: boolean } = {}): { cost: FieldCost } {
  return { cost: { ...(options.computed ? { weight: 0 } : {}), listSize: { assumedSize } } };
}

/** Hours and days in seconds: the steps of hourly and daily series. */
export const SERIES_STEPS: Readonly<Record<string, number>> = { HOUR: 3600, DAY: 86_400 };

/** Field extensions of a list whose size is its `limit` argument. */
export function limitedList(limit: ListLimit): { cost: FieldCost } {
  return { cost: { listSize: { slicingArguments: ['limit'], max: limit.max, assumedSize: limit.max } } };
}

/** The `limit` argument's options: its default and, in the schema, its maximum. */
export function limitArgument(limit: ListLimit): { required: false; defaultValue: number; description: string } {
  return { required: false, defaultValue: limit.default, description: `at most ${limit.max}` };
}

/**
 * The first `limit` rows (the last ones with `newest: 'last'`, for lists kept oldest first), after
 * checking the client's `limit` against the list's maximum.
 */
export function takeLimit<T>(rows: readonly T[], limit: number | null | undefined, bounds: ListLimit, options: { newest?: 'first' | 'last' } = {}): T[] {
  const size = limit ?? bounds.default;
  if (!Number.isInteger(size) || size < 1 || size > bounds.max) throw new ValidationError([{ path: 'limit', message: `must be 1-${bounds.max}` }]);
  return options.newest === 'last' ? rows.slice(Math.max(0, rows.length - size)) : rows.slice(0, size);
}
