import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';
import type { ServerResponse } from 'node:http';
import type { RouteHandler } from './http';
import { signToken } from './auth/jwt';

const require = createRequire(import.meta.url);
const WEB_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'web');

/** The screen's libraries, straight from their packages' own browser builds: no CDN on an intranet. */
const LIBRARIES: Record<string, { pkg: string; path: string }> = {
  'echarts.js': { pkg: 'echarts', path: 'dist/echarts.esm.min.mjs' },
  'hls.js': { pkg: 'hls.js', path: 'dist/hls.min.mjs' },
};
/** graphql-ws's client is an ES module importing a chunk beside it: the folder is served as it is. */
const GRAPHQL_WS_FILE = /^graphql-ws\/([A-Za-z0-9_-]+\.js)$/;
const OWN_FILE = /^([a-z][a-z0-9-]*)\.(js|css)$/;

function packageRoot(name: string): string {
  let dir = dirname(require.resolve(name));
  while (!existsSync(join(dir, 'package.json')) || JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name !== name) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`package ${name} not found`);
    dir = parent;
  }
  return dir;
}

export interface ScreenOptions {
  /** demo mode: the sign-in offers a one-click demo officer */
  demo: boolean;
  /** signs the demo officer's token; undefined when the hub verifies tokens from a JWKS */
  secret: string | undefined;
  issuer?: string | undefined;
  audience?: string | undefined;
}

interface Asset {
  body: Buffer;
  type: string;
  /** the source file's modification time, so an edited screen file is served fresh */
  mtimeMs: number;
}

function send(response: ServerResponse, status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), ...headers });
  response.end(body);
}

/**
 * The duty-room screen at `/`: web/index.html, the screen's own TypeScript (web/*.ts) compiled to
 * ES modules on first request, and its libraries from node_modules. `GET /web/config.json` tells
 * the screen whether this is the demo; in the demo, `POST /web/demo-token` signs a district
 * officer's token for the one-click sign-in, and nowhere else.
 */
export function createScreenRoute(options: ScreenOptions): RouteHandler {
  const cache = new Map<string, Asset>();
  const load = (key: string, file: string, type: string, compile: boolean): Asset | undefined => {
    if (!existsSync(file)) return undefined;
    const mtimeMs = statSync(file).mtimeMs;
    const cached = cache.get(key);
    if (cached && cached.mtimeMs === mtimeMs) return cached;
    const source = readFileSync(file);
    const body = compile
      ? Buffer.from(transformSync(source.toString('utf8'), { loader: 'ts', format: 'esm', target: 'es2022', sourcefile: file }).code)
      : source;
    const asset = { body, type, mtimeMs };
    cache.set(key, asset);
    return asset;
  };
  const assetOf = (name: string): Asset | undefined => {
    if (name.startsWith('lib/')) {
      const lib = name.slice(4);
      const library = Object.hasOwn(LIBRARIES, lib) ? LIBRARIES[lib] : undefined;
      if (library) return load(name, join(packageRoot(library.pkg), library.path), 'text/javascript; charset=utf-8', false);
      const ws = GRAPHQL_WS_FILE.exec(lib);
      if (ws) return load(name, join(packageRoot('graphql-ws'), 'dist', ws[1] as string), 'text/javascript; charset=utf-8', false);
      return undefined;
    }
    const own = OWN_FILE.exec(name);
    if (!own) return undefined;
    const [, base, ext] = own;
    return ext === 'css'
      ? load(name, join(WEB_DIR, `${base}.css`), 'text/css; charset=utf-8', false)
      : load(name, join(WEB_DIR, `${base}.ts`), 'text/javascript; charset=utf-8', true);
  };

  return async (request, response, url) => {
    const method = request.method ?? 'GET';
    if (url.pathname === '/' && (method === 'GET' || method === 'HEAD')) {
      const page = load('index.html', join(WEB_DIR, 'index.html'), 'text/html; charset=utf-8', false);
      if (!page) return false;
      send(response, 200, page.type, page.body, { 'cache-control': 'no-cache' });
      return true;
    }
    if (!url.pathname.startsWith('/web/')) return false;
    const name = url.pathname.slice('/web/'.length);
    if (name === 'config.json' && method === 'GET') {
      send(response, 200, 'application/json; charset=utf-8', JSON.stringify({ demo: options.demo && options.secret !== undefined }), {
        'cache-control': 'no-store',
      });
      return true;
    }
    if (name === 'demo-token') {
      if (method !== 'POST' || !options.demo || !options.secret) {
        send(response, 404, 'application/json; charset=utf-8', JSON.stringify({ error: 'not found' }));
        return true;
      }
      const token = await signToken({ sub: 'district-officer-01', roles: ['district'], name: '值班员（演示）' }, options.secret, {
        ttlSeconds: 12 * 3600,
        issuer: options.issuer,
        audience: options.audience,
      });
      send(response, 200, 'application/json; charset=utf-8', JSON.stringify({ token }), { 'cache-control': 'no-store' });
      return true;
    }
    const asset = method === 'GET' || method === 'HEAD' ? assetOf(name) : undefined;
    if (!asset) {
      send(response, 404, 'application/json; charset=utf-8', JSON.stringify({ error: 'not found' }));
      return true;
    }
    send(response, 200, asset.type, asset.body, { 'cache-control': name.startsWith('lib/') ? 'public, max-age=86400' : 'no-cache' });
    return true;
  };
}
