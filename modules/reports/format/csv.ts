import { NO, shanghaiDayText, shanghaiTimeText, YES, type Cell, type Column, type Row } from './cells';

/** UTF-8 with a byte-order mark: without it Excel on a Chinese Windows reads the file as GBK. */
export const CSV_BOM = '\uFEFF';

const NEEDS_QUOTES = /[",\r\n]/;
/** A text starting like a formula runs as one when the file is opened in a spreadsheet. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell as CSV text (RFC 4180 quoting); text that could run as a formula is prefixed with `'`. */
export function csvField(cell: Cell, column: Column): string {
  if (cell === null || cell === undefined) return '';
  let text: string;
  if (cell instanceof Date) text = column.type === 'day' ? shanghaiDayText(cell) : shanghaiTimeText(cell);
  else if (typeof cell === 'boolean') text = cell ? YES : NO;
  else if (typeof cell === 'number') text = Number.isFinite(cell) ? String(cell) : '';
  else text = column.type === 'text' && FORMULA_START.test(cell) ? `'${cell}` : cell;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record, CRLF-terminated as RFC 4180 and Excel expect. */
export function csvLine(row: Row, columns: readonly Column[]): string {
  let line = '';
  for (let i = 0; i < columns.length; i += 1) {
    if (i > 0) line += ',';
    line += csvField(row[i], columns[i] as Column);
  }
  return `${line}\r\n`;
}

export function csvHeader(columns: readonly Column[]): string {
  return csvLine(
    columns.map((c) => c.header),
    columns.map((c) => ({ ...c, type: 'text' as const })),
  );
}
