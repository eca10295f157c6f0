import { ValidationError } from '../errors';

/** Connection page sizes: a list field never returns more than MAX_PAGE_SIZE rows at once. */
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface PageArgs {
  first?: number | null | undefined;
  after?: string | null | undefined;
}

const PREFIX = 'c:';

export function encodeCursor(id: number): string {
  return Buffer.from(`${PREFIX}${id}`).toString('base64url');
}

function decodeCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const id = Number(text.slice(PREFIX.length));
  if (!text.startsWith(PREFIX) || !Number.isSafeInteger(id)) throw new ValidationError([{ path: 'after', message: 'not a cursor from this list' }]);
  return id;
}

/** Keyset paging: `limit` rows past the cursor's id. */
function readPage(args: PageArgs): { limit: number; after: number | undefined } {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw new ValidationError([{ path: 'first', message: `must be between 1 and ${MAX_PAGE_SIZE}` }]);
  }
  return { limit: first, after: args.after ? decodeCursor(args.after) : undefined };
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  /** every row the list's filter matches in the viewer's scope; counted only when a client asks */
  totalCount: () => Promise<number> | number;
}

/** Which way a list runs: ascending ids page with `afterId`, newest-first lists with `beforeId`. */
export type KeysetOrder = 'ascending' | 'descending';

/** What a store is asked for: one row more than the page, to learn whether another page follows. */
export type KeysetWindow<O extends KeysetOrder> = O extends 'ascending'
  ? { limit: number; afterId: number | undefined }
  : { limit: number; beforeId: number | undefined };

export interface PageSource<T> {
  /** the row's keyset id, which its cursor carries */
  idOf: (row: T) => number;
  /** every row the list's filter matches; runs only when a client selects `totalCount` */
  count: () => Promise<number> | number;
}

/**
 * One keyset page of a list as a Connection: reads `first`/`after`, asks `fetch` for the window
 * past the cursor, and keeps `count` for `totalCount`.
 */
export async function pageOf<T, O extends KeysetOrder>(
  args: PageArgs,
  order: O,
  fetch: (window: KeysetWindow<O>) => Promise<readonly T[]>,
  source: PageSource<T>,
): Promise<Connection<T>> {
  const page = readPage(args);
  const window = order === 'ascending' ? { limit: fetchSize(page.limit), afterId: page.after } : { limit: fetchSize(page.limit), beforeId: page.after };
  const rows = await fetch(window as KeysetWindow<O>);
  return toConnection(rows, page.limit, source.idOf, page.after !== undefined, source.count);
}

/**
 * One page of a list computed whole in memory (a ranking): the cursor is a row's 1-based
 * position, and the count is the list's length.
 */
export async function pageOfList<T extends object>(args: PageArgs, list: () => Promise<readonly T[]>): Promise<Connection<T & { position: number }>> {
  const page = readPage(args);
  const all = await list();
  const start = page.after ?? 0;
  const rows = all.map((row, index) => ({ ...row, position: index + 1 })).slice(start, start + fetchSize(page.limit));
  return toConnection(
    rows,
    page.limit,
    (row) => row.position,
    start > 0,
    () => all.length,
  );
}

/** One row past the page: its presence is `hasNextPage`. */
function fetchSize(limit: number): number {
  return limit + 1;
}

/**
 * An edge whose cursor is encoded only when read: most pages are asked for their nodes alone, and
 * a page of fifty would otherwise encode fifty cursors nobody sees.
 */
class Edge<T> {
  constructor(
    readonly node: T,
    private readonly id: number,
  ) {}

  get cursor(): string {
    return encodeCursor(this.id);
  }
}

/** `rows` holds up to `limit` + 1 rows; `count` runs only when `totalCount` is selected. */
function toConnection<T>(
  rows: readonly T[],
  limit: number,
  idOf: (row: T) => number,
  hasPrevious: boolean,
  count: () => Promise<number> | number,
): Connection<T> {
  const page = rows.length > limit ? rows.slice(0, limit) : rows;
  const edges = page.map((node) => new Edge(node, idOf(node)));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > limit,
      hasPreviousPage: hasPrevious,
      get startCursor() {
        return edges[0]?.cursor ?? null;
      },
      get endCursor() {
        return edges.at(-1)?.cursor ?? null;
      },
    },
    totalCount: count,
  };
}
