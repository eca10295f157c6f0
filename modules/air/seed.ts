import { demoDevicePassword } from '../../src/demo/devices';
import { demoCells, type DemoCell } from '../../src/demo/district';
import { seededRandom } from '../../src/demo/random';
import type { HubRuntime } from '../../src/modules';
import { monitoringServiceRef, type ReadingInput } from '../../src/monitoring/public';
import type { Pollutant } from './service/aqi';
import { airServiceRef } from './public';
import { floorHour, HOUR_MS, POLLUTANT_FACTORS } from './service/series';
import { stationMn, type AirStationLevel } from './service/stations';

const SEED_DAYS = 3;

interface StationPlan {
  code: string;
  name: string;
  level: AirStationLevel;
  /** the town whose first village cell the station stands in */
  town: string;
  /** how much of the district's pollution reaches it (the mountain background station little) */
  exposure: number;
}

const STATIONS: readonly StationPlan[] = [
  { code: '1431A', name: '龙泉驿区环境监测站', level: 'NATIONAL', town: '龙泉街道', exposure: 1 },
  { code: '510112S01', name: '经开区大面省控站', level: 'PROVINCE', town: '大面街道', exposure: 1.15 },
  { code: '510112C01', name: '十陵市控站', level: 'CITY', town: '十陵街道', exposure: 1.05 },
  { code: '510112D01', name: '西河区控站', level: 'DISTRICT', town: '西河街道', exposure: 1.1 },
  { code: '510112D02', name: '柏合区控站', level: 'DISTRICT', town: '柏合街道', exposure: 0.95 },
  { code: '510112D03', name: '洛带古镇区控站', level: 'DISTRICT', town: '洛带镇', exposure: 0.9 },
  { code: '510112D04', name: '茶店山区背景站', level: 'DISTRICT', town: '茶店镇', exposure: 0.6 },
];

/** A bump centred on local hour `centre`, wrapping around midnight. */
function bump(localHour: number, centre: number, width: number): number {
  const d = Math.min(Math.abs(localHour - centre), 24 - Math.abs(localHour - centre));
  return Math.exp(-(d * d) / (2 * width * width));
}

/**
 * One pollution episode in each simulated day, in turn: an evening PM haze that passes AQI 200, an
 * afternoon ozone episode, a morning PM haze. Multipliers on the plain diurnal values.
 */
function episodeBoost(dayIndex: number, localHour: number): { pm: number; o3: number } {
  switch (dayIndex % 3) {
    case 0:
      return { pm: 1 + 2.6 * bump(localHour, 21, 2.5), o3: 1 };
    case 1:
      return { pm: 1, o3: 1 + 1.1 * bump(localHour, 15, 2) };
    default:
      return { pm: 1 + 1.6 * bump(localHour, 8, 2.5), o3: 1 };
  }
}

/** Believable hourly values: traffic peaks for NO2 and CO, night-time accumulation of particles, afternoon ozone. */
function hourValues(random: () => number, plan: StationPlan, localHour: number, dayIndex: number): Record<Pollutant, number> {
  const noise = (spread: number): number => 1 + (random() - 0.5) * spread;
  const boost = episodeBoost(dayIndex, localHour);
  const e = plan.exposure;
  const pm25 = e * boost.pm * (38 + 14 * bump(localHour, 8, 2) + 18 * bump(localHour, 22, 3)) * noise(0.2);
  const round1 = (v: number): number => Math.round(v * 10) / 10;
  return {
    PM2_5: Math.round(pm25),
    PM10: Math.round(pm25 * (1.55 + random() * 0.2)),
    NO2: Math.round(e * (22 + 22 * bump(localHour, 8, 1.5) + 26 * bump(localHour, 19, 2)) * noise(0.25)),
    CO: round1(e * (0.6 + 0.3 * bump(localHour, 8, 2) + 0.4 * bump(localHour, 20, 3)) * noise(0.2)),
    SO2: Math.round(e * (6 + 4 * bump(localHour, 11, 3)) * noise(0.3)),
    // ozone forms in afternoon sunlight, less where there is more NO to titrate it
    O3: Math.round((25 + 115 * bump(localHour, 15, 3)) * boost.o3 * (1.2 - 0.2 * e) * noise(0.15)),
  };
}

function cellOf(town: string, cells: readonly DemoCell[]): DemoCell {
  const townCell = cells.find((c) => c.level === 2 && c.name === town);
  const village = cells.find((c) => c.level === 3 && c.parentCode === townCell?.code);
  if (!village) throw new Error(`demo grid has no village cell under ${town}`);
  return village;
}

/**
 * Seven stations (one national, one province, one city, four district) in village cells of the demo
 * grid, each with three days of hourly history ending with the last complete hour, and the episodes
 * that history gives.
 */
export async function seedAir(hub: HubRuntime): Promise<void> {
  const air = hub.services.get(airServiceRef);
  const monitoring = hub.services.get(monitoringServiceRef);
  const cells = demoCells();
  const random = seededRandom(8_633);
  const newest = floorHour(hub.now().getTime()) - HOUR_MS;
  const first = newest - (SEED_DAYS * 24 - 1) * HOUR_MS;

  for (const plan of STATIONS) {
    const cell = cellOf(plan.town, cells);
    const station = await air.createStation({
      code: plan.code,
      name: plan.name,
      level: plan.level,
      cellCode: cell.code,
      longitude: Math.round((cell.longitude + (random() - 0.5) * 0.004) * 1e6) / 1e6,
      latitude: Math.round((cell.latitude + (random() - 0.5) * 0.004) * 1e6) / 1e6,
      devicePassword: demoDevicePassword(stationMn(plan.code)),
    });
    const readings: ReadingInput[] = [];
    for (let t = first; t <= newest; t += HOUR_MS) {
      const localHour = (new Date(t).getUTCHours() + 8) % 24;
      const values = hourValues(random, plan, localHour, Math.floor((t - first) / (24 * HOUR_MS)));
      // the daily zero/span check at 04:00 leaves one calibration-flagged hour a day
      const flag = localHour === 4 ? 'C' : 'N';
      for (const [pollutant, value] of Object.entries(values) as [Pollutant, number][]) {
        readings.push({ monitorId: station.monitorId, factor: POLLUTANT_FACTORS[pollutant], interval: 'HOUR', time: new Date(t), value, flag });
      }
    }
    await monitoring.ingest(readings);
  }
  // replay the worker over the history so the demo starts with its episodes
  await air.evaluateAirEpisodes(new Date(newest + HOUR_MS), { since: new Date(first) });
}
