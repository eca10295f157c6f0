/** The duty-room screen: sign in, draw the map and panels, then keep them live. */
import { LiveLink, Unauthenticated, query, type LinkState } from './api.js';
import { forgetToken, signIn } from './auth.js';
import { Card } from './card.js';
import { Feed } from './feed.js';
import { createDistrictMap } from './map.js';
import { Panels, snapshotDocument, type Snapshot } from './panels.js';

/** Counts and colours follow the events within a second; a slow timer catches anything else. */
const AFTER_EVENT_MS = 800;
const REFRESH_MS = 60_000;
const TREND_MS = 5 * 60_000;
const LINK_ZH: Record<LinkState, string> = { connecting: '连接中', connected: '实时', closed: '连接中断，重连中', unauthorised: '登录已失效' };

function byId<T extends HTMLElement>(id: string): T {
  return document.getElementById(id) as T;
}

function tickClock(): void {
  byId('clock').textContent = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', dateStyle: 'medium', timeStyle: 'medium' }).format(new Date());
}

function signOut(): void {
  forgetToken();
  location.reload();
}

async function start(): Promise<void> {
  tickClock();
  setInterval(tickClock, 1000);
  const token = await signIn();
  byId('sign-out').addEventListener('click', signOut);
  const { hub } = await query<{ hub: { modules: string[] } }>(token, '{ hub { modules } }');
  const card = new Card(byId('card'), () => token);
  const panels = new Panels();
  const map = await createDistrictMap(byId('map'), {
    onCell: (code) => void card.showCell(code).catch(report),
    onPoint: (kind, point) => void card.showPoint(kind, point).catch(report),
  });
  const snapshotQuery = snapshotDocument(hub.modules);
  const refresh = async (): Promise<Snapshot> => {
    const snapshot = await query<Snapshot>(token, snapshotQuery);
    panels.show(snapshot);
    map.showPoints(snapshot.dutyMap);
    return snapshot;
  };
  const first = await refresh();
  const stations = (first.latestAirQuality ?? []).map((row) => row.station);
  const trend = (): void => void panels.showAirTrend(token, stations).catch(report);
  trend();
  setInterval(() => void refresh().catch(report), REFRESH_MS);
  setInterval(trend, TREND_MS);

  let pending: ReturnType<typeof setTimeout> | undefined;
  const refreshSoon = (): void => {
    pending ??= setTimeout(() => {
      pending = undefined;
      void refresh().catch(report);
    }, AFTER_EVENT_MS);
  };
  const feed = new Feed(byId<HTMLOListElement>('feed'), refreshSoon);
  const link = byId('link');
  new LiveLink(token, feed.streams(hub.modules), (state) => {
    link.dataset.state = state;
    link.textContent = LINK_ZH[state];
    if (state === 'unauthorised') signOut();
  });
  window.addEventListener('resize', () => {
    map.resize();
    panels.resize();
  });
  document.body.dataset.ready = 'true';
}

/** A failed refresh is shown in the status line and retried by the next one; only a rejected token ends the session. */
function report(error: unknown): void {
  if (error instanceof Unauthenticated) {
    signOut();
    return;
  }
  const link = byId('link');
  link.dataset.state = 'closed';
  link.textContent = `数据刷新失败：${error instanceof Error ? error.message : String(error)}`;
}

void start().catch(report);
