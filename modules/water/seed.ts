import type { HubRuntime } from '../../src/modules';
import { demoDevicePassword } from '../../src/demo/devices';
import { demoCells, type DemoCell } from '../../src/demo/district';
import { seededRandom } from '../../src/demo/random';
import { monitoringServiceRef, type ReadingInput } from '../../src/monitoring/public';
import { WATER_FACTOR as F } from './service/gb3838';
import { waterServiceRef } from './public';
import { hourStart } from './service/assess';

const HOUR_MS = 3_600_000;
export const SEED_HISTORY_HOURS = 72;

interface DemoStation {
  code: string;
  name: string;
  source: string;
  town: string;
  village: number;
  /** what the station reads in a normal hour: a typical level and its daily swing */
  profile: Record<string, { level: number; swing: number }>;
}

const SOURCES = [
  { code: 'DW-DFQ', name: '东风渠龙泉取水口饮用水水源地', waterbody: 'RIVER', protectionZone: 'FIRST' },
  { code: 'DW-LQH', name: '龙泉湖水库饮用水水源地', waterbody: 'LAKE', protectionZone: 'SECOND' },
] as const;

const COMMON = {
  [F.pH]: { level: 7.6, swing: 0.3 },
  [F.waterTemperature]: { level: 17, swing: 2 },
  w01014: { level: 320, swing: 20 },
};

const STATIONS: readonly DemoStation[] = [
  {
    code: 'DW-DFQ-01',
    name: '东风渠取水口水质自动站',
    source: 'DW-DFQ',
    town: '龙泉街道',
    village: 2,
    profile: {
      ...COMMON,
      [F.dissolvedOxygen]: { level: 8.2, swing: 0.6 },
      [F.permanganateIndex]: { level: 2.6, swing: 0.5 },
      [F.ammoniaNitrogen]: { level: 0.22, swing: 0.08 },
      [F.totalPhosphorus]: { level: 0.06, swing: 0.015 },
      [F.totalNitrogen]: { level: 1.4, swing: 0.2 },
      // heavy metals in ug/L, as the HJ 212 table has devices report them
      [F.cadmium]: { level: 0.4, swing: 0.1 },
      [F.lead]: { level: 2.5, swing: 0.6 },
    },
  },
  {
    code: 'DW-LQH-01',
    name: '龙泉湖坝前水质自动站',
    source: 'DW-LQH',
    town: '山泉镇',
    village: 3,
    profile: {
      ...COMMON,
      [F.dissolvedOxygen]: { level: 7.4, swing: 0.5 },
      [F.permanganateIndex]: { level: 3.1, swing: 0.4 },
      [F.ammoniaNitrogen]: { level: 0.3, swing: 0.08 },
      [F.totalPhosphorus]: { level: 0.03, swing: 0.006 },
      [F.totalNitrogen]: { level: 0.7, swing: 0.1 },
    },
  },
  {
    code: 'DW-LQH-02',
    name: '龙泉湖入库口水质自动站',
    source: 'DW-LQH',
    town: '山泉镇',
    village: 5,
    profile: {
      ...COMMON,
      [F.dissolvedOxygen]: { level: 6.8, swing: 0.6 },
      [F.permanganateIndex]: { level: 4.2, swing: 0.6 },
      [F.ammoniaNitrogen]: { level: 0.55, swing: 0.12 },
      [F.totalPhosphorus]: { level: 0.038, swing: 0.006 },
      [F.totalNitrogen]: { level: 0.85, swing: 0.1 },
    },
  },
];

/**
 * Spells in which runoff into the reservoir inlet pushes it past its class III target: hour
 * offsets into the history and the values they bring. The last one runs into the latest hour,
 * so the demo starts with an episode open.
 */
const INLET_SPELLS: readonly { from: number; to: number; values: Record<string, number> }[] = [
  { from: 18, to: 22, values: { [F.totalPhosphorus]: 0.072 } },
  { from: 43, to: 48, values: { [F.totalPhosphorus]: 0.085, [F.ammoniaNitrogen]: 1.25, [F.dissolvedOxygen]: 4.4 } },
  { from: SEED_HISTORY_HOURS - 3, to: SEED_HISTORY_HOURS, values: { [F.totalPhosphorus]: 0.12 } },
];

/** MNs of the demo stations, by station code: `WQ`, the district code and a serial. */
export function demoWaterStationMn(index: number): string {
  return `WQ510112${String(index + 1).padStart(6, '0')}`;
}

function villageOf(cells: readonly DemoCell[], town: string, village: number): DemoCell {
  const townCell = cells.find((cell) => cell.level === 2 && cell.name === town);
  const found = cells.find((cell) => cell.level === 3 && cell.parentCode === townCell?.code && cell.code.endsWith(String(village).padStart(3, '0')));
  if (!found) throw new Error(`demo district has no village ${village} in ${town}`);
  return found;
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

function historyOf(station: DemoStation, index: number, firstHour: Date): ReadingInput[] {
  const random = seededRandom(3838 + index);
  const mn = demoWaterStationMn(index);
  const readings: ReadingInput[] = [];
  for (let h = 0; h < SEED_HISTORY_HOURS; h += 1) {
    const time = new Date(firstHour.getTime() + h * HOUR_MS);
    // Afternoon warmth and photosynthesis: DO and temperature peak mid-afternoon Beijing time.
    const phase = Math.sin((((time.getUTCHours() + 8) % 24) - 9) * (Math.PI / 12));
    const spell = station.code === 'DW-LQH-02' ? INLET_SPELLS.find((s) => h >= s.from && h < s.to) : undefined;
    for (const [factor, { level, swing }] of Object.entries(station.profile)) {
      const spellValue = spell?.values[factor];
      const value = spellValue ?? level + swing * phase * 0.6 + swing * (random() - 0.5) * 0.8;
      // The river intake's DO probe is serviced for a few hours on the second day.
      const flag = station.code === 'DW-DFQ-01' && factor === F.dissolvedOxygen && h >= 30 && h < 35 ? 'M' : 'N';
      readings.push({ mn, factor, interval: 'HOUR', time, value: round(value, factor === F.pH ? 2 : 4), flag });
    }
  }
  return readings;
}

/**
 * Two drinking-water sources (a river intake and a reservoir) with three stations in village
 * cells, three days of hourly history, and the episodes that history makes: the reservoir inlet
 * breaches its target now and then.
 */
export async function seedWater(hub: HubRuntime): Promise<void> {
  const water = hub.services.get(waterServiceRef);
  const monitoring = hub.services.get(monitoringServiceRef);
  const cells = demoCells();
  for (const source of SOURCES) await water.createWaterSource(source);
  for (const [index, station] of STATIONS.entries()) {
    const cell = villageOf(cells, station.town, station.village);
    const mn = demoWaterStationMn(index);
    await water.createWaterStation({
      code: station.code,
      name: station.name,
      sourceCode: station.source,
      cellCode: cell.code,
      longitude: cell.longitude,
      latitude: cell.latitude,
      mn,
      devicePassword: demoDevicePassword(mn),
    });
  }
  const latestHour = new Date(hourStart(hub.now()).getTime() - HOUR_MS);
  const firstHour = new Date(latestHour.getTime() - (SEED_HISTORY_HOURS - 1) * HOUR_MS);
  const readings = STATIONS.flatMap((station, index) => historyOf(station, index, firstHour));
  const batch = Math.min(2000, hub.config.monitoring.ingestBatchMax);
  for (let start = 0; start < readings.length; start += batch) await monitoring.ingest(readings.slice(start, start + batch));
  // Replays the history so past episodes exist as the evaluator would have left them.
  await water.evaluateWaterEpisodes(hub.now(), { from: firstHour });
}
