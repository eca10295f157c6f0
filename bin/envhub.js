#!/usr/bin/env node
// Runs the TypeScript entry with no build step between a checkout and a running hub: the sources
// are bundled by esbuild into node_modules/.cache/envhub on the first run and again whenever one
// of them changes (a check of their sizes and times), since loading one file starts the hub
// seconds sooner than loading each source through tsx's loader. Libraries stay outside the bundle,
// loaded from node_modules as before. ENVHUB_TSX=1, or a failed bundle, runs the sources through
// tsx instead.
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CACHE = join(ROOT, 'node_modules', '.cache', 'envhub');
const BUNDLE = join(CACHE, 'envhub.mjs');
const INPUTS = join(CACHE, 'envhub.inputs.json');

/** True when the bundle was built from the sources as they are now. */
function bundleIsCurrent() {
  try {
    const inputs = JSON.parse(readFileSync(INPUTS, 'utf8'));
    if (inputs.node !== process.version) return false;
    statSync(BUNDLE);
    return inputs.files.every(([file, size, mtimeMs]) => {
      const stat = statSync(join(ROOT, file));
      return stat.size === size && stat.mtimeMs === mtimeMs;
    });
  } catch {
    return false;
  }
}

async function buildBundle() {
  const { build } = await import('esbuild');
  mkdirSync(CACHE, { recursive: true });
  const partial = `${BUNDLE}.${process.pid}`;
  const result = await build({
    entryPoints: [join(ROOT, 'src', 'main.ts')],
    absWorkingDir: ROOT,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: `node${process.versions.node.split('.')[0]}`,
    packages: 'external',
    outfile: partial,
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'silent',
    plugins: [
      {
        // each source keeps its own location for what it finds beside it (migrations, web/, ...)
        name: 'import-meta-url',
        setup(esbuild) {
          esbuild.onLoad({ filter: /\.ts$/ }, (args) => ({
            contents: readFileSync(args.path, 'utf8').replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
            loader: 'ts',
          }));
        },
      },
    ],
  });
  const files = Object.keys(result.metafile.inputs).map((file) => {
    const stat = statSync(join(ROOT, file));
    return [file, stat.size, stat.mtimeMs];
  });
  const map = readFileSync(`${partial}.map`, 'utf8');
  writeFileSync(`${BUNDLE}.map`, map);
  rmSync(`${partial}.map`, { force: true });
  // the bundle names its map by the partial file's name: point it at the final one
  writeFileSync(partial, readFileSync(partial, 'utf8').replace(/\/\/# sourceMappingURL=.*\s*$/, `//# sourceMappingURL=envhub.mjs.map\n`));
  renameSync(partial, BUNDLE);
  writeFileSync(INPUTS, JSON.stringify({ node: process.version, files }));
}

let bundled = false;
if (process.env.ENVHUB_TSX !== '1') {
  try {
    if (!bundleIsCurrent()) await buildBundle();
    bundled = true;
  } catch (error) {
    process.stderr.write(`envhub: running the sources through tsx (no bundle: ${error instanceof Error ? error.message : String(error)})\n`);
  }
}
if (bundled) {
  // The bundle's libraries are imports of its own, evaluated before any of its code: src/production.ts
  // inside it would set NODE_ENV after graphql-js had already chosen its development checks.
  process.env.NODE_ENV ??= 'production';
  process.setSourceMapsEnabled(true);
  await import(pathToFileURL(BUNDLE).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/main.ts');
}
