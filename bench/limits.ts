/**
 * The limits' analysis on growing documents: nested fragment spreads, aliases, depth and many
 * fragments. Prints the time to analyse each document (parse included) and the time per selection
 * written, which stays flat when the analysis is linear; then the round trip of a refused attack
 * against a running hub while /healthz is asked alongside.
 *   npm run bench:limits
 */
import { parse, visit } from 'graphql';
import { planHub } from '../src/hub';
import { checkRequest, CostLimitError, type RequestRules } from '../src/graphql/cost/budget';
import { DEFAULT_BUDGETS } from '../src/config';
import { benchHub, percentile } from './support';

const { schema } = planHub({ modules: undefined });
const rules: RequestRules = { budgets: DEFAULT_BUDGETS, maxDepth: 1_000, maxAliases: 1_000_000, maxEntities: 100, maxTokens: 1_000_000 };

/** Each fragment spreads the next twice: 2^levels `hub` fields once expanded. */
const nested = (levels: number): string =>
  `{ ...F0 } ${Array.from({ length: levels }, (_, i) => `fragment F${i} on Query { hub { version } ...F${i + 1} ...F${i + 1} }`).join(' ')} fragment F${levels} on Query { hub { version } }`;
const aliases = (count: number): string =>
  `{ ${Array.from({ length: count }, (_, i) => `a${i}: monitors(first: 5) { edges { node { mn latestReadings { factor value } } } }`).join(' ')} }`;
const depth = (levels: number): string => `{ gridCell(code: "510112") { ${'parent { '.repeat(levels)}code${' }'.repeat(levels)} } }`;
const fragments = (count: number): string =>
  `{ monitors(first: 5) { edges { node { ${Array.from({ length: count }, (_, i) => `...M${i}`).join(' ')} } } } } ${Array.from({ length: count }, (_, i) => `fragment M${i} on Monitor { mn name latestReadings { factor } }`).join(' ')}`;

/** Selections as written (fields and spreads): what a linear analysis is proportional to. */
function selections(query: string): number {
  let count = 0;
  visit(parse(query, { maxTokens: 1_000_000 }), {
    Field: () => void (count += 1),
    FragmentSpread: () => void (count += 1),
    InlineFragment: () => void (count += 1),
  });
  return count;
}

function time(query: string): { ms: number; outcome: string } {
  const runs: number[] = [];
  let outcome = '';
  for (let run = 0; run < 15; run += 1) {
    const started = process.hrtime.bigint();
    try {
      const cost = checkRequest(schema, [{ query }], 'staff', rules);
      outcome = `accepted, cost ${cost.cost.toLocaleString('en-US')}`;
    } catch (error) {
      outcome = error instanceof CostLimitError ? `refused: ${error.message.slice(0, 60)}...` : String(error);
    }
    runs.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  runs.sort((a, b) => a - b);
  return { ms: percentile(runs, 50), outcome };
}

function family(name: string, sizes: number[], build: (n: number) => string): void {
  console.log(`\n${name}`);
  console.log('  size    bytes   selections   analysis ms   us/selection   outcome');
  for (const size of sizes) {
    const query = build(size);
    const { ms, outcome } = time(query);
    const n = selections(query);
    console.log(
      `  ${String(size).padStart(5)} ${String(query.length).padStart(8)} ${String(n).padStart(12)} ${ms.toFixed(3).padStart(13)} ${((ms * 1000) / n).toFixed(2).padStart(14)}   ${outcome}`,
    );
  }
}

family('nested fragment spreads (each spreads the next twice: 2^levels fields expanded)', [10, 20, 40, 80, 160, 320], nested);
family('aliases (30 is the default limit; the analysis itself)', [30, 100, 300, 1000, 3000], aliases);
family('depth (12 is the default limit; the analysis itself)', [12, 50, 100, 200, 400], depth);
family('distinct fragments spread once each', [10, 100, 300, 1000, 2000], fragments);

// A hub refusing the 1 KB attack document, anonymous, while /healthz is asked alongside.
const { hub, stop } = await benchHub('pglite', { PUBLIC_RATE_LIMIT_PER_MINUTE: '1000000' });
try {
  const attack = nested(23);
  const refusals: number[] = [];
  const health: number[] = [];
  const url = `http://127.0.0.1:${hub.port}`;
  const deadline = Date.now() + 5_000;
  const probe = (async () => {
    while (Date.now() < deadline) {
      const started = performance.now();
      await fetch(`${url}/healthz`).then((r) => r.arrayBuffer());
      health.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  let status = 0;
  // warm up first: the figures are of a running hub, not of the JIT's first compilations
  for (let i = 0; i < 50; i += 1)
    await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: attack }) }).then((r) =>
      r.arrayBuffer(),
    );
  for (let i = 0; i < 200 && Date.now() < deadline; i += 1) {
    const started = performance.now();
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: attack }),
    });
    await response.arrayBuffer();
    status = response.status;
    refusals.push(performance.now() - started);
  }
  await probe;
  refusals.sort((a, b) => a - b);
  health.sort((a, b) => a - b);
  console.log(`\nHTTP, ${attack.length} bytes of nested spreads (23 levels), anonymous, ${refusals.length} requests one after another: status ${status}`);
  console.log(`  refusal round trip p50 ${percentile(refusals, 50).toFixed(2)} ms, p99 ${percentile(refusals, 99).toFixed(2)} ms`);
  console.log(`  /healthz meanwhile (${health.length} probes) p50 ${percentile(health, 50).toFixed(2)} ms, max ${(health.at(-1) ?? 0).toFixed(2)} ms`);
} finally {
  await stop();
}
