import { seededRandom } from './random';

/**
 * The demo district's grid (Longquanyi District, Chengdu; administrative code 510112), shared by
 * every module's seed so that enterprises, stations and assistants land in the same cells.
 *
 * Three levels as the bureau built it: 10 district-level cells (one is the economic development
 * zone), 12 town/street cells under them, 141 village/community cells under the towns: 163 cells.
 * Codes are hierarchical — a cell's code begins with its parent's — which is what row scope
 * relies on: level 1 `510112NN`, level 2 `510112NNTTT`, level 3 `510112NNTTTVVV`. Towns and
 * villages also carry a national division code in the 统计用区划代码 form (county 510112, town
 * TTT, then 000 for the town itself, 001-199 for a community, 200-399 for a village), made up for
 * the demo as its names are.
 */
export interface DemoCell {
  code: string;
  name: string;
  level: 1 | 2 | 3;
  parentCode: string | null;
  adminCode: string | null;
  longitude: number;
  latitude: number;
}

const AREAS: readonly { name: string; towns: readonly string[] }[] = [
  { name: '经济技术开发区网格', towns: ['大面街道'] },
  { name: '龙泉片区网格', towns: ['龙泉街道'] },
  { name: '十陵片区网格', towns: ['十陵街道'] },
  { name: '同安片区网格', towns: ['同安街道'] },
  { name: '洪河片区网格', towns: ['洪河街道'] },
  { name: '西河片区网格', towns: ['西河街道'] },
  { name: '柏合片区网格', towns: ['柏合街道'] },
  { name: '东安片区网格', towns: ['东安街道'] },
  { name: '洛带片区网格', towns: ['洛带镇', '黄土镇'] },
  { name: '东部山区片区网格', towns: ['茶店镇', '山泉镇'] },
];

const VILLAGE_WORDS = ['新华', '长松', '桃源', '青台', '双槐', '万兴', '花果', '柏林', '金龙', '东风', '红岩', '清泉', '玉石', '宝狮', '龙华', '白鹤'];

/** District centre; cells are scattered within about 15 km of it. */
const CENTRE = { longitude: 104.27, latitude: 30.56 };

let cached: readonly DemoCell[] | undefined;

export function demoCells(): readonly DemoCell[] {
  if (cached) return cached;
  const random = seededRandom(510112);
  const cells: DemoCell[] = [];
  let townNumber = 0;
  // 141 villages over 12 towns: nine towns of 12 and three of 11
  const villagesPerTown = [12, 12, 12, 12, 12, 12, 12, 12, 12, 11, 11, 11];
  AREAS.forEach((area, areaIndex) => {
    const areaCode = `510112${String(areaIndex + 1).padStart(2, '0')}`;
    const areaCentre = {
      longitude: round6(CENTRE.longitude + (random() - 0.5) * 0.25),
      latitude: round6(CENTRE.latitude + (random() - 0.5) * 0.2),
    };
    cells.push({ code: areaCode, name: area.name, level: 1, parentCode: null, adminCode: null, ...areaCentre });
    for (const town of area.towns) {
      townNumber += 1;
      const townCode = `${areaCode}${String(townNumber).padStart(3, '0')}`;
      const townCentre = {
        longitude: round6(areaCentre.longitude + (random() - 0.5) * 0.06),
        latitude: round6(areaCentre.latitude + (random() - 0.5) * 0.05),
      };
      const townAdminCode = `510112${String(townNumber).padStart(3, '0')}`;
      cells.push({ code: townCode, name: town, level: 2, parentCode: areaCode, adminCode: `${townAdminCode}000`, ...townCentre });
      const count = villagesPerTown[townNumber - 1] ?? 11;
      for (let v = 1; v <= count; v += 1) {
        const word = VILLAGE_WORDS[(townNumber * 7 + v) % VILLAGE_WORDS.length] as string;
        const suffix = v % 3 === 0 ? '社区' : '村';
        cells.push({
          code: `${townCode}${String(v).padStart(3, '0')}`,
          name: `${town.replace(/(街道|镇)$/, '')}${word}${suffix}`,
          level: 3,
          parentCode: townCode,
          adminCode: `${townAdminCode}${String(suffix === '社区' ? v : 200 + v).padStart(3, '0')}`,
          longitude: round6(townCentre.longitude + (random() - 0.5) * 0.03),
          latitude: round6(townCentre.latitude + (random() - 0.5) * 0.025),
        });
      }
    }
  });
  cached = Object.freeze(cells);
  return cached;
}

function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

export const demoVillageCells = (): DemoCell[] => demoCells().filter((cell) => cell.level === 3);
export const demoTownCells = (): DemoCell[] => demoCells().filter((cell) => cell.level === 2);
