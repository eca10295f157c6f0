import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

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

const DEFAULT_QUERY = `# envhub: public fields work without a token.
# For the rest, mint one with: npm run -s token -- --role district
# and add {"Authorization": "Bearer <token>"} under Headers below.

query {
  hub { version modules }
}
`;

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
<script>
  const fetcher = GraphiQL.createFetcher({ url: new URL(${JSON.stringify(endpoint)}, location.href).href });
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, {
      fetcher,
      defaultEditorToolsVisibility: true,
      defaultQuery: ${JSON.stringify(DEFAULT_QUERY)},
    }),
  );
</script>
</body>
</html>`;
}
