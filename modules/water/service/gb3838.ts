/**
 * GB 3838-2002 surface water limits (table 1 basic items, table 2 supplementary items for
 * centralised drinking-water sources). All concentrations in mg/L; fecal coliform per litre.
 *
 * Factor keys are HJ 212-2017 codes where HJ 212 has one, so readings can be classified
 * without a mapping step. Selenium and the supplementary items have no HJ 212 code, so they use
 * the local keys below; nothing else in the hub should mint codes for them.
 */

export const WATER_FACTOR = {
  pH: 'w01001',
  dissolvedOxygen: 'w01009',
  waterTemperature: 'w01010',
  bod5: 'w01017',
  cod: 'w01018',
  permanganateIndex: 'w01019',
  fecalColiform: 'w02003',
  lasSurfactant: 'w19002',
  mercury: 'w20111',
  cadmium: 'w20115',
  chromiumVI: 'w20117',
  arsenic: 'w20119',
  lead: 'w20120',
  copper: 'w20122',
  zinc: 'w20123',
  totalNitrogen: 'w21001',
  ammoniaNitrogen: 'w21003',
  totalPhosphorus: 'w21011',
  cyanide: 'w21016',
  fluoride: 'w21017',
  sulfide: 'w21019',
  petroleum: 'w22001',
  volatilePhenol: 'w23002',
  // Local keys: HJ 212-2017 assigns no code to these.
  selenium: 'Se',
  sulfate: 'SO4',
  chloride: 'Cl',
  nitrateNitrogen: 'NO3_N',
  iron: 'Fe',
  manganese: 'Mn',
} as const;

export type WaterFactorKey = (typeof WATER_FACTOR)[keyof typeof WATER_FACTOR];

/** Limits for classes I, II, III, IV, V in that order. */
export type ClassLimits = readonly [number, number, number, number, number];

export type Gb3838Rule =
  | { readonly bound: 'UPPER'; readonly limits: ClassLimits }
  /** The class I-V limits differ between rivers and lakes/reservoirs (TP). */
  | { readonly bound: 'UPPER'; readonly river: ClassLimits; readonly lake: ClassLimits }
  | { readonly bound: 'LOWER'; readonly limits: ClassLimits }
  /** The same range for every class; outside it the item is worse than class V. */
  | { readonly bound: 'RANGE'; readonly min: number; readonly max: number };

export interface Gb3838Item {
  readonly factor: WaterFactorKey;
  readonly name: string;
  readonly rule: Gb3838Rule | null;
  /**
   * Reported alongside the class but excluded from routine single-factor evaluation.
   * 'LAKE' means it is classed for lakes and reservoirs only (TN).
   */
  readonly classedFor: 'ALL' | 'LAKE' | 'NONE';
}

const F = WATER_FACTOR;

export const GB3838_ITEMS: readonly Gb3838Item[] = [
  // Temperature limits in the standard are changes against a natural baseline, not absolutes.
  { factor: F.waterTemperature, name: '水温', rule: null, classedFor: 'NONE' },
  { factor: F.pH, name: 'pH', rule: { bound: 'RANGE', min: 6, max: 9 }, classedFor: 'ALL' },
  // Class I is also met at 90 % saturation; only the mg/L figure is used, since stations rarely report saturation.
  { factor: F.dissolvedOxygen, name: '溶解氧', rule: { bound: 'LOWER', limits: [7.5, 6, 5, 3, 2] }, classedFor: 'ALL' },
  { factor: F.permanganateIndex, name: '高锰酸盐指数', rule: { bound: 'UPPER', limits: [2, 4, 6, 10, 15] }, classedFor: 'ALL' },
  { factor: F.cod, name: '化学需氧量', rule: { bound: 'UPPER', limits: [15, 15, 20, 30, 40] }, classedFor: 'ALL' },
  { factor: F.bod5, name: '五日生化需氧量', rule: { bound: 'UPPER', limits: [3, 3, 4, 6, 10] }, classedFor: 'ALL' },
  { factor: F.ammoniaNitrogen, name: '氨氮', rule: { bound: 'UPPER', limits: [0.15, 0.5, 1.0, 1.5, 2.0] }, classedFor: 'ALL' },
  {
    factor: F.totalPhosphorus,
    name: '总磷',
    rule: { bound: 'UPPER', river: [0.02, 0.1, 0.2, 0.3, 0.4], lake: [0.01, 0.025, 0.05, 0.1, 0.2] },
    classedFor: 'ALL',
  },
  { factor: F.totalNitrogen, name: '总氮', rule: { bound: 'UPPER', limits: [0.2, 0.5, 1.0, 1.5, 2.0] }, classedFor: 'LAKE' },
  { factor: F.copper, name: '铜', rule: { bound: 'UPPER', limits: [0.01, 1.0, 1.0, 1.0, 1.0] }, classedFor: 'ALL' },
  { factor: F.zinc, name: '锌', rule: { bound: 'UPPER', limits: [0.05, 1.0, 1.0, 2.0, 2.0] }, classedFor: 'ALL' },
  { factor: F.fluoride, name: '氟化物', rule: { bound: 'UPPER', limits: [1.0, 1.0, 1.0, 1.5, 1.5] }, classedFor: 'ALL' },
  { factor: F.selenium, name: '硒', rule: { bound: 'UPPER', limits: [0.01, 0.01, 0.01, 0.02, 0.02] }, classedFor: 'ALL' },
  { factor: F.arsenic, name: '砷', rule: { bound: 'UPPER', limits: [0.05, 0.05, 0.05, 0.1, 0.1] }, classedFor: 'ALL' },
  { factor: F.mercury, name: '汞', rule: { bound: 'UPPER', limits: [0.00005, 0.00005, 0.0001, 0.001, 0.001] }, classedFor: 'ALL' },
  { factor: F.cadmium, name: '镉', rule: { bound: 'UPPER', limits: [0.001, 0.005, 0.005, 0.005, 0.01] }, classedFor: 'ALL' },
  { factor: F.chromiumVI, name: '铬（六价）', rule: { bound: 'UPPER', limits: [0.01, 0.05, 0.05, 0.05, 0.1] }, classedFor: 'ALL' },
  { factor: F.lead, name: '铅', rule: { bound: 'UPPER', limits: [0.01, 0.01, 0.05, 0.05, 0.1] }, classedFor: 'ALL' },
  { factor: F.cyanide, name: '氰化物', rule: { bound: 'UPPER', limits: [0.005, 0.05, 0.2, 0.2, 0.2] }, classedFor: 'ALL' },
  { factor: F.volatilePhenol, name: '挥发酚', rule: { bound: 'UPPER', limits: [0.002, 0.002, 0.005, 0.01, 0.1] }, classedFor: 'ALL' },
  { factor: F.petroleum, name: '石油类', rule: { bound: 'UPPER', limits: [0.05, 0.05, 0.05, 0.5, 1.0] }, classedFor: 'ALL' },
  { factor: F.lasSurfactant, name: '阴离子表面活性剂', rule: { bound: 'UPPER', limits: [0.2, 0.2, 0.2, 0.3, 0.3] }, classedFor: 'ALL' },
  { factor: F.sulfide, name: '硫化物', rule: { bound: 'UPPER', limits: [0.05, 0.1, 0.2, 0.5, 1.0] }, classedFor: 'ALL' },
  { factor: F.fecalColiform, name: '粪大肠菌群', rule: { bound: 'UPPER', limits: [200, 2000, 10000, 20000, 40000] }, classedFor: 'NONE' },
];

/** Drinking-water source supplementary items: one limit each, no classes. */
export const GB3838_SUPPLEMENTARY_LIMITS: ReadonlyMap<string, number> = new Map<string, number>([
  [F.sulfate, 250],
  [F.chloride, 250],
  [F.nitrateNitrogen, 10],
  [F.iron, 0.3],
  [F.manganese, 0.1],
]);

export const GB3838_BY_FACTOR: ReadonlyMap<string, Gb3838Item> = new Map(GB3838_ITEMS.map((item) => [item.factor, item]));

/**
 * Factors that water-quality devices report in ug/L (HJ 212 factor table) while the limits above
 * are mg/L: convert with `ugPerLToMgPerL` before classifying.
 */
export const FACTORS_REPORTED_IN_UG_PER_L: ReadonlySet<string> = new Set<string>([F.mercury, F.cadmium, F.chromiumVI, F.arsenic, F.lead]);
