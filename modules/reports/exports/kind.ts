import type { Role, Viewer } from '../../../src/auth/viewer';
import type { ServiceRegistry } from '../../../src/services';
import type { Column, Row } from '../format/cells';
import type { ExportParams } from './params';

export interface ExportLimits {
  /** rows one export may hold */
  maxRows: number;
  /** the longest range one export may cover */
  maxRangeDays: number;
}

/** What an export reads with: the viewer's own scope, through the other modules' services. */
export interface ExportContext {
  readonly viewer: Viewer;
  readonly services: ServiceRegistry;
  readonly limits: ExportLimits;
  /** aborted when the export is cancelled or its download closed: stop reading */
  readonly signal: AbortSignal;
}

/** An export ready to stream: its columns, how many rows it expects, and its rows page by page. */
export interface ExportTable {
  /** file name without extension: ASCII, safe in a header */
  fileName: string;
  /** sheet name (Chinese) */
  sheet: string;
  columns: readonly Column[];
  /** rows the export will hold, as far as known before it starts; null when unknown */
  estimatedRows: number | null;
  pages(): AsyncIterable<readonly Row[]>;
}

/**
 * One kind of export. `open` validates the parameters, checks what the viewer may see (throwing
 * the services' own typed errors) and counts what it can before anything is sent, so that a
 * refusal is a clean HTTP error and not a truncated file.
 */
export interface ExportKind {
  /** URL segment: `/export/<name>` */
  readonly name: string;
  /** Chinese title */
  readonly title: string;
  /** the module whose data it is: the kind exists only while that module is on */
  readonly module: string;
  /** who may ask, as the GraphQL field the export mirrors */
  readonly roles: readonly Role[];
  /** query parameters besides `format` */
  readonly params: readonly string[];
  open(context: ExportContext, params: ExportParams): Promise<ExportTable>;
}

/** Rows are read from services in pages of this many. */
export const PAGE_ROWS = 5000;

/** A `YYYYMMDD-YYYYMMDD` stamp of a range in Asia/Shanghai days, for file names. */
export function rangeStamp(range: { from: Date; to: Date }): string {
  const day = (t: Date) => new Date(t.getTime() + 8 * 3_600_000).toISOString().slice(0, 10).replaceAll('-', '');
  return `${day(range.from)}-${day(new Date(range.to.getTime() - 1))}`;
}

/** A file-name part from user input: letters, digits, dash and underscore only. */
export const safeName = (text: string): string => text.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 40);

/** Throws when the export was cancelled or its download closed. */
export function checkAborted(signal: AbortSignal): void {
  if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('export cancelled');
}
