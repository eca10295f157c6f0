import type { TestHub } from './hub';
import type { ScreenBrowser } from './browser';

/** One reading of the page's memory, taken after a forced garbage collection. */
export interface MemorySample {
  seconds: number;
  events: number;
  heapMb: number;
  domNodes: number;
  listeners: number;
  feedLines: number;
}

interface Outlet {
  mn: string;
  factor: string;
  upper: number;
  converted: boolean;
}

async function post<T>(hub: TestHub, token: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await hub.graphql<T>(query, variables, token);
  if (response.body.errors?.length || !response.body.data) throw new Error(JSON.stringify(response.body.errors));
  return response.body.data;
}

/** Outlets of the demo district with a real-time upper limit: what the load makes exceed and recover. */
async function outlets(hub: TestHub, token: string): Promise<Outlet[]> {
  const data = await post<{
    monitors: { edges: { node: { mn: string; limits: { factor: string; period: string; upper: number | null; basis: string }[] } }[] };
  }>(hub, token, '{ monitors(first: 20, filter: { kind: [WASTEWATER_OUTLET] }) { edges { node { mn limits { factor period upper basis } } } } }');
  return data.monitors.edges.flatMap(({ node }) => {
    const limit = node.limits.find((l) => l.period === 'RTD' && l.upper !== null);
    return limit ? [{ mn: node.mn, factor: limit.factor, upper: limit.upper as number, converted: limit.basis === 'CONVERTED' }] : [];
  });
}

/**
 * Feeds the signed-in screen an exceedance opening or closing every `everyMs` (ingested through
 * GraphQL, so each one reaches it over its WebSocket) and samples its memory after forced garbage
 * collections: the JS heap, DOM nodes and event listeners (Chromium's DevTools protocol).
 */
export async function driveScreen(options: {
  hub: TestHub;
  screen: ScreenBrowser;
  adminToken: string;
  events: number;
  everyMs: number;
  samples: number;
  onSample?: (sample: MemorySample) => void;
}): Promise<MemorySample[]> {
  const { hub, screen } = options;
  const cdp = await screen.context.newCDPSession(screen.page);
  await cdp.send('HeapProfiler.enable');
  const started = Date.now();
  const list = await outlets(hub, options.adminToken);
  if (list.length === 0) throw new Error('no outlet with a real-time limit');
  const high = new Map<string, boolean>();
  const samples: MemorySample[] = [];
  const sample = async (events: number): Promise<void> => {
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
    const dom = (await cdp.send('Memory.getDOMCounters')) as { nodes: number; jsEventListeners: number };
    const feedLines = await screen.page.locator('#feed li').count();
    const taken = {
      seconds: Math.round((Date.now() - started) / 1000),
      events,
      heapMb: Math.round((heap.usedSize / 1048576) * 100) / 100,
      domNodes: dom.nodes,
      listeners: dom.jsEventListeners,
      feedLines,
    };
    samples.push(taken);
    options.onSample?.(taken);
  };
  await sample(0);
  const sampleEvery = Math.max(1, Math.floor(options.events / options.samples));
  let time = Date.now();
  for (let event = 1; event <= options.events; event += 1) {
    const outlet = list[event % list.length] as Outlet;
    const next = !high.get(outlet.mn);
    high.set(outlet.mn, next);
    const value = Math.round(outlet.upper * (next ? 3 : 0.1) * 1000) / 1000;
    time = Math.max(time + 1, Date.now());
    await post(hub, options.adminToken, 'mutation ($r: [ReadingInput!]!) { ingestReadings(readings: $r) { __typename } }', {
      r: [
        { mn: outlet.mn, factor: outlet.factor, interval: 'RTD', time: new Date(time).toISOString(), value, ...(outlet.converted ? { converted: value } : {}) },
      ],
    });
    await new Promise((resolve) => setTimeout(resolve, options.everyMs));
    if (event % sampleEvery === 0) await sample(event);
  }
  await cdp.detach();
  return samples;
}
