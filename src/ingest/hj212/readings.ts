/**
 * From a parsed upload to what the monitoring core stores: readings for data uploads, facility
 * status for 2021. Pure, so the mapping is tested without a socket or a database.
 */

import type { ReadingInput, ReadingInterval } from '../../monitoring/public';
import type { Hj212Message, Hj212ValueKind } from './message';
import { parseHj212Time } from './message';

/** The interval each data upload carries; DataTime is the moment (2011) or the period start. */
export const INTERVAL_BY_CN: Readonly<Record<string, ReadingInterval>> = {
  '2011': 'RTD',
  '2051': 'MINUTE',
  '2061': 'HOUR',
  '2031': 'DAY',
};

const VALUE_KINDS: Readonly<Record<ReadingInterval, { value: Hj212ValueKind; converted: Hj212ValueKind }>> = {
  RTD: { value: 'Rtd', converted: 'ZsRtd' },
  MINUTE: { value: 'Avg', converted: 'ZsAvg' },
  HOUR: { value: 'Avg', converted: 'ZsAvg' },
  DAY: { value: 'Avg', converted: 'ZsAvg' },
};

export type MappedReadings =
  | { ok: true; readings: ReadingInput[]; /** item codes that carried no value the interval stores */ unmapped: string[] }
  | { ok: false; reason: 'missing-datatime' };

/** Readings of a 2011/2051/2061/2031 upload; the factor is the 2017 code where a 2005 alias was sent. */
export function readingsOf(message: Hj212Message, monitorId: number, interval: ReadingInterval): MappedReadings {
  if (!message.dataTime) return { ok: false, reason: 'missing-datatime' };
  const kinds = VALUE_KINDS[interval];
  const readings: ReadingInput[] = [];
  const unmapped: string[] = [];
  for (const item of message.items) {
    const value = item.values[kinds.value];
    const converted = item.values[kinds.converted];
    // Real-time data has no period: a -Min/-Max/-Cou there is kept out, as the item's other extras are.
    const period = interval === 'RTD' ? {} : item.values;
    if (value === undefined && converted === undefined && period.Min === undefined && period.Max === undefined && period.Cou === undefined) {
      unmapped.push(item.code);
      continue;
    }
    readings.push({
      monitorId,
      factor: item.factor,
      interval,
      time: message.dataTime,
      value: value ?? null,
      converted: converted ?? null,
      flag: item.flag ?? null,
      ...(interval === 'RTD' ? {} : { min: period.Min ?? null, max: period.Max ?? null, cou: period.Cou ?? null }),
    });
  }
  return { ok: true, readings, unmapped };
}

const RUN_STATUS = ['off', 'running', 'calibrating', 'maintenance', 'alarm', 'blowback'] as const;

export type FacilityStatus = {
  /** DataTime of the report, ISO 8601 */
  time: string | null;
  facilities: { id: string; runStatus: number | null; runStatusText: string | null; runHours: number | null }[];
};

/** 2021 treatment-facility run status (`SB<n>-RS`, `SB<n>-RT`), as kept on the monitor. */
export function facilityStatusOf(message: Hj212Message): FacilityStatus {
  return {
    time: message.dataTime?.toISOString() ?? null,
    facilities: message.facilities.map((facility) => ({
      id: facility.id,
      runStatus: facility.runStatus ?? null,
      runStatusText: facility.runStatus === undefined ? null : (RUN_STATUS[facility.runStatus] ?? 'unknown'),
      runHours: facility.runHours ?? null,
    })),
  };
}

export type FacilityRunTime = { facility: string; runHours: number };

/** 2041 daily run time: the hours of each facility (`SB<n>-RT`) that reported them. */
export function runTimesOf(message: Hj212Message): FacilityRunTime[] {
  return message.facilities.flatMap((f) => (f.runHours === undefined ? [] : [{ facility: f.id, runHours: f.runHours }]));
}

/** 2081: the logger's restart time; devices that leave RestartTime out are taken at DataTime. */
export function restartTimeOf(message: Hj212Message): Date | undefined {
  const text = message.cpFields.RestartTime;
  return text === undefined ? message.dataTime : parseHj212Time(text);
}
