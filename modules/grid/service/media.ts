import { createHash, randomUUID } from 'node:crypto';
import { asc, eq, inArray, sql } from 'drizzle-orm';
import type { Viewer } from '../../../src/auth/viewer';
import { ForbiddenError, ValidationError } from '../../../src/errors';
import { gridMedia, gridMediaBlobs } from '../tables';
import type { GridDeps } from './deps';
import { cleanFileName, hasThumbnail, sniffMediaType } from './magic';
import type { SignedUrl } from './media-url';
import { patrolsByIds } from './patrols';
import { toMedia } from './rows';
import { scopeOf } from './scope';
import type { GridMedia } from './types';

/**
 * Limits of the one-request multipart upload, for photos and short clips; larger files take the
 * resumable upload (`uploads.ts`). Contents go to the media store, never to a served directory: a
 * file is only read back through `GET /media/<id>`, with a token in scope or a signed URL.
 */
export const MEDIA_LIMITS = Object.freeze({
  /** one photo or a short video clip from the mobile app */
  maxFileBytes: 16 * 1024 * 1024,
  maxFilesPerRequest: 6,
  /** the whole multipart body, parts and headers included */
  maxRequestBytes: 48 * 1024 * 1024,
});

/** A file refused for its size (413) or its content (415): the upload route answers with that status. */
export class MediaRejectedError extends ValidationError {
  constructor(
    readonly status: 413 | 415,
    path: string,
    message: string,
  ) {
    super([{ path, message }]);
  }
}

export interface UploadedFile {
  bytes: Buffer;
  fileName?: string | undefined;
}

export interface StoredMedia extends GridMedia {
  /** the same content was already stored: no second copy was kept */
  duplicate: boolean;
}

/** Stores uploads for the viewer; the whole request fails if one file is not acceptable. */
export async function storeMedia(deps: GridDeps, viewer: Viewer, files: readonly UploadedFile[]): Promise<StoredMedia[]> {
  const scope = await scopeOf(deps, viewer);
  if (!scope.staff || !viewer.subject) throw new ForbiddenError('only grid staff upload media');
  if (files.length === 0) throw new ValidationError([{ path: 'files', message: 'no file in the request' }]);
  if (files.length > MEDIA_LIMITS.maxFilesPerRequest)
    throw new ValidationError([{ path: 'files', message: `at most ${MEDIA_LIMITS.maxFilesPerRequest} files per request` }]);
  const prepared = files.map((file, index) => {
    if (file.bytes.length === 0) throw new ValidationError([{ path: `files.${index}`, message: 'empty file' }]);
    if (file.bytes.length > MEDIA_LIMITS.maxFileBytes) throw new MediaRejectedError(413, `files.${index}`, `larger than ${MEDIA_LIMITS.maxFileBytes} bytes`);
    const contentType = sniffMediaType(file.bytes);
    if (!contentType) throw new MediaRejectedError(415, `files.${index}`, 'not a JPEG, PNG or WebP photo, nor an MP4 or MOV video');
    return { bytes: file.bytes, contentType, fileName: cleanFileName(file.fileName), sha256: createHash('sha256').update(file.bytes).digest('hex') };
  });
  const now = deps.now();
  // the bytes first: a blob row is only ever seen with its contents in place
  for (const file of prepared) await deps.media.store.putBlob(file.sha256, file.bytes);
  return deps.db.orm.transaction(async (tx) => {
    const stored: StoredMedia[] = [];
    for (const file of prepared) {
      const inserted = await tx
        .insert(gridMediaBlobs)
        .values({ sha256: file.sha256, content: null, size: file.bytes.length, contentType: file.contentType, createdAt: now })
        .onConflictDoNothing({ target: gridMediaBlobs.sha256 })
        .returning({ sha256: gridMediaBlobs.sha256 });
      const [row] = await tx
        .insert(gridMedia)
        .values({
          id: randomUUID(),
          sha256: file.sha256,
          contentType: file.contentType,
          size: file.bytes.length,
          fileName: file.fileName,
          uploadedBy: viewer.subject as string,
          uploadedAt: now,
        })
        .returning();
      stored.push({ ...toMedia(row as typeof gridMedia.$inferSelect), duplicate: inserted.length === 0 });
    }
    return stored;
  });
}

/** A stored file, ready to be read in ranges. */
export interface MediaFile {
  media: GridMedia;
  /** bytes `start` to `end`, inclusive, streamed */
  read(start: number, end: number): AsyncIterable<Buffer>;
}

async function fileOf(deps: GridDeps, media: GridMedia): Promise<MediaFile | undefined> {
  const [blob] = await deps.db.orm
    .select({ legacy: sql<boolean>`${gridMediaBlobs.content} is not null` })
    .from(gridMediaBlobs)
    .where(eq(gridMediaBlobs.sha256, media.sha256));
  if (!blob) return undefined;
  if (!blob.legacy) return { media, read: (start, end) => deps.media.store.readBlob(media.sha256, start, end) };
  // stored whole in its row before the media store existed: at most 16 MiB
  return {
    media,
    read: async function* (start, end) {
      const [row] = await deps.db.orm.select({ content: gridMediaBlobs.content }).from(gridMediaBlobs).where(eq(gridMediaBlobs.sha256, media.sha256));
      if (row?.content) yield Buffer.from(row.content).subarray(start, end + 1);
    },
  };
}

/**
 * A file, when the viewer may have it: the district sees all, the uploader their own, anyone else
 * only files attached to a patrol they may see.
 */
export async function mediaForDownload(deps: GridDeps, viewer: Viewer, id: string): Promise<MediaFile | undefined> {
  if (!/^[0-9a-f-]{36}$/.test(id)) return undefined;
  const scope = await scopeOf(deps, viewer);
  if (!scope.staff) return undefined;
  const [row] = await deps.db.orm.select().from(gridMedia).where(eq(gridMedia.id, id));
  if (!row) return undefined;
  const media = toMedia(row);
  let allowed = scope.all || media.uploadedBy === viewer.subject;
  if (!allowed && media.patrolId !== null) allowed = (await patrolsByIds(deps, viewer, [media.patrolId]))[0] !== undefined;
  if (!allowed) return undefined;
  return fileOf(deps, media);
}

/** A file by id, for a request that carries a valid signed URL: the signature stands for the scope check. */
export async function mediaBySignedUrl(deps: GridDeps, id: string): Promise<MediaFile | undefined> {
  if (!/^[0-9a-f-]{36}$/.test(id)) return undefined;
  const [row] = await deps.db.orm.select().from(gridMedia).where(eq(gridMedia.id, id));
  return row ? fileOf(deps, toMedia(row)) : undefined;
}

export const mediaPath = (id: string) => `/media/${id}`;
export const thumbnailPath = (id: string) => `${mediaPath(id)}/thumbnail`;

/** A signed URL of a media file, for a field of a record the viewer may see. */
export function signedMediaUrl(deps: GridDeps, id: string): SignedUrl {
  return deps.media.signer.sign(mediaPath(id), deps.now());
}

/** The signed URLs of a file and of its thumbnail (photos only), signed at one instant so they expire together. */
export interface MediaLinks extends SignedUrl {
  thumbnailUrl: string | null;
}

export function signedMediaLinks(deps: GridDeps, media: Pick<GridMedia, 'id' | 'contentType'>): MediaLinks {
  const now = deps.now();
  const file = deps.media.signer.sign(mediaPath(media.id), now);
  return { ...file, thumbnailUrl: hasThumbnail(media) ? deps.media.signer.sign(thumbnailPath(media.id), now).url : null };
}

/** Each patrol's media, oldest first. The caller has checked the patrols are visible. */
export async function mediaOfPatrols(deps: GridDeps, patrolIds: readonly number[]): Promise<GridMedia[][]> {
  if (patrolIds.length === 0) return [];
  const rows = await deps.db.orm
    .select()
    .from(gridMedia)
    .where(inArray(gridMedia.patrolId, [...new Set(patrolIds)]))
    .orderBy(asc(gridMedia.uploadedAt), asc(gridMedia.id));
  const media = rows.map(toMedia);
  return patrolIds.map((id) => media.filter((m) => m.patrolId === id));
}
