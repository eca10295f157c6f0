import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { migrate } from './migrate';
import { openPglite } from './pglite';
import { CACHE_DIR, PREFIX, templatePath } from './template';

/** Builds the template if there is none for this build; removes templates of other builds. */
export async function buildTemplate(): Promise<{ path: string; built: boolean }> {
  const path = templatePath();
  if (existsSync(join(path, 'PG_VERSION'))) return { path, built: false };
  const building = `${path}.building-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  const db = await openPglite(building, undefined, { template: false });
  try {
    await migrate(db, pino({ level: 'silent' }));
  } finally {
    await db.close();
  }
  for (const name of existsSync(CACHE_DIR) ? readdirSync(CACHE_DIR) : []) {
    if (name.startsWith(PREFIX) && join(CACHE_DIR, name) !== building) rmSync(join(CACHE_DIR, name), { recursive: true, force: true });
  }
  renameSync(building, path);
  return { path, built: true };
}
