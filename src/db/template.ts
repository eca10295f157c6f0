/**
 * A migrated, empty embedded database kept as a template, so that a new data directory starts as
 * a copy of it instead of running PostgreSQL's initdb, creating TimescaleDB and applying every
 * migration (the larger part of a first start). `npm install` builds it (template-build.ts, run by scripts/pglite-template.mjs);
 * it holds the schema only: the demo district is seeded at start as ever. It is named by the
 * PGlite build and the migrations' contents, so a template built for other migrations is never
 * used: without a matching one, a new data directory is created the long way.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { listMigrations } from './migrate';

export const CACHE_DIR = new URL('../../node_modules/.cache/envhub/', import.meta.url).pathname;
export const PREFIX = 'pglite-template-';

/** The installed PGlite's name and version (its build decides the data directory's format). */
function pgliteVersion(): string {
  let dir = dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name) return `${pkg.name}@${pkg.version ?? ''}`;
    }
    const parent = dirname(dir);
    if (parent === dir) return 'unknown';
    dir = parent;
  }
}

/** Where the template for this PGlite build and these migrations is (or would be). */
export function templatePath(): string {
  const { schema, timescale } = listMigrations();
  const hash = createHash('sha256').update(pgliteVersion());
  for (const migration of [...schema, ...timescale]) hash.update(`\n${migration.id}:${migration.hash}`);
  return join(CACHE_DIR, `${PREFIX}${hash.digest('hex').slice(0, 16)}`);
}

/**
 * Makes a new data directory (one holding no database yet) a copy of the template, when there is
 * one for this build; says whether it did.
 */
export async function createFromTemplate(dataDir: string): Promise<boolean> {
  if (existsSync(join(dataDir, 'PG_VERSION'))) return false;
  const template = templatePath();
  if (!existsSync(join(template, 'PG_VERSION'))) return false;
  await mkdir(dataDir, { recursive: true });
  // copied off the main thread: the hub's modules go on loading meanwhile
  await cp(template, dataDir, { recursive: true });
  return true;
}
