/** The demo district's industries: typical permit limits and what each kind of enterprise discharges. */

export type LimitSpec = { factor: string; upper?: number; lower?: number; unit: string; standard: string };

/** Typical permit limits (see the domain notes): GB 8978 table 4 grade 1, GB 13271 gas-fired boilers. */
export const WASTEWATER_LIMITS: readonly LimitSpec[] = [
  { factor: 'w01018', upper: 100, unit: 'mg/L', standard: 'GB 8978-1996' },
  { factor: 'w21003', upper: 15, unit: 'mg/L', standard: 'GB 8978-1996' },
  { factor: 'w01001', lower: 6, upper: 9, unit: '', standard: 'GB 8978-1996' },
];
export const SEWAGE_LIMITS: readonly LimitSpec[] = [
  { factor: 'w01018', upper: 50, unit: 'mg/L', standard: 'GB 18918-2002 1A' },
  { factor: 'w21003', upper: 5, unit: 'mg/L', standard: 'GB 18918-2002 1A' },
  { factor: 'w01001', lower: 6, upper: 9, unit: '', standard: 'GB 18918-2002 1A' },
];
export const FLUE_GAS_LIMITS: readonly LimitSpec[] = [
  { factor: 'a34013', upper: 20, unit: 'mg/m3', standard: 'GB 13271-2014' },
  { factor: 'a21026', upper: 50, unit: 'mg/m3', standard: 'GB 13271-2014' },
  { factor: 'a21002', upper: 200, unit: 'mg/m3', standard: 'GB 13271-2014' },
];
/** GB 8978 table 1 in ug/L, the unit the analysers report in: Hg 0.05, Cd 0.1, Cr6+ 0.5, As 0.5, Pb 1.0 mg/L. */
export const HEAVY_METAL_LIMITS: readonly LimitSpec[] = [
  { factor: 'w20111', upper: 50, unit: 'ug/L', standard: 'GB 8978-1996 表1' },
  { factor: 'w20115', upper: 100, unit: 'ug/L', standard: 'GB 8978-1996 表1' },
  { factor: 'w20117', upper: 500, unit: 'ug/L', standard: 'GB 8978-1996 表1' },
  { factor: 'w20119', upper: 500, unit: 'ug/L', standard: 'GB 8978-1996 表1' },
  { factor: 'w20120', upper: 1000, unit: 'ug/L', standard: 'GB 8978-1996 表1' },
];

export interface Industry {
  name: string;
  suffixes: readonly string[];
  flueGas: boolean;
  waste?: { code: string; name: string };
  risk?: { name: string; substance: string };
}

export const INDUSTRIES: Record<string, Industry> = {
  plating: {
    name: '金属表面处理及热处理加工',
    suffixes: ['电镀有限公司', '表面处理有限公司'],
    flueGas: false,
    waste: { code: 'HW17 336-054-17', name: '电镀污泥' },
    risk: { name: '电镀槽区', substance: '铬酸' },
  },
  auto: {
    name: '汽车零部件及配件制造',
    suffixes: ['汽车零部件有限公司', '汽车配件制造有限公司'],
    flueGas: true,
    waste: { code: 'HW12 900-252-12', name: '废漆渣' },
    risk: { name: '涂装车间溶剂库', substance: '二甲苯' },
  },
  electronics: {
    name: '电子元件及电子专用材料制造',
    suffixes: ['电子科技有限公司', '电子有限公司'],
    flueGas: false,
    waste: { code: 'HW49 900-045-49', name: '废电路板' },
  },
  food: { name: '食品制造', suffixes: ['食品有限公司', '食品饮料有限公司'], flueGas: true },
  pharma: {
    name: '化学药品制剂制造',
    suffixes: ['药业有限公司', '制药有限公司'],
    flueGas: true,
    waste: { code: 'HW02 271-001-02', name: '医药废物' },
    risk: { name: '溶媒储罐区', substance: '乙醇' },
  },
  printing: { name: '包装装潢及其他印刷', suffixes: ['印务有限公司', '包装印刷有限公司'], flueGas: false, waste: { code: 'HW12 900-253-12', name: '废油墨' } },
  concrete: { name: '水泥制品制造（商品混凝土）', suffixes: ['商品混凝土有限公司', '建材有限公司'], flueGas: true },
  sewage: { name: '污水处理及其再生利用', suffixes: ['污水处理有限公司'], flueGas: false, risk: { name: '加药间', substance: '次氯酸钠' } },
};

export const PREFIXES = [
  '龙泉',
  '成都',
  '蜀都',
  '天府',
  '川西',
  '锦城',
  '东山',
  '驿都',
  '桃源',
  '蓉兴',
  '西河',
  '十陵',
  '大面',
  '柏合',
  '洛带',
  '同安',
  '华川',
  '众鑫',
  '恒达',
  '长城',
  '瑞丰',
  '金鹏',
  '永兴',
  '宏远',
];

/** The order the 60 enterprises are drawn in: heavy-metal platers first, then the rest round-robin. */
export const INDUSTRY_PLAN: readonly string[] = [
  'plating',
  'plating',
  'plating',
  'plating',
  'sewage',
  'sewage',
  'pharma',
  'auto',
  'electronics',
  'food',
  'auto',
  'pharma',
  'electronics',
  'concrete',
  'food',
  'printing',
  'auto',
  'electronics',
  'plating',
  'food',
  'pharma',
  'auto',
  'printing',
  'concrete',
];
