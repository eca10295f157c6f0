import {
  defaultFieldResolver,
  getNamedType,
  getNullableType,
  isListType,
  isEnumType,
  isLeafType,
  isObjectType,
  type GraphQLFieldResolver,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import { LimitError } from '../../errors';

/**
 * Bytes of response data a request may produce, counted while it is being produced: every field
 * adds its key, every scalar its value. Once past the bound, each field still to resolve fails at
 * once with the same error, so the rest of the response is never built; the transport then sends
 * that one error instead of the partial data.
 */
export class ResponseMeter {
  private used = 0;
  private refusal: LimitError | undefined;
  constructor(readonly maxBytes: number) {}

  get exceeded(): LimitError | undefined {
    return this.refusal;
  }

  charge(bytes: number): void {
    if (this.refusal) throw this.refusal;
    this.used += bytes;
    if (this.used > this.maxBytes) {
      this.refusal = new LimitError(`the response would exceed ${this.maxBytes} bytes; ask for fewer rows (first, limit) or fewer fields`);
      throw this.refusal;
    }
  }
}

/** Roughly the JSON size of a scalar value: close enough to bound a response, cheap enough for every field. */
export function valueBytes(value: unknown): number {
  if (value === null || value === undefined) return 4;
  switch (typeof value) {
    case 'string':
      return Buffer.byteLength(value) + 2;
    case 'number':
    case 'bigint':
      return 12;
    case 'boolean':
      return 5;
    default:
      break;
  }
  if (value instanceof Date) return 26;
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + valueBytes(item) + 1, 2);
  return JSON.stringify(value)?.length ?? 4;
}

/** A context that carries a meter: HTTP requests and WebSocket queries do; subscription events do not. */
interface Metered {
  readonly allowance?: { readonly response: ResponseMeter } | undefined;
}

const isPromise = (value: unknown): value is Promise<unknown> => typeof (value as { then?: unknown } | null)?.then === 'function';

/**
 * Bytes a leaf of this type takes at most whatever its value, or undefined where the value decides
 * (strings, ids, JSON). A fixed-size leaf is charged before it resolves, without looking at its value.
 */
function fixedBytes(type: GraphQLNamedType): number | undefined {
  if (isEnumType(type)) return Math.max(4, ...type.getValues().map((value) => Buffer.byteLength(value.name) + 2));
  switch (type.name) {
    case 'Int':
    case 'Float':
      return 12;
    case 'Boolean':
      return 5;
    case 'DateTime':
      return 26;
    default:
      return undefined;
  }
}

/**
 * Puts the meter in front of every field resolver of the schema (in place). A field charges its
 * key before it resolves; a leaf of a fixed-size type its largest value then too, any other leaf
 * its value after.
 */
export function meterResponses(schema: GraphQLSchema): void {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const resolve: GraphQLFieldResolver<unknown, unknown> = field.resolve ?? defaultFieldResolver;
      const named = getNamedType(field.type);
      const keyBytes = field.name.length + 4;
      // a list of leaves is as long as its value: charged by its value
      const fixed = isLeafType(named) && !isListType(getNullableType(field.type)) ? fixedBytes(named) : undefined;
      if (!isLeafType(named) || fixed !== undefined) {
        // an object or list of objects: its fields charge for themselves; a fixed-size leaf: now
        const bytes = keyBytes + (fixed ?? 0);
        field.resolve = (source, args, context: Metered | undefined, info) => {
          context?.allowance?.response.charge(bytes);
          return resolve(source, args, context, info);
        };
        continue;
      }
      field.resolve = (source, args, context: Metered | undefined, info) => {
        const meter = context?.allowance?.response;
        if (!meter) return resolve(source, args, context, info);
        meter.charge(keyBytes);
        const value = resolve(source, args, context, info);
        if (isPromise(value)) {
          return value.then((resolved) => {
            meter.charge(valueBytes(resolved));
            return resolved;
          });
        }
        meter.charge(valueBytes(value));
        return value;
      };
    }
  }
}
