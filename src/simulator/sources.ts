/**
 * Where the simulator learns which devices exist: in the hub's own process from the monitoring
 * service, or from outside through a running hub's GraphQL API (`npm run simulate`), which works
 * whichever engine the hub runs on (the embedded database cannot be opened by a second process).
 */

import { createViewer, type Viewer } from '../auth/viewer';
import type { MonitoringService, MonitorKind } from '../monitoring/public';

export type SimulatedMonitor = { mn: string; kind: MonitorKind; name: string; intervalSeconds: number };

export type MonitorSource = () => Promise<SimulatedMonitor[]>;

const PAGE = 100;

const SIMULATOR_VIEWER: Viewer = createViewer({ subject: 'device-simulator', roles: ['admin'], name: 'device simulator' });

export function monitorsFromService(monitoring: Pick<MonitoringService, 'listMonitors'>, max = 5000): MonitorSource {
  return async () => {
    const found: SimulatedMonitor[] = [];
    let afterId: number | undefined;
    while (found.length < max) {
      const page = await monitoring.listMonitors(SIMULATOR_VIEWER, {}, { limit: PAGE, afterId });
      for (const m of page) found.push({ mn: m.mn, kind: m.kind, name: m.name, intervalSeconds: m.intervalSeconds });
      if (page.length < PAGE) break;
      afterId = page[page.length - 1]?.id;
    }
    return found.slice(0, max);
  };
}

const MONITORS_QUERY = `query SimulatorMonitors($after: String) {
  monitors(first: ${PAGE}, after: $after) {
    edges { node { mn kind name intervalSeconds } }
    pageInfo { hasNextPage endCursor }
  }
}`;

type MonitorsPage = {
  data?: {
    monitors: {
      edges: { node: SimulatedMonitor }[];
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
  };
  errors?: { message: string }[];
};

export function monitorsFromGraphql(url: string, token: string, max = 5000): MonitorSource {
  return async () => {
    const found: SimulatedMonitor[] = [];
    let after: string | null = null;
    while (found.length < max) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: MONITORS_QUERY, variables: { after } }),
      });
      const body = (await response.json()) as MonitorsPage;
      if (!body.data) throw new Error(`the hub at ${url} refused the monitor list: ${body.errors?.map((e) => e.message).join('; ') ?? response.status}`);
      for (const edge of body.data.monitors.edges) found.push(edge.node);
      const { hasNextPage, endCursor } = body.data.monitors.pageInfo;
      if (!hasNextPage || !endCursor) break;
      after = endCursor;
    }
    return found.slice(0, max);
  };
}
