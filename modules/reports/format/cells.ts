import { toBureauClock } from '../../../src/time';

/**
 * What a report table is made of, independent of the file format: typed columns with Chinese
 * headers (units in the header), and cells that the CSV and XLSX writers render the same way.
 */

export type ColumnType = 'text' | 'number' | 'integer' | 'ratio' | 'time' | 'day' | 'boolean';

export interface Column {
  /** Chinese header, with the unit in brackets where there is one: `浓度（mg/m³）` */
  header: string;
  type: ColumnType;
  /** XLSX column width in characters */
  width?: number;
}

export type Cell = string | number | boolean | Date | null | undefined;
export type Row = readonly Cell[];

/** `2025-06-01 08:00:00`: the bureau's wall clock, the form Excel recognises as a date and time. */
export function shanghaiTimeText(time: Date): string {
  const iso = toBureauClock(time).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

/** `2025-06-01`: the Asia/Shanghai calendar day an instant falls on. */
export function shanghaiDayText(time: Date): string {
  return shanghaiTimeText(time).slice(0, 10);
}

/**
 * XLSX dates carry no time zone: Excel shows the serial number as it is. A date cell therefore
 * holds the Shanghai wall-clock time, so the sheet reads as the bureau's time and still sorts.
 */
export function shanghaiWallClock(time: Date): Date {
  return toBureauClock(time);
}

export const YES = '是';
export const NO = '否';
