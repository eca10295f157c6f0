import { ValidationError } from '../../../src/errors';
import { bureauDay, DAY_MS, fromBureauClock, toBureauClock } from '../../../src/time';

const MONTH = /^(\d{4})-(\d{2})$/;

/** A calendar month in Asia/Shanghai. */
export interface MonthSpan {
  month: string;
  from: Date;
  to: Date;
  days: string[];
}

export function monthSpan(year: number, monthIndex: number): MonthSpan {
  const from = fromBureauClock(new Date(Date.UTC(year, monthIndex, 1)));
  const to = fromBureauClock(new Date(Date.UTC(year, monthIndex + 1, 1)));
  const days: string[] = [];
  for (let t = from.getTime(); t < to.getTime(); t += DAY_MS) days.push(bureauDay(new Date(t)));
  const start = toBureauClock(from);
  return { month: `${start.getUTCFullYear()}-${String(start.getUTCMonth() + 1).padStart(2, '0')}`, from, to, days };
}

/** `2025-06`, a month that has begun (the current one reports the days so far). */
export function parseMonth(text: string | undefined, now: Date): MonthSpan {
  const match = text === undefined ? null : MONTH.exec(text);
  const month = match ? Number(match[2]) : 0;
  if (!match || month < 1 || month > 12 || Number(match[1]) < 2000) throw new ValidationError([{ path: 'month', message: 'a month such as 2025-06' }]);
  const span = monthSpan(Number(match[1]), month - 1);
  if (span.from > now) throw new ValidationError([{ path: 'month', message: 'has not begun yet' }]);
  return span;
}

export function shiftMonth(span: MonthSpan, months: number): MonthSpan {
  const start = toBureauClock(span.from);
  return monthSpan(start.getUTCFullYear(), start.getUTCMonth() + months);
}
