import { createHash, randomUUID } from 'node:crypto';
import { and, count, eq, isNull, sql } from 'drizzle-orm';
import type { Viewer } from '../../../src/auth/viewer';
import { ConflictError, ForbiddenError, ValidationError, type FieldProblem } from '../../../src/errors';
import { gridMedia, gridMediaBlobs, gridMediaUploads } from '../tables';
import type { GridDeps } from './deps';
import { cleanFileName, sniffMediaType } from './magic';
import { MediaRejectedError, type StoredMedia } from './media';
import { PIECE_BYTES, type MediaDb } from './media-store';
import { toMedia } from './rows';
import { scopeOf } from './scope';

/** Unfinished uploads one account may hold: each reserves room in the store until it completes. */
export const MAX_OPEN_UPLOADS = 20;

/** Where an upload stands: what a client resuming after a dropped connection asks for. */
export interface UploadState {
  id: string;
  size: number;
  offset: number;
  fileName: string | null;
  /** set once the upload is complete */
  mediaId: string | null;
  createdAt: Date;
}

export interface CreateUploadInput {
  size: unknown;
  fileName?: unknown;
  sha256?: unknown;
  idempotencyKey?: string | undefined;
}

/** A piece sent at an offset the upload has not reached: nothing was stored; resume from `offset`. */
export class UploadOffsetError extends ConflictError {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

function toState(row: typeof gridMediaUploads.$inferSelect): UploadState {
  return { id: row.id, size: Number(row.size), offset: Number(row.received), fileName: row.fileName, mediaId: row.mediaId, createdAt: row.createdAt };
}

async function requireUploader(deps: GridDeps, viewer: Viewer): Promise<string> {
  const scope = await scopeOf(deps, viewer);
  if (!scope.staff || !viewer.subject) throw new ForbiddenError('only grid staff upload media');
  return viewer.subject;
}

/**
 * Declares an upload. Its size is checked against MEDIA_MAX_BYTES here, before a byte is sent; a
 * create retried with the same idempotency key answers with the upload the first one made.
 */
export async function createUpload(deps: GridDeps, viewer: Viewer, input: CreateUploadInput): Promise<{ upload: UploadState; created: boolean }> {
  const owner = await requireUploader(deps, viewer);
  const problems: FieldProblem[] = [];
  const { size, fileName, sha256, idempotencyKey } = input;
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 1) problems.push({ path: 'size', message: 'the file size in bytes, at least 1' });
  if (fileName !== undefined && fileName !== null && (typeof fileName !== 'string' || fileName.length > 500))
    problems.push({ path: 'fileName', message: 'a name of at most 500 characters' });
  if (sha256 !== undefined && sha256 !== null && (typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/i.test(sha256)))
    problems.push({ path: 'sha256', message: 'the SHA-256 of the file, 64 hex digits' });
  if (idempotencyKey !== undefined && !/^[\x21-\x7e]{1,200}$/.test(idempotencyKey))
    problems.push({ path: 'Idempotency-Key', message: '1-200 printable ASCII characters' });
  if (problems.length > 0) throw new ValidationError(problems);
  if ((size as number) > deps.media.maxBytes)
    throw new MediaRejectedError(413, 'size', `a file may have at most ${deps.media.maxBytes} bytes (MEDIA_MAX_BYTES); this one has ${size as number}`);
  if (idempotencyKey !== undefined) {
    const [existing] = await deps.db.orm
      .select()
      .from(gridMediaUploads)
      .where(and(eq(gridMediaUploads.owner, owner), eq(gridMediaUploads.idempotencyKey, idempotencyKey)));
    if (existing) return { upload: sameUpload(existing, size as number), created: false };
  }
  const [open] = await deps.db.orm
    .select({ n: count() })
    .from(gridMediaUploads)
    .where(and(eq(gridMediaUploads.owner, owner), isNull(gridMediaUploads.mediaId)));
  if ((open?.n ?? 0) >= MAX_OPEN_UPLOADS)
    throw new ValidationError([{ path: 'size', message: `at most ${MAX_OPEN_UPLOADS} unfinished uploads per account: complete or cancel one first` }]);
  const now = deps.now();
  const inserted = await deps.db.orm
    .insert(gridMediaUploads)
    .values({
      id: randomUUID(),
      owner,
      idempotencyKey: idempotencyKey ?? null,
      size: size as number,
      fileName: cleanFileName(typeof fileName === 'string' ? fileName : undefined),
      expectedSha256: typeof sha256 === 'string' ? sha256.toLowerCase() : null,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing()
    .returning();
  if (inserted[0]) return { upload: toState(inserted[0]), created: true };
  // two creates with one key raced: the other one's upload is the answer
  const [winner] = await deps.db.orm
    .select()
    .from(gridMediaUploads)
    .where(and(eq(gridMediaUploads.owner, owner), eq(gridMediaUploads.idempotencyKey, idempotencyKey ?? '')));
  if (!winner) throw new ConflictError('the upload could not be created; retry');
  return { upload: sameUpload(winner, size as number), created: false };
}

function sameUpload(row: typeof gridMediaUploads.$inferSelect, size: number): UploadState {
  if (Number(row.size) !== size) throw new ConflictError(`this Idempotency-Key already created an upload of ${Number(row.size)} bytes`);
  return toState(row);
}

async function ownUpload(deps: GridDeps, viewer: Viewer, id: string): Promise<typeof gridMediaUploads.$inferSelect | undefined> {
  if (!/^[0-9a-f-]{36}$/.test(id) || !viewer.subject) return undefined;
  const [row] = await deps.db.orm
    .select()
    .from(gridMediaUploads)
    .where(and(eq(gridMediaUploads.id, id), eq(gridMediaUploads.owner, viewer.subject)));
  return row;
}

/** An upload of the viewer's; anyone else's is not found, so ids reveal nothing. */
export async function uploadState(deps: GridDeps, viewer: Viewer, id: string): Promise<UploadState | undefined> {
  const row = await ownUpload(deps, viewer, id);
  return row ? toState(row) : undefined;
}

/**
 * Appends the body of one request at `offset`. Bytes the upload already has (a piece re-sent after
 * a lost answer) are skipped, so sending a piece twice changes nothing; a gap is refused. What
 * arrives is stored piece by piece as it comes, and kept when the connection drops part-way: the
 * client asks for the offset and sends the rest.
 */
export async function appendToUpload(
  deps: GridDeps,
  viewer: Viewer,
  id: string,
  offset: number,
  body: AsyncIterable<Uint8Array>,
): Promise<UploadState | undefined> {
  const row = await ownUpload(deps, viewer, id);
  if (!row) return undefined;
  const size = Number(row.size);
  let position = Number(row.received);
  if (row.mediaId !== null) return toState(row);
  if (offset > position) throw new UploadOffsetError(position, `the upload has ${position} bytes; send from offset ${position}`);
  let skip = position - offset;
  const pending: Buffer[] = [];
  let pendingBytes = 0;

  const flush = async () => {
    if (pendingBytes === 0) return;
    const piece = pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending, pendingBytes);
    pending.length = 0;
    pendingBytes = 0;
    if (position === 0) checkType(piece);
    const from = position;
    const advance = async (db: MediaDb) =>
      (
        await db
          .update(gridMediaUploads)
          .set({ received: from + piece.length, updatedAt: deps.now() })
          .where(and(eq(gridMediaUploads.id, id), eq(gridMediaUploads.received, from)))
          .returning({ id: gridMediaUploads.id })
      ).length === 1;
    if (!(await deps.media.store.appendUpload(id, from, piece, advance))) {
      const [now] = await deps.db.orm.select({ received: gridMediaUploads.received }).from(gridMediaUploads).where(eq(gridMediaUploads.id, id));
      throw new UploadOffsetError(Number(now?.received ?? from), 'another request wrote to this upload meanwhile; ask for the offset and resume');
    }
    position = from + piece.length;
  };

  let tooLong = false;
  try {
    for await (const raw of body) {
      let chunk = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
      if (skip > 0) {
        const dropped = Math.min(skip, chunk.length);
        skip -= dropped;
        chunk = chunk.subarray(dropped);
      }
      if (chunk.length === 0) continue;
      const room = size - position - pendingBytes;
      if (chunk.length > room) {
        chunk = chunk.subarray(0, room);
        tooLong = true;
      }
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes >= PIECE_BYTES) await flush();
      if (tooLong) break;
    }
  } catch (error) {
    // the connection dropped: what arrived is kept, the client resumes from it
    await flush();
    throw error;
  }
  await flush();
  if (tooLong) throw new MediaRejectedError(413, 'body', `the upload was declared with ${size} bytes; the bytes past that were not stored`);
  return { ...toState(row), offset: position };
}

function checkType(first: Buffer): void {
  if (first.length >= 12 && !sniffMediaType(first)) throw new MediaRejectedError(415, 'body', 'not a JPEG, PNG or WebP photo, nor an MP4 or MOV video');
}

/**
 * Finishes an upload: its bytes are hashed as they are read back (never held whole), typed by their
 * content, and become a media record the app attaches to a patrol or snapshot. Completing again
 * answers with the same record.
 */
export async function completeUpload(deps: GridDeps, viewer: Viewer, id: string): Promise<StoredMedia | undefined> {
  const row = await ownUpload(deps, viewer, id);
  if (!row) return undefined;
  if (row.mediaId !== null) {
    const [media] = await deps.db.orm.select().from(gridMedia).where(eq(gridMedia.id, row.mediaId));
    if (media) return { ...toMedia(media), duplicate: false };
  }
  const size = Number(row.size);
  if (Number(row.received) !== size)
    throw new UploadOffsetError(Number(row.received), `the upload has ${Number(row.received)} of ${size} bytes; send the rest first`);
  const hash = createHash('sha256');
  let head = Buffer.alloc(0);
  let read = 0;
  for await (const chunk of deps.media.store.readUpload(id, size)) {
    const bytes = chunk as Buffer;
    hash.update(bytes);
    if (head.length < 64) head = Buffer.concat([head, bytes.subarray(0, 64 - head.length)]);
    read += bytes.length;
  }
  if (read !== size) throw new ConflictError('the upload is being completed by another request; ask again');
  const sha256 = hash.digest('hex');
  const contentType = sniffMediaType(head);
  if (!contentType || (row.expectedSha256 !== null && row.expectedSha256 !== sha256)) {
    await deps.media.store.discardUpload(id);
    await deps.db.orm.delete(gridMediaUploads).where(eq(gridMediaUploads.id, id));
    if (!contentType) throw new MediaRejectedError(415, 'body', 'not a JPEG, PNG or WebP photo, nor an MP4 or MOV video');
    throw new ValidationError([
      { path: 'sha256', message: `the bytes received hash to ${sha256}, not the SHA-256 declared: the upload was discarded, send the file again` },
    ]);
  }
  const [known] = await deps.db.orm.select({ sha256: gridMediaBlobs.sha256 }).from(gridMediaBlobs).where(eq(gridMediaBlobs.sha256, sha256));
  await deps.media.store.commitUpload(id, sha256, known !== undefined);
  const now = deps.now();
  return deps.db.orm.transaction(async (tx) => {
    await tx.insert(gridMediaBlobs).values({ sha256, content: null, size, contentType, createdAt: now }).onConflictDoNothing({ target: gridMediaBlobs.sha256 });
    const [media] = await tx
      .insert(gridMedia)
      .values({ id: randomUUID(), sha256, contentType, size, fileName: row.fileName, uploadedBy: row.owner, uploadedAt: now })
      .returning();
    await tx
      .update(gridMediaUploads)
      .set({ mediaId: (media as typeof gridMedia.$inferSelect).id, updatedAt: now })
      .where(eq(gridMediaUploads.id, id));
    return { ...toMedia(media as typeof gridMedia.$inferSelect), duplicate: known !== undefined };
  });
}

/** Drops an unfinished upload and the bytes it holds. */
export async function cancelUpload(deps: GridDeps, viewer: Viewer, id: string): Promise<boolean> {
  const row = await ownUpload(deps, viewer, id);
  if (!row) return false;
  if (row.mediaId !== null) throw new ConflictError('the upload is complete: its file is kept');
  await deps.media.store.discardUpload(id);
  await deps.db.orm.delete(gridMediaUploads).where(and(eq(gridMediaUploads.id, id), isNull(gridMediaUploads.mediaId)));
  return true;
}

/** Unfinished uploads untouched this long are dropped with their bytes (a phone that gave up). */
export async function sweepAbandonedUploads(deps: GridDeps, idleHours: number): Promise<number> {
  const rows = await deps.db.orm
    .select({ id: gridMediaUploads.id })
    .from(gridMediaUploads)
    .where(and(isNull(gridMediaUploads.mediaId), sql`${gridMediaUploads.updatedAt} < ${new Date(deps.now().getTime() - idleHours * 3_600_000)}`))
    .limit(100);
  for (const { id } of rows) {
    await deps.media.store.discardUpload(id);
    await deps.db.orm.delete(gridMediaUploads).where(and(eq(gridMediaUploads.id, id), isNull(gridMediaUploads.mediaId)));
  }
  return rows.length;
}
