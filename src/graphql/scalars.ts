import { GraphQLError, Kind, type ValueNode } from 'graphql';
import type { HubBuilder } from './builder';
import { instantInRange } from '../validation';

const ISO_WITH_OFFSET = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-](\d{2}):(\d{2}))$/;

const daysIn = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/**
 * An ISO 8601 instant with an offset, every part of it real: no February 30th, no hour 24, no
 * minute 60 (JavaScript would roll each of them into the next day, hour or minute), an offset
 * within ±14:00, and a year the hub can store and read back unchanged (1000-9999, UTC).
 */
export function parseDateTime(value: unknown): Date {
  const match = typeof value === 'string' ? ISO_WITH_OFFSET.exec(value) : null;
  if (!match) throw new GraphQLError('DateTime must be an ISO 8601 string with a time zone offset, e.g. 2026-03-01T08:00:00+08:00');
  const part = (group: number): number => Number(match[group] ?? 0);
  const [month, day] = [part(2), part(3)];
  const dateReal = month >= 1 && month <= 12 && day >= 1 && day <= daysIn(part(1), month);
  const timeReal = part(4) <= 23 && part(5) <= 59 && part(6) <= 59;
  const offsetReal = part(10) <= 59 && part(9) * 60 + part(10) <= 14 * 60;
  const real = dateReal && timeReal && offsetReal;
  if (!real) throw new GraphQLError(`DateTime "${value as string}" is not a real instant`);
  const date = new Date(value as string);
  if (Number.isNaN(date.getTime())) throw new GraphQLError(`DateTime "${value as string}" is not a real instant`);
  if (!instantInRange(date)) throw new GraphQLError(`DateTime "${value as string}" is outside the years 1000-9999 (UTC)`);
  return date;
}

/**
 * The ISO text of recently written instants. Responses repeat instants (a series' hours, the
 * same period across stations, a dashboard polling the same rows), and formatting one takes V8
 * several hundred nanoseconds against tens for a lookup. Bounded: emptied when full.
 */
const ISO_TEXTS = new Map<number, string>();
const ISO_TEXTS_MAX = 4096;

function isoText(time: number): string {
  if (Number.isNaN(time)) throw new GraphQLError('invalid DateTime value');
  let text = ISO_TEXTS.get(time);
  if (text === undefined) {
    text = new Date(time).toISOString();
    if (ISO_TEXTS.size >= ISO_TEXTS_MAX) ISO_TEXTS.clear();
    ISO_TEXTS.set(time, text);
  }
  return text;
}

function literalToJson(node: ValueNode): unknown {
  switch (node.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return node.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(node.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return node.values.map(literalToJson);
    case Kind.OBJECT:
      return Object.fromEntries(node.fields.map((field) => [field.name.value, literalToJson(field.value)]));
    default:
      throw new GraphQLError('JSON literals cannot contain variables');
  }
}

export function registerScalars(builder: HubBuilder): void {
  builder.scalarType('DateTime', {
    description: 'An instant as ISO 8601 with offset; output in UTC (`Z`).',
    serialize: (value) => isoText(value instanceof Date ? value.getTime() : new Date(value as string).getTime()),
    parseValue: parseDateTime,
    parseLiteral: (node) => {
      if (node.kind !== Kind.STRING) throw new GraphQLError('DateTime must be a string');
      return parseDateTime(node.value);
    },
  });
  builder.scalarType('JSON', {
    description: 'Arbitrary JSON value.',
    serialize: (value) => value,
    parseValue: (value) => value,
    parseLiteral: literalToJson,
  });
}
