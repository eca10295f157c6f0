import { createRequire } from 'node:module';
import { PassThrough, type Writable } from 'node:stream';
import type ExcelJS from 'exceljs';
import { CSV_BOM, csvHeader, csvLine } from './csv';
import { shanghaiWallClock, YES, NO, type Column, type Row } from './cells';

const require = createRequire(import.meta.url);

/**
 * exceljs, loaded when the first workbook is written: it is the heaviest of the hub's libraries to
 * load, and a start that writes no workbook need not wait for it.
 */
export function excel(): typeof ExcelJS {
  return require('exceljs') as typeof ExcelJS;
}

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const CONTENT_TYPES: Readonly<Record<ExportFormat, string>> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** Writes one table to a stream, a page of rows at a time, waiting whenever the stream is full. */
export interface TableWriter {
  rows(rows: readonly Row[]): Promise<void>;
  /** completes the file; the stream is ended */
  end(): Promise<void>;
}

export class SinkClosedError extends Error {
  override name = 'SinkClosedError';
}

/**
 * Resolves once `stream` can take more. A client reading slowly holds the producer here, so what
 * waits in memory is one page, however large the export.
 */
export async function drained(stream: Writable): Promise<void> {
  if (stream.destroyed || stream.writableEnded) throw new SinkClosedError('the download was closed');
  if (!stream.writableNeedDrain) return;
  await new Promise<void>((resolve, reject) => {
    const done = (error?: Error): void => {
      stream.off('drain', onDrain);
      stream.off('close', onClose);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = (): void => done();
    const onClose = (): void => done(new SinkClosedError('the download was closed'));
    stream.on('drain', onDrain);
    stream.on('close', onClose);
  });
}

export function createCsvWriter(sink: Writable, columns: readonly Column[]): TableWriter {
  let started = false;
  return {
    rows: async (rows) => {
      let text = started ? '' : CSV_BOM + csvHeader(columns);
      started = true;
      for (const row of rows) text += csvLine(row, columns);
      sink.write(text);
      await drained(sink);
    },
    end: async () => {
      if (!started) sink.write(CSV_BOM + csvHeader(columns));
      await new Promise<void>((resolve, reject) => sink.end((error?: Error | null) => (error ? reject(error) : resolve())));
    },
  };
}

const NUMBER_FORMATS: Partial<Record<Column['type'], string>> = {
  integer: '0',
  ratio: '0.00%',
  time: 'yyyy-mm-dd hh:mm:ss',
  day: 'yyyy-mm-dd',
};

/** A cell as exceljs takes it: dates on the Shanghai wall clock, yes/no in Chinese. */
export function xlsxValue(cell: Row[number]): ExcelJS.CellValue {
  if (cell === null || cell === undefined) return null;
  if (cell instanceof Date) return shanghaiWallClock(cell);
  if (typeof cell === 'boolean') return cell ? YES : NO;
  if (typeof cell === 'number') return Number.isFinite(cell) ? cell : null;
  return cell;
}

/**
 * A streaming XLSX writer (exceljs's WorkbookWriter): each committed row leaves memory for the
 * zip stream, so the workbook is never held whole. The zip goes through a PassThrough piped to
 * the sink, and a page waits until both have room.
 */
export function createXlsxWriter(sink: Writable, columns: readonly Column[], sheetName: string): TableWriter {
  const zip = new PassThrough();
  zip.pipe(sink);
  const workbook = new (excel().stream.xlsx.WorkbookWriter)({ stream: zip, useStyles: true, useSharedStrings: false });
  workbook.creator = 'envhub';
  const sheet = workbook.addWorksheet(sheetName.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((column, index) => ({
    key: String(index),
    header: column.header,
    width: column.width ?? Math.max(10, Math.min(40, column.header.length * 2 + 2)),
    ...(NUMBER_FORMATS[column.type] ? { style: { numFmt: NUMBER_FORMATS[column.type] } } : {}),
  }));
  sheet.getRow(1).font = { bold: true };
  const finished = new Promise<void>((resolve, reject) => {
    sink.once('finish', resolve);
    sink.once('close', resolve);
    sink.once('error', reject);
  });
  return {
    rows: async (rows) => {
      for (const row of rows) sheet.addRow(columns.map((_column, index) => xlsxValue(row[index]))).commit();
      await deflated(sheet);
      await drained(zip);
      await drained(sink);
    },
    end: async () => {
      sheet.commit();
      await workbook.commit();
      await finished;
    },
  };
}

/** The sheet XML not yet taken by the zip's deflate, past which a page waits. */
const SHEET_BACKLOG_BYTES = 256 * 1024;

interface SheetInternals {
  _stream?: { pipes?: { _writableState?: { length: number }; once(event: 'drain', listener: () => void): unknown }[] };
}

/**
 * exceljs hands committed rows to the zip entry without waiting for it (its stream ignores
 * backpressure), so a fast reader and a slower deflate would queue the whole sheet in memory.
 * This waits until the entry has taken what was committed. It reads exceljs 4.4's internals; if
 * they change it falls back to yielding once, and the benchmark's RSS figure shows it.
 */
async function deflated(sheet: object): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  const entry = (sheet as unknown as SheetInternals)._stream?.pipes?.[0];
  while (entry?._writableState && entry._writableState.length > SHEET_BACKLOG_BYTES) {
    await new Promise<void>((resolve) => entry.once('drain', resolve));
  }
}

export function createTableWriter(format: ExportFormat, sink: Writable, columns: readonly Column[], sheetName: string): TableWriter {
  return format === 'csv' ? createCsvWriter(sink, columns) : createXlsxWriter(sink, columns, sheetName);
}
