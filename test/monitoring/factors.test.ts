import { describe, expect, it } from 'vitest';
import { canonicalFactorCode, FACTORS, lookupFactor } from '../../src/monitoring/factors';

// The factor table of hj212.md, transcribed independently of the catalog.
const WATER = [
  'w00000',
  'w01001',
  'w01009',
  'w01010',
  'w01012',
  'w01014',
  'w01017',
  'w01018',
  'w01019',
  'w01020',
  'w02003',
  'w20111',
  'w20115',
  'w20116',
  'w20117',
  'w20119',
  'w20120',
  'w20122',
  'w20123',
  'w21001',
  'w21003',
  'w21011',
  'w21016',
  'w21017',
  'w21019',
  'w22001',
  'w23002',
  'w19002',
];
const AIR = [
  'a00000',
  'a01001',
  'a01002',
  'a01006',
  'a01007',
  'a01008',
  'a01011',
  'a01012',
  'a01013',
  'a01014',
  'a19001',
  'a21002',
  'a21003',
  'a21004',
  'a21005',
  'a21026',
  'a24088',
  'a34001',
  'a34002',
  'a34004',
  'a34013',
  'a05024',
];
const ALIASES: Record<string, string> = {
  B01: 'w00000',
  '001': 'w01001',
  '003': 'w01012',
  '010': 'w01017',
  '011': 'w01018',
  '015': 'w01020',
  '550': 'w02003',
  '020': 'w20111',
  '022': 'w20115',
  '023': 'w20116',
  '024': 'w20117',
  '026': 'w20119',
  '027': 'w20120',
  '029': 'w20122',
  '030': 'w20123',
  '065': 'w21001',
  '060': 'w21003',
  '101': 'w21011',
  '070': 'w21016',
  '072': 'w21017',
  '071': 'w21019',
  '080': 'w22001',
  '110': 'w23002',
  '520': 'w19002',
  B02: 'a00000',
  S02: 'a01011',
  S03: 'a01012',
  S08: 'a01013',
  S05: 'a01014',
  S01: 'a19001',
  '03': 'a21002',
  '04': 'a21005',
  '02': 'a21026',
  '01': 'a34013',
};

describe('factor catalog', () => {
  it('holds exactly the factors of the HJ 212 table', () => {
    expect(FACTORS.map((f) => f.code).sort()).toEqual([...WATER, ...AIR].sort());
  });

  it('files each factor under its medium', () => {
    for (const code of WATER) expect(lookupFactor(code)?.medium).toBe('water');
    for (const code of AIR) expect(lookupFactor(code)?.medium).toBe('air');
  });

  it('knows every 2005 alias and no other', () => {
    const aliases = Object.fromEntries(FACTORS.flatMap((f) => (f.alias2005 ? [[f.alias2005, f.code]] : [])));
    expect(aliases).toEqual(ALIASES);
  });

  it('has no alias that collides with a code or another alias', () => {
    const keys = FACTORS.flatMap((f) => [f.code, ...(f.alias2005 ? [f.alias2005] : [])]);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('gives every factor both names', () => {
    for (const f of FACTORS) {
      expect(f.nameZh).toMatch(/[\u4e00-\u9fff]/);
      expect(f.nameEn.length).toBeGreaterThan(1);
    }
  });

  it.each([
    ['w01018', '化学需氧量', 'mg/L'],
    ['w21003', '氨氮', 'mg/L'],
    ['w21011', '总磷', 'mg/L'],
    ['w21001', '总氮', 'mg/L'],
    ['w00000', '废水流量', 'L/s'],
    ['w20111', '总汞', 'ug/L'],
    ['w20117', '六价铬', 'ug/L'],
    ['a00000', '废气流量', 'm3/s'],
    ['a19001', '氧气含量', '%'],
    ['a21026', '二氧化硫', 'mg/m3'],
    ['a21002', '氮氧化物', 'mg/m3'],
    ['a34013', '颗粒物', 'mg/m3'],
    ['a34004', '细颗粒物', 'mg/m3'],
    ['a34002', '可吸入颗粒物', 'mg/m3'],
    ['a05024', '臭氧', 'ug/m3'],
  ])('%s is %s in %s', (code, nameZh, unit) => {
    expect(lookupFactor(code)).toMatchObject({ code, nameZh, unit });
  });

  it('looks factors up by 2005 alias', () => {
    expect(lookupFactor('011')?.code).toBe('w01018');
    expect(lookupFactor('B02')?.code).toBe('a00000');
    expect(lookupFactor('01')).toBe(lookupFactor('a34013'));
  });

  it('matches codes case-sensitively', () => {
    expect(lookupFactor('W01018')).toBeUndefined();
    expect(lookupFactor('b01')).toBeUndefined();
    expect(lookupFactor('s01')).toBeUndefined();
  });

  it('canonicalises 2005 aliases and keeps every other code as it came', () => {
    expect(canonicalFactorCode('060')).toBe('w21003');
    expect(canonicalFactorCode('S01')).toBe('a19001');
    expect(canonicalFactorCode('w21003')).toBe('w21003');
    expect(canonicalFactorCode('x99001')).toBe('x99001');
    expect(canonicalFactorCode('')).toBe('');
  });

  it('cannot be changed by a caller', () => {
    expect(Object.isFrozen(FACTORS)).toBe(true);
  });
});
