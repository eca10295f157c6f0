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

/** Keyset paging: `limit` rows after the cursor's id (one more is fetched to know if more exist). */
export function readPage(args: PageArgs): { limit: number; after: number | undefined } {
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

/** `rows` was fetched with limit + 1; `count` runs only when `totalCount` is selected. */
export function toConnection<T>(rows: readonly T[], limit: number, idOf: (row: T) => number, hasPrevious: boolean, count: () => Promise<number> | number): Connection<T> {
  const page = rows.slice(0, limit);
  const edges = page.map((node) => ({ cursor: encodeCursor(idOf(node)), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > limit,
      hasPreviousPage: hasPrevious,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount: count,
  };
}
