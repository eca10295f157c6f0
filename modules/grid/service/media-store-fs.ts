import { randomUUID } from 'node:crypto';
import { constants, createReadStream, mkdirSync } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Database } from '../../../src/db';
import type { MediaStore } from './media-store';

/**
 * Files under one directory: `uploads/<id>` while an upload is filled (written in place at each
 * piece's offset, so a re-sent piece overwrites itself), `blobs/<ab>/<sha256>` once complete,
 * moved there by a rename so a reader never sees half a file.
 */
export function createFilesystemMediaStore(db: Database, dir: string): MediaStore {
  const uploads = join(dir, 'uploads');
  const blobs = join(dir, 'blobs');
  // at start, so a directory the hub may not write is found before the first upload
  mkdirSync(uploads, { recursive: true, mode: 0o700 });
  mkdirSync(blobs, { recursive: true, mode: 0o700 });
  const uploadPath = (id: string) => join(uploads, id);
  const blobPath = (sha256: string) => join(blobs, sha256.slice(0, 2), sha256);

  const moveIntoPlace = async (from: string, sha256: string) => {
    await mkdir(join(blobs, sha256.slice(0, 2)), { recursive: true, mode: 0o700 });
    await rename(from, blobPath(sha256));
  };

  return {
    kind: 'filesystem',
    appendUpload: async (uploadId, position, bytes, advance) => {
      const file = await open(uploadPath(uploadId), constants.O_WRONLY | constants.O_CREAT, 0o600);
      try {
        await file.write(bytes, 0, bytes.length, position);
        await file.datasync();
      } finally {
        await file.close();
      }
      return advance(db.orm);
    },
    readUpload: (uploadId, size) => createReadStream(uploadPath(uploadId), { start: 0, end: size - 1 }),
    commitUpload: async (uploadId, sha256, alreadyStored) => {
      if (alreadyStored || (await stat(blobPath(sha256)).catch(() => undefined))) await rm(uploadPath(uploadId), { force: true });
      else await moveIntoPlace(uploadPath(uploadId), sha256);
    },
    discardUpload: async (uploadId) => {
      await rm(uploadPath(uploadId), { force: true });
    },
    putBlob: async (sha256, bytes) => {
      if (await stat(blobPath(sha256)).catch(() => undefined)) return;
      const temporary = join(uploads, `whole-${randomUUID()}`);
      const file = await open(temporary, 'w', 0o600);
      try {
        await file.write(bytes);
        await file.datasync();
      } finally {
        await file.close();
      }
      await moveIntoPlace(temporary, sha256);
    },
    readBlob: (sha256, start, end) => createReadStream(blobPath(sha256), { start, end }),
  };
}
