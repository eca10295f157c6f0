import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../support/hub';
import { openScreen, type ScreenBrowser } from '../support/browser';
import { driveScreen } from '../support/screen-load';

/**
 * The short form of `npm run bench:screen` (ten minutes, an event every 3 s): enough events to
 * fill the feed past its cap, then the page must hold no more than it did once full.
 */
describe('the duty screen’s memory under a stream of events', () => {
  let hub: TestHub;
  let screen: ScreenBrowser;
  beforeAll(async () => {
    hub = await startTestHub({ env: { HUB_SEED: 'true', HUB_MODULES: 'grid,source' } });
    screen = await openScreen();
  });
  afterAll(async () => {
    await screen?.close();
    await hub?.stop();
  });

  it('keeps the feed at its cap and the page from growing once it is full', async () => {
    const district = await hub.token({ roles: ['district'], sub: 'district-officer-01' });
    const admin = await hub.token({ roles: ['admin'] });
    await screen.page.addInitScript(`localStorage.setItem('envhub.duty.token', ${JSON.stringify(district)})`);
    await screen.page.goto(`http://127.0.0.1:${hub.hub.port}/`);
    await screen.page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    await screen.page.waitForSelector('#link[data-state="connected"]', { timeout: 10_000 });
    const samples = await driveScreen({ hub, screen, adminToken: admin, events: 180, everyMs: 20, samples: 8 });
    const full = samples.filter((s) => s.feedLines >= 120);
    expect(full.length).toBeGreaterThanOrEqual(3);
    for (const s of full) expect(s.feedLines).toBe(120);
    const [first, last] = [full[0], full.at(-1)] as [(typeof full)[number], (typeof full)[number]];
    // once the feed is full, old lines leave as new ones come: the DOM and the listeners stay put
    expect(last.domNodes).toBeLessThanOrEqual(first.domNodes + 50);
    expect(last.listeners).toBeLessThanOrEqual(first.listeners);
    expect(last.heapMb).toBeLessThan(first.heapMb + 3);
    console.log(`duty screen memory, ${last.events} events: ${samples.map((s) => `${s.events}:${s.heapMb}MB/${s.domNodes}n`).join(' ')}`);
    expect(screen.errors).toEqual([]);
  }, 240_000);
});
