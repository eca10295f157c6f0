/**
 * Catalog of the monitoring factors HJ 212 devices report: the 2017 code, the HJ/T 212-2005 alias
 * where one existed, names and the default unit. The unit is only a default: ambient stations send
 * ug/m3 (CO mg/m3) whatever the table says, so the unit actually used is kept per monitor and factor.
 */

export type FactorMedium = 'water' | 'air';

export type FactorInfo = {
  /** HJ 212-2017 code, e.g. `w01018`. */
  readonly code: string;
  /** HJ/T 212-2005 code, e.g. `011`; absent where 2005 had none. */
  readonly alias2005?: string;
  readonly nameZh: string;
  readonly nameEn: string;
  /** Default unit; empty for dimensionless factors (pH). */
  readonly unit: string;
  readonly medium: FactorMedium;
};

function water(code: string, alias2005: string | undefined, nameZh: string, nameEn: string, unit: string): FactorInfo {
  return alias2005 === undefined ? { code, nameZh, nameEn, unit, medium: 'water' } : { code, alias2005, nameZh, nameEn, unit, medium: 'water' };
}

function air(code: string, alias2005: string | undefined, nameZh: string, nameEn: string, unit: string): FactorInfo {
  return alias2005 === undefined ? { code, nameZh, nameEn, unit, medium: 'air' } : { code, alias2005, nameZh, nameEn, unit, medium: 'air' };
}

export const FACTORS: readonly FactorInfo[] = Object.freeze([
  water('w00000', 'B01', '废水流量', 'wastewater flow', 'L/s'),
  water('w01001', '001', 'pH值', 'pH', ''),
  water('w01009', undefined, '溶解氧', 'dissolved oxygen', 'mg/L'),
  water('w01010', undefined, '水温', 'water temperature', '°C'),
  water('w01012', '003', '悬浮物', 'suspended solids', 'mg/L'),
  water('w01014', undefined, '电导率', 'conductivity', 'uS/cm'),
  water('w01017', '010', '五日生化需氧量', 'BOD5', 'mg/L'),
  water('w01018', '011', '化学需氧量', 'COD', 'mg/L'),
  water('w01019', undefined, '高锰酸盐指数', 'permanganate index (CODMn)', 'mg/L'),
  water('w01020', '015', '总有机碳', 'total organic carbon', 'mg/L'),
  water('w02003', '550', '粪大肠菌群', 'fecal coliform', '个/L'),
  // Total Cr, Cu and Zn share the unit the table gives the other heavy metals.
  water('w20111', '020', '总汞', 'total mercury', 'ug/L'),
  water('w20115', '022', '总镉', 'total cadmium', 'ug/L'),
  water('w20116', '023', '总铬', 'total chromium', 'ug/L'),
  water('w20117', '024', '六价铬', 'hexavalent chromium', 'ug/L'),
  water('w20119', '026', '总砷', 'total arsenic', 'ug/L'),
  water('w20120', '027', '总铅', 'total lead', 'ug/L'),
  water('w20122', '029', '总铜', 'total copper', 'ug/L'),
  water('w20123', '030', '总锌', 'total zinc', 'ug/L'),
  water('w21001', '065', '总氮', 'total nitrogen', 'mg/L'),
  water('w21003', '060', '氨氮', 'ammonia nitrogen', 'mg/L'),
  water('w21011', '101', '总磷', 'total phosphorus', 'mg/L'),
  water('w21016', '070', '氰化物', 'cyanide', 'mg/L'),
  water('w21017', '072', '氟化物', 'fluoride', 'mg/L'),
  water('w21019', '071', '硫化物', 'sulfide', 'mg/L'),
  water('w22001', '080', '石油类', 'petroleum', 'mg/L'),
  water('w23002', '110', '挥发酚', 'volatile phenol', 'mg/L'),
  water('w19002', '520', '阴离子表面活性剂', 'anionic surfactant (LAS)', 'mg/L'),

  air('a00000', 'B02', '废气流量', 'flue-gas flow', 'm3/s'),
  air('a01001', undefined, '温度', 'air temperature', '°C'),
  air('a01002', undefined, '湿度', 'humidity', '%'),
  air('a01006', undefined, '气压', 'air pressure', 'kPa'),
  air('a01007', undefined, '风速', 'wind speed', 'm/s'),
  air('a01008', undefined, '风向', 'wind direction', '°'),
  air('a01011', 'S02', '烟气流速', 'flue-gas velocity', 'm/s'),
  air('a01012', 'S03', '烟气温度', 'flue-gas temperature', '°C'),
  air('a01013', 'S08', '烟气压力', 'flue-gas pressure', 'kPa'),
  air('a01014', 'S05', '烟气湿度', 'flue-gas humidity', '%'),
  air('a19001', 'S01', '氧气含量', 'oxygen', '%'),
  air('a21002', '03', '氮氧化物', 'nitrogen oxides', 'mg/m3'),
  air('a21003', undefined, '一氧化氮', 'nitric oxide', 'mg/m3'),
  air('a21004', undefined, '二氧化氮', 'nitrogen dioxide', 'mg/m3'),
  air('a21005', '04', '一氧化碳', 'carbon monoxide', 'mg/m3'),
  air('a21026', '02', '二氧化硫', 'sulfur dioxide', 'mg/m3'),
  air('a24088', undefined, '非甲烷总烃', 'non-methane hydrocarbons', 'mg/m3'),
  air('a34001', undefined, '总悬浮颗粒物', 'TSP', 'mg/m3'),
  air('a34002', undefined, '可吸入颗粒物', 'PM10', 'mg/m3'),
  air('a34004', undefined, '细颗粒物', 'PM2.5', 'mg/m3'),
  air('a34013', '01', '颗粒物', 'stack particulate matter', 'mg/m3'),
  // Not in the 2017 table; only ambient stations send it, and they send ug/m3.
  air('a05024', undefined, '臭氧', 'ozone', 'ug/m3'),
]);

const byCode = new Map<string, FactorInfo>();
for (const factor of FACTORS) {
  byCode.set(factor.code, factor);
  if (factor.alias2005 !== undefined) byCode.set(factor.alias2005, factor);
}

/** Finds a factor by its 2017 code or its 2005 alias (exact case). */
export function lookupFactor(code: string): FactorInfo | undefined {
  return byCode.get(code);
}

/** Maps a 2005 alias to the 2017 code; any other code, known or not, comes back unchanged. */
export function canonicalFactorCode(code: string): string {
  return byCode.get(code)?.code ?? code;
}
