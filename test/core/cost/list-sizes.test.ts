import { describe, expect, it } from 'vitest';
import { getNamedType, getNullableType, isListType, isLeafType, isObjectType, type GraphQLField } from 'graphql';
import { planHub } from '../../../src/hub';
import type { FieldCost } from '../../../src/graphql/cost/declare';

const { schema } = planHub({ modules: undefined });

/** Lists a connection sizes itself: its `edges` take the connection's `first`. */
const sizedByConnection = (parent: string, field: string): boolean => parent.endsWith('Connection') && field === 'edges';

describe('list sizes', () => {
  it('every list of objects declares its size: a `limit` argument or a bound from the data model', () => {
    const undeclared: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      for (const field of Object.values(type.getFields()) as GraphQLField<unknown, unknown>[]) {
        if (!isListType(getNullableType(field.type)) || isLeafType(getNamedType(field.type))) continue;
        if (sizedByConnection(type.name, field.name)) continue;
        const declared = (field.extensions as { cost?: FieldCost }).cost?.listSize;
        if (declared?.assumedSize === undefined && !declared?.slicingArguments) undeclared.push(`${type.name}.${field.name}`);
      }
    }
    expect(undeclared).toEqual([]);
  });

  it('every `limit` argument of a list has a default and says its maximum', () => {
    const loose: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      for (const field of Object.values(type.getFields())) {
        const limit = field.args.find((arg) => arg.name === 'limit');
        if (!limit || !isListType(getNullableType(field.type))) continue;
        const declared = (field.extensions as { cost?: FieldCost }).cost?.listSize;
        // a per-item `limit` (series per monitor) multiplies the list argument it goes with
        const counted = declared?.slicingArguments?.includes('limit')
          ? declared.max !== undefined && limit.description?.includes(String(declared.max))
          : declared?.perItem === 'limit';
        if (limit.defaultValue === undefined || !counted) loose.push(`${type.name}.${field.name}`);
      }
    }
    expect(loose).toEqual([]);
  });
});
