import { and, asc, eq, sql } from 'drizzle-orm';
import type { Database } from '../../../src/db';
import { gridMediaChunks } from '../tables';

/** A database handle inside or outside a transaction. */
export type MediaDb = Pick<Database['orm'], 'select' | 'insert' | 'update' | 'delete'>;

/**
 * Where file contents live. Two implementations: rows in the database (the embedded demo, and
 * backups that hold everything) and files in a directory (production). An S3-compatible object
 * store would be a third: uploads as multipart uploads (a part per piece), `commitUpload` as
 * CompleteMultipartUpload plus a copy to the key named by the hash, `readBlob` as a ranged GET.
 * Everything is streamed: no method holds a whole file.
 */
export interface MediaStore {
  readonly kind: 'database' | 'filesystem';
  /**
   * Stores one piece of an upload at `position`, but only if `advance` (run first, inside the same
   * transaction where the store has one) moves the upload's offset past it; false when it did not.
   */
  appendUpload(uploadId: string, position: number, bytes: Buffer, advance: (db: MediaDb) => Promise<boolean>): Promise<boolean>;
  /** The first `size` bytes an upload has received, in order. */
  readUpload(uploadId: string, size: number): AsyncIterable<Buffer>;
  /** Makes a finished upload's bytes the file `sha256`; when that file is already stored, drops them. */
  commitUpload(uploadId: string, sha256: string, alreadyStored: boolean): Promise<void>;
  discardUpload(uploadId: string): Promise<void>;
  /** Stores a small file received whole (a multipart upload); nothing when it is already there. */
  putBlob(sha256: string, bytes: Buffer): Promise<void>;
  /** Bytes `start` to `end` (inclusive) of a stored file. */
  readBlob(sha256: string, start: number, end: number): AsyncIterable<Buffer>;
}

/** Rows of the database store hold at most this much: small enough to stream, large enough to be few. */
export const PIECE_BYTES = 1024 * 1024;

const uploadObject = (id: string) => `upload:${id}`;
const blobObject = (sha256: string) => `blob:${sha256}`;

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function createDatabaseMediaStore(db: Database): MediaStore {
  /** One row at a time, each cut to the range: a 512 MiB video is read 1 MiB at a time. */
  async function* readObject(object: string, start: number, end: number): AsyncIterable<Buffer> {
    const rows = await db.orm
      .select({ start: gridMediaChunks.start, length: sql<number>`octet_length(${gridMediaChunks.content})::int` })
      .from(gridMediaChunks)
      .where(eq(gridMediaChunks.object, object))
      .orderBy(asc(gridMediaChunks.start));
    for (const row of rows) {
      const rowStart = Number(row.start);
      const rowEnd = rowStart + Number(row.length) - 1;
      if (rowEnd < start) continue;
      if (rowStart > end) break;
      const [piece] = await db.orm
        .select({ content: gridMediaChunks.content })
        .from(gridMediaChunks)
        .where(and(eq(gridMediaChunks.object, object), eq(gridMediaChunks.start, rowStart)));
      if (!piece) throw new Error(`media store: a piece of ${object} vanished while it was read`);
      const bytes = asBuffer(piece.content);
      yield bytes.subarray(Math.max(0, start - rowStart), Math.min(bytes.length, end - rowStart + 1));
    }
  }

  return {
    kind: 'database',
    appendUpload: (uploadId, position, bytes, advance) =>
      db.orm.transaction(async (tx) => {
        if (!(await advance(tx))) return false;
        await tx
          .insert(gridMediaChunks)
          .values({ object: uploadObject(uploadId), start: position, content: bytes })
          .onConflictDoUpdate({ target: [gridMediaChunks.object, gridMediaChunks.start], set: { content: bytes } });
        return true;
      }),
    readUpload: (uploadId, size) => readObject(uploadObject(uploadId), 0, size - 1),
    commitUpload: async (uploadId, sha256, alreadyStored) => {
      // renaming keeps the bytes where they are: an UPDATE of the key column reuses the stored values
      if (alreadyStored) await db.orm.delete(gridMediaChunks).where(eq(gridMediaChunks.object, uploadObject(uploadId)));
      else
        await db.orm
          .update(gridMediaChunks)
          .set({ object: blobObject(sha256) })
          .where(eq(gridMediaChunks.object, uploadObject(uploadId)));
    },
    discardUpload: async (uploadId) => {
      await db.orm.delete(gridMediaChunks).where(eq(gridMediaChunks.object, uploadObject(uploadId)));
    },
    putBlob: async (sha256, bytes) => {
      for (let start = 0; start < bytes.length; start += PIECE_BYTES) {
        await db.orm
          .insert(gridMediaChunks)
          .values({ object: blobObject(sha256), start, content: bytes.subarray(start, start + PIECE_BYTES) })
          .onConflictDoNothing();
      }
    },
    readBlob: (sha256, start, end) => readObject(blobObject(sha256), start, end),
  };
}
