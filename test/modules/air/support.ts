import type { TestHub } from '../../support/hub';

/** HJ 212 codes of the six AQI pollutants, typed in again so a wrong mapping in the module fails. */
export const FACTOR = { SO2: 'a21026', NO2: 'a21004', CO: 'a21005', O3: 'a05024', PM10: 'a34002', PM2_5: 'a34004' } as const;
export type PollutantName = keyof typeof FACTOR;
export type HourValues = Partial<Record<PollutantName, number>>;

export const HOUR = 3_600_000;

/** An instant given as Asia/Shanghai wall time, e.g. `at('2026-03-01 00:00')`. */
export function at(local: string): Date {
  return new Date(`${local.replace(' ', 'T')}:00+08:00`);
}

export async function createStation(
  th: TestHub,
  admin: string,
  input: { code: string; level?: string; name?: string; cellCode?: string },
): Promise<{ code: string; mn: string }> {
  const { body } = await th.graphql<{ createAirStation: { __typename: string; data?: { code: string; mn: string }; message?: string } }>(
    `mutation($input: CreateAirStationInput!) { createAirStation(input: $input) {
       __typename ... on MutationCreateAirStationSuccess { data { code mn } } ... on Error { message } } }`,
    {
      input: {
        code: input.code,
        name: input.name ?? `测试站 ${input.code}`,
        level: input.level ?? 'DISTRICT',
        cellCode: input.cellCode ?? '51011202003001',
        longitude: 104.27,
        latitude: 30.56,
        devicePassword: '123456',
      },
    },
    admin,
  );
  const result = body.data?.createAirStation;
  if (!result?.data) throw new Error(`createAirStation failed: ${JSON.stringify(body)}`);
  return result.data;
}

export interface HourReading {
  mn: string;
  factor: string;
  interval: 'HOUR';
  time: string;
  value: number;
  flag: string;
}

/** Hourly readings from `start` on: `valuesAt(k)` gives hour k's values, or null for no data. */
export function hourly(
  mn: string,
  start: Date,
  hours: number,
  valuesAt: (k: number) => HourValues | null,
  flagAt: (k: number) => string = () => 'N',
): HourReading[] {
  const readings: HourReading[] = [];
  for (let k = 0; k < hours; k += 1) {
    const values = valuesAt(k);
    if (!values) continue;
    const time = new Date(start.getTime() + k * HOUR).toISOString();
    for (const [pollutant, value] of Object.entries(values) as [PollutantName, number][]) {
      readings.push({ mn, factor: FACTOR[pollutant], interval: 'HOUR', time, value, flag: flagAt(k) });
    }
  }
  return readings;
}

/** Stores readings as the devices that measured them: a device token bound to their MNs. */
export async function ingestAsDevice(th: TestHub, readings: readonly HourReading[]): Promise<void> {
  await ingest(th, await th.token({ roles: ['device'], mns: [...new Set(readings.map((r) => r.mn))] }), readings);
}

/** Stores readings through the batch ingest mutation, in batches. */
export async function ingest(th: TestHub, token: string, readings: readonly HourReading[]): Promise<void> {
  for (let i = 0; i < readings.length; i += 2000) {
    const { body } = await th.graphql<{ ingestReadings: { __typename: string; data?: { accepted: number; rejected: number } } }>(
      `mutation($r: [ReadingInput!]!) { ingestReadings(readings: $r) {
         __typename ... on MutationIngestReadingsSuccess { data { accepted rejected } } ... on Error { message } } }`,
      { r: readings.slice(i, i + 2000) },
      token,
    );
    const data = body.data?.ingestReadings.data;
    if (!data || data.rejected > 0) throw new Error(`ingest failed: ${JSON.stringify(body)}`);
  }
}

/** The AirQuality selection the tests read. */
export const QUALITY_FIELDS = `granularity time day edition aqi aqiComputed level category { zh en } color
  primaryPollutants nonAttainmentPollutants nonAttainmentBasis valid missingPollutants beyondScale
  iaqi { item pollutant averaging concentration value beyondScale rule valueFrom { item averaging concentration } }
  unscored { item pollutant averaging concentration }`;

export interface Quality {
  granularity: string;
  time: string | null;
  day: string | null;
  edition: string;
  aqi: number | null;
  aqiComputed: number | null;
  level: number | null;
  category: { zh: string; en: string } | null;
  color: string | null;
  primaryPollutants: string[];
  nonAttainmentPollutants: string[];
  nonAttainmentBasis: string;
  valid: boolean;
  missingPollutants: string[];
  beyondScale: boolean;
  iaqi: {
    item: string;
    pollutant: string;
    averaging: string;
    concentration: number;
    value: number;
    beyondScale: boolean;
    rule: string | null;
    valueFrom: { item: string; averaging: string; concentration: number } | null;
  }[];
  unscored: { item: string; pollutant: string; averaging: string; concentration: number }[];
}

/** IAQI values by report item, for compact assertions. */
export function iaqiByItem(quality: Quality): Record<string, number> {
  return Object.fromEntries(quality.iaqi.map((e) => [e.item, e.value]));
}
