/**
 * The media store's settings: signed URLs, the largest upload, and where file contents live.
 */
import { ConfigError, readInt, readString, type Env, type Setting } from './config-env';

/** Signed media URLs: long enough to watch a video, short enough that a leaked link soon dies. */
export const MIN_MEDIA_URL_TTL_SECONDS = 60;
export const MAX_MEDIA_URL_TTL_SECONDS = 86400;
export const DEFAULT_MEDIA_MAX_BYTES = 512 * 1024 * 1024;
/** File sizes are kept in 32-bit integer columns. */
export const MAX_MEDIA_BYTES = 2 ** 31 - 1;

export interface MediaConfig {
  /** how long a signed media URL stays valid */
  urlTtlSeconds: number;
  /** the largest file one resumable upload may declare */
  maxBytes: number;
  /** where file contents live: rows in the database, or files under `dir` */
  store: 'database' | 'filesystem';
  dir: string;
}

/** The media settings, in README order (SETTINGS in config.ts lists them in place). */
export const MEDIA_SETTINGS: readonly Setting[] = [
  {
    name: 'MEDIA_URL_TTL_SECONDS',
    default: '900',
    description: `lifetime of the signed media URLs GraphQL hands out (\`url\`, \`thumbnailUrl\`, \`mediaUrl\`), ${MIN_MEDIA_URL_TTL_SECONDS}-${MAX_MEDIA_URL_TTL_SECONDS}; the key is derived from JWT_SECRET`,
  },
  {
    name: 'MEDIA_MAX_BYTES',
    default: String(DEFAULT_MEDIA_MAX_BYTES),
    description: `the largest file a resumable upload may declare (512 MiB), 1 MiB to ${MAX_MEDIA_BYTES} bytes; larger ones are refused before anything is stored`,
  },
  {
    name: 'MEDIA_STORE',
    default: 'database',
    description: '`database` (file contents in rows of 1 MiB, in backups; the embedded demo) or `filesystem` (files under MEDIA_DIR; production)',
  },
  {
    name: 'MEDIA_DIR',
    default: '<HUB_DATA_DIR>/media',
    description: 'directory of the filesystem media store (blobs and unfinished uploads); must not be served by anything else',
  },
];

export function readMedia(env: Env, dataDir: string): MediaConfig {
  const store = readString(env, 'MEDIA_STORE') ?? 'database';
  if (store !== 'database' && store !== 'filesystem') throw new ConfigError(`MEDIA_STORE must be database or filesystem, got "${store}"`);
  const dir = readString(env, 'MEDIA_DIR') ?? (dataDir === 'memory://' ? '' : `${dataDir.replace(/\/+$/, '')}/media`);
  if (store === 'filesystem' && !dir) throw new ConfigError('MEDIA_STORE=filesystem needs MEDIA_DIR when HUB_DATA_DIR is memory://');
  return {
    urlTtlSeconds: readInt(env, 'MEDIA_URL_TTL_SECONDS', 900, MIN_MEDIA_URL_TTL_SECONDS, MAX_MEDIA_URL_TTL_SECONDS),
    maxBytes: readInt(env, 'MEDIA_MAX_BYTES', DEFAULT_MEDIA_MAX_BYTES, 1024 * 1024, MAX_MEDIA_BYTES),
    store,
    dir,
  };
}
