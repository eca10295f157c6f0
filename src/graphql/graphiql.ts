import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/** A package's folder; `exports` maps hide the UMD files from require.resolve. */
function packageRoot(name: string): string {
  let dir = dirname(require.resolve(name));
  while (!existsSync(join(dir, 'package.json')) || JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name !== name) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`package ${name} not found`);
    dir = parent;
  }
  return dir;
}

/** GraphiQL and React from the installed packages: the IDE works on networks without a CDN. */
const ASSETS: Record<string, { pkg: string; path: string; type: string }> = {
  'react.js': { pkg: 'react', path: 'umd/react.production.min.js', type: 'text/javascript' },
  'react-dom.js': { pkg: 'react-dom', path: 'umd/react-dom.production.min.js', type: 'text/javascript' },
  'graphiql.js': { pkg: 'graphiql', path: 'graphiql.min.js', type: 'text/javascript' },
  'graphiql.css': { pkg: 'graphiql', path: 'graphiql.min.css', type: 'text/css' },
  'graphql-ws.js': { pkg: 'graphql-ws', path: 'umd/graphql-ws.min.js', type: 'text/javascript' },
};

const cache = new Map<string, Buffer>();

export function graphiqlAsset(name: string): { body: Buffer; type: string } | undefined {
  const asset = ASSETS[name];
  if (!asset || !Object.hasOwn(ASSETS, name)) return undefined;
  let body = cache.get(name);
  if (!body) {
    body = readFileSync(join(packageRoot(asset.pkg), asset.path));
    cache.set(name, body);
  }
  return { body, type: asset.type };
}

/** The example operations GraphiQL opens with: one file, run by a test against the demo district. */
export const EXAMPLES_PATH = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'operations', 'examples.graphql');

let examples: string | undefined;
function defaultQuery(): string {
  examples ??= existsSync(EXAMPLES_PATH) ? readFileSync(EXAMPLES_PATH, 'utf8') : '# envhub\nquery HubInfo {\n  hub { version modules }\n}\n';
  return examples;
}

/**
 * GraphiQL from the hub's own files. Queries and mutations go over HTTP; subscriptions over
 * graphql-ws on the same path, with the Authorization header from the Headers tab sent as the
 * connection's `connectionParams` (one socket per distinct header, so changing the token in the
 * tab takes effect at once).
 */
export function graphiqlPage(endpoint: string): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>envhub GraphQL</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${endpoint}/assets/graphiql.css">
<style>html,body,#graphiql{height:100%;margin:0}</style>
</head>
<body>
<div id="graphiql">Loading…</div>
<script src="${endpoint}/assets/react.js"></script>
<script src="${endpoint}/assets/react-dom.js"></script>
<script src="${endpoint}/assets/graphiql.js"></script>
<script src="${endpoint}/assets/graphql-ws.js"></script>
<script>
  const url = new URL(${JSON.stringify(endpoint)}, location.href);
  const wsUrl = new URL(url.href);
  wsUrl.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const fetchers = new Map();
  const fetcherFor = (authorization) => {
    if (!fetchers.has(authorization)) {
      const wsClient = graphqlWs.createClient({ url: wsUrl.href, lazy: true, connectionParams: authorization ? { Authorization: authorization } : {} });
      fetchers.set(authorization, GraphiQL.createFetcher({ url: url.href, wsClient }));
    }
    return fetchers.get(authorization);
  };
  const fetcher = (params, options) => {
    const headers = (options && options.headers) || {};
    const key = Object.keys(headers).find((name) => name.toLowerCase() === 'authorization');
    return fetcherFor(key ? headers[key] : '')(params, options);
  };
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, {
      fetcher,
      defaultEditorToolsVisibility: true,
      defaultQuery: ${JSON.stringify(defaultQuery()).replace(/</g, '\\u003c')},
    }),
  );
</script>
</body>
</html>`;
}
