import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebSocketRoute } from 'playwright-core';
import { ENGINES, startTestHub, type EngineName, type TestHub } from '../support/hub';
import { openScreen, type ScreenBrowser } from '../support/browser';
import { ingestAt, limitedMonitors, type LimitedMonitor } from '../support/duty';
import { collect, connectWs } from '../support/ws';

/**
 * Counts the regions the map's geo components hold, through ECharts' own API. A string, so the
 * test runner leaves the page's dynamic import alone: the same module URL gives the page's instance.
 */
const MAP_REGIONS = `(async () => {
  const echarts = await import('/web/lib/echarts.js');
  const chart = echarts.getInstanceByDom(document.getElementById('map'));
  return [0, 1, 2].map((index) => chart?.getModel().getComponent('geo', index)?.coordinateSystem.regions.length ?? 0);
})()`;

describe.each(ENGINES)('the duty screen in Chromium (%s)', (engine) => {
  let hub: TestHub;
  let screen: ScreenBrowser;
  let origin: string;
  let admin: string;
  let district: string;
  let monitors: LimitedMonitor[];
  /** the page's WebSockets, routed through the test so it can cut them */
  const sockets: { page: WebSocketRoute; server: WebSocketRoute }[] = [];
  let cut = false;

  beforeAll(async () => {
    hub = await startTestHub({ engine, env: { HUB_SEED: 'true' } });
    origin = `http://127.0.0.1:${hub.hub.port}`;
    admin = await hub.token({ roles: ['admin'] });
    district = await hub.token({ roles: ['district'], sub: 'district-officer-01' });
    monitors = await limitedMonitors(hub, district, 3);
    screen = await openScreen();
    await screen.page.routeWebSocket(/\/graphql$/, (ws) => {
      if (cut) {
        ws.close({ code: 1013, reason: 'network down' });
        return;
      }
      sockets.push({ page: ws, server: ws.connectToServer() });
    });
  });
  afterAll(async () => {
    await screen?.close();
    await hub?.stop();
  });

  it('signs in with a pasted token, draws the 163 grid cells and its panels from the hub alone, without console errors', async () => {
    const { page } = screen;
    await page.goto(`${origin}/`);
    await page.locator('#sign-in textarea').fill(district);
    await page.locator('#sign-in button[type=submit]').click();
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    await page.waitForSelector('#link[data-state="connected"]', { timeout: 10_000 });
    expect(await page.evaluate("localStorage.getItem('envhub.duty.token')")).toBe(district);
    expect(await page.evaluate(MAP_REGIONS)).toEqual([10, 12, 141]);
    expect(Number(await page.locator('#count-offline').textContent())).toBeGreaterThanOrEqual(0);
    expect(await page.locator('#water tbody tr').count()).toBeGreaterThan(0);
    await screen.screenshot(`screen-${engine}`);
    expect(screen.errors).toEqual([]);
    const foreign = screen.requests.filter(
      (url) => !url.startsWith(`${origin}/`) && !url.startsWith(`ws://127.0.0.1:${hub.hub.port}/`) && !url.startsWith('data:'),
    );
    expect(foreign).toEqual([]);
    expect(screen.requests.some((url) => url.startsWith(`${origin}/web/lib/echarts.js`))).toBe(true);
  });

  it('keeps the token: a reload signs in without asking', async () => {
    await screen.page.reload();
    await screen.page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    expect(await screen.page.locator('#sign-in').isHidden()).toBe(true);
    await screen.page.waitForSelector('#link[data-state="connected"]', { timeout: 10_000 });
  });

  it('shows an exceedance ingested through GraphQL in the feed within 2 s, and opens the enterprise’s card on a click', async () => {
    const monitor = monitors[0] as LimitedMonitor;
    await ingestAt(hub, admin, monitor, 3, new Date());
    await screen.page.waitForSelector(`#feed li[data-stream="exceedance"][data-mn="${monitor.mn}"][data-kind="OPENED"]`, { timeout: 2_000 });
    await screen.page.waitForFunction("document.getElementById('count-exceedance')?.textContent !== '0'", undefined, { timeout: 5_000 });
    const map = await hub.graphql<{ dutyMap: { enterprises: { code: string; name: string; longitude: number; latitude: number; state: string }[] } }>(
      '{ dutyMap { enterprises { code name longitude latitude state } } }',
      {},
      district,
    );
    const enterprise = map.body.data?.dutyMap.enterprises.find((e) => e.code === monitor.enterpriseUscc);
    expect(enterprise?.state).toBe('EXCEEDANCE');
    await screen.page.waitForTimeout(1_000); // the map redraws the point, bigger and red, after the event
    const at = (await screen.page.evaluate(`(async () => {
      const echarts = await import('/web/lib/echarts.js');
      const element = document.getElementById('map');
      const [x, y] = echarts.getInstanceByDom(element).convertToPixel({ geoIndex: 2 }, [${enterprise?.longitude}, ${enterprise?.latitude}]);
      const box = element.getBoundingClientRect();
      return [box.left + x, box.top + y];
    })()`)) as [number, number];
    await screen.page.mouse.click(at[0], at[1]);
    await screen.page.waitForSelector('#card:not([hidden]) h3', { timeout: 5_000 }).catch(async (error: Error) => {
      await screen.screenshot(`screen-click-${engine}`);
      throw new Error(`${error.message}; status: ${await screen.page.locator('#link').textContent()}; at ${at.join(',')}`);
    });
    expect(await screen.page.locator('#card h3').textContent()).toBe(enterprise?.name);
    expect(await screen.page.locator('#card').textContent()).toContain(monitor.factor);
    await screen.screenshot(`screen-exceedance-${engine}`);
    await screen.page.locator('#card .close').click();
    expect(screen.errors).toEqual([]);
  });

  it('after the WebSocket is cut and restored, the feed holds every event published meanwhile', async () => {
    const watcher = connectWs(hub.hub.port, district);
    const events = collect<{ exceedanceEvents: { eventId: string; kind: string } }>(watcher.client, 'subscription { exceedanceEvents { eventId kind } }');
    await new Promise((resolve) => setTimeout(resolve, 300));
    cut = true;
    for (const socket of sockets.splice(0)) {
      await socket.server.close({ code: 1001, reason: 'cut' }).catch(() => {});
      await socket.page.close({ code: 1001, reason: 'cut' }).catch(() => {});
    }
    await screen.page.waitForSelector('#link:not([data-state="connected"])', { timeout: 5_000 });
    // while the screen is cut off: two enterprises exceed, one recovers
    const [, second, third] = monitors as [LimitedMonitor, LimitedMonitor, LimitedMonitor];
    await ingestAt(hub, admin, second, 3, new Date());
    await ingestAt(hub, admin, third, 3, new Date());
    await ingestAt(hub, admin, second, 0.1, new Date(Date.now() + 1000));
    await events.until(3);
    const published = events.received.map((r) => r.data?.exceedanceEvents).filter((e) => e && e.kind !== 'PEAK_UPDATED') as { eventId: string }[];
    expect(published.length).toBeGreaterThanOrEqual(3);
    for (const { eventId } of published) expect(await screen.page.locator(`#feed li[data-event-id="${eventId}"]`).count()).toBe(0);
    cut = false;
    await screen.page.waitForSelector('#link[data-state="connected"]', { timeout: 20_000 });
    const ids = JSON.stringify(published.map((e) => e.eventId));
    await screen.page.waitForFunction(`${ids}.every((id) => document.querySelector('#feed li[data-event-id="' + id + '"]') !== null)`, undefined, {
      timeout: 10_000,
    });
    const shown = await screen.page
      .locator('#feed li[data-stream="exceedance"]')
      .evaluateAll((lines) => lines.map((line) => line.getAttribute('data-event-id')));
    expect(new Set(shown).size).toBe(shown.length);
    events.dispose();
    await watcher.dispose();
  });
});

describe('signing in to the demo', () => {
  it('offers a one-click duty officer in demo mode, and never outside it', async () => {
    const demo = await startTestHub({ mode: 'demo', env: { HUB_SEED: 'false', SIMULATOR: 'false' } });
    const served = await startTestHub();
    const screen = await openScreen({ viewport: { width: 1280, height: 800 } });
    try {
      expect((await fetch(`http://127.0.0.1:${served.hub.port}/web/demo-token`, { method: 'POST' })).status).toBe(404);
      expect(await (await fetch(`http://127.0.0.1:${served.hub.port}/web/config.json`)).json()).toEqual({ demo: false });
      await screen.page.goto(`http://127.0.0.1:${demo.hub.port}/`);
      await screen.page.locator('#demo-sign-in').click();
      await screen.page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 }).catch((error: Error) => {
        throw new Error(`${error.message}; page errors: ${screen.errors.join(' | ')}`);
      });
      const token = await screen.page.evaluate("localStorage.getItem('envhub.duty.token')");
      const who = await demo.graphql<{ dutySummary: { generatedAt: string } }>('{ dutySummary { generatedAt } }', {}, String(token ?? ''));
      expect(who.body.errors).toBeUndefined();
      expect(screen.errors).toEqual([]);
    } finally {
      await screen.close();
      await demo.stop();
      await served.stop();
    }
  });
});
