import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { gridMediaThumbnails } from '../tables';
import type { GridDeps } from './deps';
import { hasThumbnail } from './magic';
import type { MediaFile } from './media';
import type { GridMedia } from './types';

/**
 * Thumbnails of photos for the app's lists: a JPEG of at most 320 px on its longest side, made once
 * per content on its first request and kept in the media store, so a restart or another instance
 * does not make it again. Videos have none.
 */
export const THUMBNAIL_LIMITS = Object.freeze({
  longestSide: 320,
  quality: 75,
  /**
   * Photos larger than this in pixels get no thumbnail: 100 megapixels is past the phones the
   * bureau's assistants carry, and below it a decode stays within a few hundred MiB. An image bomb
   * (a small file declaring huge dimensions) is refused from its header, before anything is decoded.
   */
  maxInputPixels: 100_000_000,
  /** the bytes a photo is read into memory for its thumbnail: a multipart photo is at most 16 MiB */
  maxSourceBytes: 64 * 1024 * 1024,
  /** a decode that takes longer than this is given up */
  timeoutSeconds: 20,
  /**
   * thumbnails made at once in one process; more wait their turn. The first look at a list of new
   * photos asks for all of them together, and each holds its photo in memory while it is decoded.
   */
  concurrent: 2,
});

export const THUMBNAIL_CONTENT_TYPE = 'image/jpeg';

/** A photo the decoder refused: corrupt, truncated, too large. The message says why, for the app. */
export class ThumbnailFailedError extends Error {}

export interface Thumbnail {
  bytes: Buffer;
  width: number;
  height: number;
}

type Sharp = typeof import('sharp');
let loaded: Promise<Sharp> | undefined;

/** libvips is loaded on the first thumbnail: a hub that makes none never maps it. */
function loadSharp(): Promise<Sharp> {
  loaded ??= import('sharp').then(({ default: sharp }) => {
    // each photo is thumbnailed once: libvips' operation cache would only hold memory
    sharp.cache(false);
    return sharp;
  });
  return loaded;
}

/**
 * Scales a photo down to a JPEG thumbnail, turned the way its EXIF orientation says, transparency on
 * white, metadata (the position among it) left out. Throws ThumbnailFailedError for input libvips
 * refuses; never decodes more than THUMBNAIL_LIMITS.maxInputPixels.
 */
export async function makeThumbnail(photo: Buffer): Promise<Thumbnail> {
  const sharp = await loadSharp();
  try {
    const { data, info } = await sharp(photo, { limitInputPixels: THUMBNAIL_LIMITS.maxInputPixels, failOn: 'error', sequentialRead: true })
      .rotate()
      .resize(THUMBNAIL_LIMITS.longestSide, THUMBNAIL_LIMITS.longestSide, { fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: THUMBNAIL_LIMITS.quality, mozjpeg: true })
      .timeout({ seconds: THUMBNAIL_LIMITS.timeoutSeconds })
      .toBuffer({ resolveWithObject: true });
    return { bytes: data, width: info.width, height: info.height };
  } catch (error) {
    const reason =
      (error as Error).message
        .split('\n')[0]
        ?.replace(/^Input (buffer|file) (has )?/, '')
        .slice(0, 200) || 'unreadable';
    throw new ThumbnailFailedError(
      /pixel limit/i.test(reason) ? `the photo has more than ${THUMBNAIL_LIMITS.maxInputPixels} pixels` : `the photo could not be decoded: ${reason}`,
    );
  }
}

/** What a request for a thumbnail gets. */
export type ThumbnailOutcome = { kind: 'file'; file: MediaFile } | { kind: 'none' } | { kind: 'failed'; reason: string };

type Row = typeof gridMediaThumbnails.$inferSelect;

/** Thumbnails being made in this process, by the photo's hash: a list of twenty asks once each. */
const making = new WeakMap<GridDeps, Map<string, Promise<Row>>>();

/** Turns to make a thumbnail: at most THUMBNAIL_LIMITS.concurrent at once, the others queued in order. */
let running = 0;
const waiting: (() => void)[] = [];
async function inTurn<T>(work: () => Promise<T>): Promise<T> {
  if (running >= THUMBNAIL_LIMITS.concurrent) await new Promise<void>((resolve) => waiting.push(resolve));
  else running += 1;
  try {
    return await work();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  }
}

function outcomeOf(deps: GridDeps, media: GridMedia, row: Row): ThumbnailOutcome {
  if (row.sha256 === null || row.size === null) return { kind: 'failed', reason: row.error ?? 'no thumbnail could be made' };
  const sha256 = row.sha256;
  const size = row.size;
  return {
    kind: 'file',
    file: {
      media: { ...media, sha256, size, contentType: row.contentType ?? THUMBNAIL_CONTENT_TYPE, fileName: null },
      read: (start, end) => deps.media.store.readBlob(sha256, start, end),
    },
  };
}

async function readWhole(file: MediaFile): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of file.read(0, file.media.size - 1)) parts.push(part);
  return Buffer.concat(parts);
}

async function make(deps: GridDeps, original: MediaFile): Promise<Row> {
  const source = original.media.sha256;
  let row: Row = { sourceSha256: source, sha256: null, contentType: null, size: null, width: null, height: null, error: null, createdAt: deps.now() };
  const started = performance.now();
  try {
    if (original.media.size > THUMBNAIL_LIMITS.maxSourceBytes)
      throw new ThumbnailFailedError(`the photo is larger than ${THUMBNAIL_LIMITS.maxSourceBytes} bytes`);
    const thumbnail = await makeThumbnail(await readWhole(original));
    const sha256 = createHash('sha256').update(thumbnail.bytes).digest('hex');
    // the bytes first: a row is only ever seen with its thumbnail in place
    await deps.media.store.putBlob(sha256, thumbnail.bytes);
    row = { ...row, sha256, contentType: THUMBNAIL_CONTENT_TYPE, size: thumbnail.bytes.length, width: thumbnail.width, height: thumbnail.height };
    deps.logger.debug(
      { source, width: thumbnail.width, height: thumbnail.height, bytes: thumbnail.bytes.length, ms: Math.round(performance.now() - started) },
      'thumbnail made',
    );
  } catch (error) {
    if (!(error instanceof ThumbnailFailedError)) throw error;
    row = { ...row, error: error.message };
    deps.logger.warn({ source, mediaId: original.media.id, reason: error.message }, 'no thumbnail for this photo; the original is still served');
  }
  // made at once on another instance: the first row stands
  await deps.db.orm.insert(gridMediaThumbnails).values(row).onConflictDoNothing({ target: gridMediaThumbnails.sourceSha256 });
  const [stored] = await deps.db.orm.select().from(gridMediaThumbnails).where(eq(gridMediaThumbnails.sourceSha256, source));
  return stored ?? row;
}

/**
 * The thumbnail of a file the caller may already see (its visibility is the original's): made on the
 * first request, read from the store after that. A video has none; a photo libvips refuses has a
 * reason instead, and its original is served as ever.
 */
export async function thumbnailOf(deps: GridDeps, original: MediaFile): Promise<ThumbnailOutcome> {
  const { media } = original;
  if (!hasThumbnail(media)) return { kind: 'none' };
  const [known] = await deps.db.orm.select().from(gridMediaThumbnails).where(eq(gridMediaThumbnails.sourceSha256, media.sha256));
  if (known) return outcomeOf(deps, media, known);
  let pending = making.get(deps);
  if (!pending) {
    pending = new Map();
    making.set(deps, pending);
  }
  let job = pending.get(media.sha256);
  if (!job) {
    const jobs = pending;
    job = inTurn(() => make(deps, original)).finally(() => jobs.delete(media.sha256));
    pending.set(media.sha256, job);
  }
  return outcomeOf(deps, media, await job);
}
