import { GraphQLError, Kind, type ValueNode } from 'graphql';
import type { HubBuilder } from './builder';

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function parseDateTime(value: unknown): Date {
  if (typeof value !== 'string' || !ISO_WITH_OFFSET.test(value)) {
    throw new GraphQLError('DateTime must be an ISO 8601 string with a time zone offset, e.g. 2026-03-01T08:00:00+08:00');
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new GraphQLError(`DateTime "${value}" is not a real instant`);
  return date;
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
    serialize: (value) => {
      const date = value instanceof Date ? value : new Date(value as string);
      if (Number.isNaN(date.getTime())) throw new GraphQLError('invalid DateTime value');
      return date.toISOString();
    },
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
