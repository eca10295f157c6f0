import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isEnumType, isInterfaceType, isObjectType } from 'graphql';
import { planHub } from '../../src/hub';
import { startTestHub, type TestHub } from '../support/hub';

const HAN = /\p{Script=Han}/u;
const { schema } = planHub({ modules: undefined });

describe('Chinese where people read the schema', () => {
  it('describes every enum value with its Chinese term', () => {
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isEnumType(type) || type.name.startsWith('__')) continue;
      for (const value of type.getValues()) if (!HAN.test(value.description ?? '')) missing.push(`${type.name}.${value.name}`);
    }
    expect(missing).toEqual([]);
  });

  it('names Chinese text <what>Zh (its English <what>En), with the bare zh and en kept only as deprecated aliases', () => {
    const offending: string[] = [];
    let zhFields = 0;
    for (const type of Object.values(schema.getTypeMap())) {
      if (!(isObjectType(type) || isInterfaceType(type)) || type.name.startsWith('__')) continue;
      for (const field of Object.values(type.getFields())) {
        if (/Zh$/.test(field.name)) zhFields += 1;
        const chineseOnly = /(^|[a-z])(zh|chinese|Chinese)$/.test(field.name) && !/[a-z]Zh$/.test(field.name);
        if ((chineseOnly || field.name === 'en') && !field.deprecationReason) offending.push(`${type.name}.${field.name}`);
        if (/Zh$/.test(field.name)) {
          const english = field.name.replace(/Zh$/, 'En');
          if (!type.getFields()[english]) offending.push(`${type.name}.${field.name} has no ${english}`);
        }
      }
    }
    expect(offending).toEqual([]);
    expect(zhFields).toBeGreaterThanOrEqual(5);
  });
});

describe('the deprecated aliases', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub({ env: { HUB_MODULES: 'air,water' } });
  });
  afterAll(async () => hub?.stop());

  it('answer as before, the same words as the new names', async () => {
    const response = await hub.graphql<{
      computeAqi: { data: { category: { zh: string; en: string; nameZh: string; nameEn: string } } };
      classifyWater: { quality: { zh: string; nameZh: string } | null };
    }>(
      `{
        computeAqi(input: { granularity: DAY, edition: HJ633_2026, concentrations: [{ pollutant: PM2_5, averaging: TWENTY_FOUR_HOURS, value: 80 }, { pollutant: PM10, averaging: TWENTY_FOUR_HOURS, value: 120 }, { pollutant: SO2, averaging: TWENTY_FOUR_HOURS, value: 20 }, { pollutant: NO2, averaging: TWENTY_FOUR_HOURS, value: 45 }, { pollutant: CO, averaging: TWENTY_FOUR_HOURS, value: 1.0 }, { pollutant: O3, averaging: EIGHT_HOURS, value: 150 }] }) {
          ... on QueryComputeAqiSuccess { data { category { zh en nameZh nameEn } } }
        }
        classifyWater(input: { waterbody: RIVER, values: [{ factor: "w21003", value: 0.4 }] }) { quality { zh nameZh } }
      }`,
    );
    expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
    const category = response.body.data?.computeAqi.data.category;
    expect(category?.nameZh).toMatch(HAN);
    expect(category?.zh).toBe(category?.nameZh);
    expect(category?.en).toBe(category?.nameEn);
    const quality = response.body.data?.classifyWater.quality;
    expect(quality?.zh).toBe(quality?.nameZh);
    expect(quality?.nameZh).toMatch(HAN);
  });
});
