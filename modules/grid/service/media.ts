import { createHash, randomUUID } from 'node:crypto';
import { asc, eq, inArray } from 'drizzle-orm';
import type { Viewer } from '../../../src/auth/viewer';
import { ForbiddenError, ValidationError } from '../../../src/graphql/errors';
import { gridMedia, gridMediaBlobs } from '../tables';
import type { GridDeps } from './deps';
import { cleanFileName, sniffMediaType } from './magic';
import { patrolsByIds } from './patrols';
import { toMedia } from './rows';
import { scopeOf } from './scope';
import type { GridMedia } from './types';

/**
 * Upload limits. Blobs live in the database (`grid_media_blobs`, bytea), the same on both engines
 * and in memory-only test hubs, inside backups and transactions, and outside any served path: a
 * file is only ever read back through the scope check of `GET /media/<id>`.
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
  if (files.length > MEDIA_LIMITS.maxFilesPerRequest) throw new ValidationError([{ path: 'files', message: `at most ${MEDIA_LIMITS.maxFilesPerRequest} files per request` }]);
  const prepared = files.map((file, index) => {
    if (file.bytes.length === 0) throw new ValidationError([{ path: `files.${index}`, message: 'empty file' }]);
    if (file.bytes.length > MEDIA_LIMITS.maxFileBytes) throw new MediaRejectedError(413, `files.${index}`, `larger than ${MEDIA_LIMITS.maxFileBytes} bytes`);
    const contentType = sniffMediaType(file.bytes);
    if (!contentType) throw new MediaRejectedError(415, `files.${index}`, 'not a JPEG, PNG or WebP photo, nor an MP4 or MOV video');
    return { bytes: file.bytes, contentType, fileName: cleanFileName(file.fileName), sha256: createHash('sha256').update(file.bytes).digest('hex') };
  });
  const now = deps.now();
  return deps.db.orm.transaction(async (tx) => {
    const stored: StoredMedia[] = [];
    for (const file of prepared) {
      const inserted = await tx
        .insert(gridMediaBlobs)
        .values({ sha256: file.sha256, content: file.bytes, size: file.bytes.length, contentType: file.contentType, createdAt: now })
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

/**
 * A file and its content, when the viewer may have it: the district sees all, the uploader their
 * own, anyone else only files attached to a patrol they may see.
 */
export async function mediaForDownload(deps: GridDeps, viewer: Viewer, id: string): Promise<{ media: GridMedia; content: Buffer } | undefined> {
  if (!/^[0-9a-f-]{36}$/.test(id)) return undefined;
  const scope = await scopeOf(deps, viewer);
  if (!scope.staff) return undefined;
  const [row] = await deps.db.orm.select().from(gridMedia).where(eq(gridMedia.id, id));
  if (!row) return undefined;
  const media = toMedia(row);
  let allowed = scope.all || media.uploadedBy === viewer.subject;
  if (!allowed && media.patrolId !== null) allowed = (await patrolsByIds(deps, viewer, [media.patrolId]))[0] !== undefined;
  if (!allowed) return undefined;
  const [blob] = await deps.db.orm.select({ content: gridMediaBlobs.content }).from(gridMediaBlobs).where(eq(gridMediaBlobs.sha256, media.sha256));
  if (!blob) return undefined;
  return { media, content: Buffer.from(blob.content) };
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
