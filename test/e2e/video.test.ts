import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../support/hub';
import { openScreen, type ScreenBrowser } from '../support/browser';

/**
 * A four-second HLS clip made with ffmpeg (Debian's; `.ci/run` installs it), served by a stand-in
 * for the bureau's media server on another loopback port.
 */
function makeClip(): { dir: string; close: () => void; server: Server } {
  const dir = mkdtempSync(join(tmpdir(), 'envhub-hls-'));
  execFileSync('ffmpeg', [
    '-loglevel',
    'error',
    '-f',
    'lavfi',
    '-i',
    'testsrc=duration=4:size=320x240:rate=25',
    '-c:v',
    'libx264',
    '-pix_fmt',
    'yuv420p',
    '-g',
    '25',
    '-f',
    'hls',
    '-hls_time',
    '1',
    '-hls_list_size',
    '0',
    join(dir, 'clip.m3u8'),
  ]);
  const server = createServer((request, response) => {
    const name = (request.url ?? '').replace(/^\//, '').replace(/\?.*$/, '');
    if (!/^clip\d*\.(m3u8|ts)$/.test(name)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': name.endsWith('.m3u8') ? 'application/vnd.apple.mpegurl' : 'video/mp2t', 'access-control-allow-origin': '*' });
    response.end(readFileSync(join(dir, name)));
  });
  return { dir, server, close: () => rmSync(dir, { recursive: true, force: true }) };
}

describe('video on the duty screen', () => {
  let hub: TestHub;
  let screen: ScreenBrowser;
  let clip: ReturnType<typeof makeClip>;
  let media: string;
  let district: string;
  beforeAll(async () => {
    clip = makeClip();
    await new Promise<void>((resolve) => clip.server.listen(0, '127.0.0.1', resolve));
    media = `http://127.0.0.1:${(clip.server.address() as { port: number }).port}`;
    hub = await startTestHub({ env: { HUB_SEED: 'true', HUB_MODULES: 'grid,source' } });
    district = await hub.token({ roles: ['district'], sub: 'district-officer-01' });
    screen = await openScreen();
  });
  afterAll(async () => {
    await screen?.close();
    await hub?.stop();
    clip?.server.close();
    clip?.close();
  });

  it('plays a camera’s HLS address with hls.js, and says so when a camera is offline', async () => {
    const admin = await hub.token({ roles: ['admin'] });
    const sites = await hub.graphql<{ dutyMap: { videoSites: { id: string; code: string; longitude: number; latitude: number }[] } }>(
      '{ dutyMap { videoSites { id code longitude latitude } } }',
      {},
      district,
    );
    const listed = await hub.graphql<{ cameras: { edges: { node: { code: string; site: { code: string; kind: string } } }[] } }>(
      '{ cameras(first: 100, filter: { siteKind: KEY_AREA }) { edges { node { code site { code kind } } } } }',
      {},
      district,
    );
    const bySite = new Map<string, string[]>();
    for (const { node } of listed.body.data?.cameras.edges ?? []) bySite.set(node.site.code, [...(bySite.get(node.site.code) ?? []), node.code]);
    const [siteCode, cameras] = [...bySite.entries()].find(([, codes]) => codes.length >= 2) as [string, string[]];
    const [playing, offline] = cameras as [string, string];
    const site = sites.body.data?.dutyMap.videoSites.find((s) => s.code === siteCode);
    const setUp = await hub.graphql(
      `mutation ($play: String!, $on: String!, $off: String!, $url: String!) {
        setCameraPlayUrl(code: $play, playUrl: $url) { __typename }
        reportCameraStatus(reports: [{ code: $on, status: ONLINE }, { code: $off, status: OFFLINE }]) { __typename }
      }`,
      { play: playing, on: playing, off: offline, url: `${media}/clip.m3u8` },
      admin,
    );
    expect(setUp.body.errors, JSON.stringify(setUp.body.errors)).toBeUndefined();

    const origin = `http://127.0.0.1:${hub.hub.port}`;
    await screen.page.addInitScript(`localStorage.setItem('envhub.duty.token', ${JSON.stringify(district)})`);
    await screen.page.goto(`${origin}/`);
    await screen.page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    await screen.page.waitForTimeout(500);
    const at = (await screen.page.evaluate(`(async () => {
      const echarts = await import('/web/lib/echarts.js');
      const element = document.getElementById('map');
      const [x, y] = echarts.getInstanceByDom(element).convertToPixel({ geoIndex: 2 }, [${site?.longitude}, ${site?.latitude}]);
      const box = element.getBoundingClientRect();
      return [box.left + x, box.top + y];
    })()`)) as [number, number];
    await screen.page.mouse.click(at[0], at[1]);
    await screen.page.waitForSelector(`#card video[data-camera="${playing}"]`, { timeout: 5_000 });
    await screen.page
      .waitForFunction(`document.querySelector('#card video[data-camera="${playing}"]').currentTime > 0.5`, undefined, { timeout: 15_000 })
      .catch(async (error: Error) => {
        const state = await screen.page.evaluate(
          `(() => { const v = document.querySelector('#card video'); return { t: v.currentTime, r: v.readyState, e: v.error && v.error.message, p: v.paused }; })()`,
        );
        throw new Error(
          `${error.message}: ${JSON.stringify(state)}; errors ${screen.errors.join('|')}; requests ${screen.requests.filter((u) => u.includes('clip')).join(',')}`,
        );
      });
    expect(await screen.page.locator('#card').textContent()).toContain('摄像机离线');
    await screen.screenshot('screen-video');
    expect(screen.requests.some((url) => url.startsWith(`${media}/clip`) && url.endsWith('.ts'))).toBe(true);
    const elsewhere = screen.requests.filter(
      (url) => !url.startsWith(`${origin}/`) && !url.startsWith(`${media}/`) && !url.startsWith('data:') && !url.startsWith('blob:'),
    );
    expect(elsewhere).toEqual([]);
    expect(screen.errors).toEqual([]);
    await screen.page.locator('#card .close').click();
    expect(await screen.page.locator('#card video').count()).toBe(0);
  });
});
