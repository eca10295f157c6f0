import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../support/hub';

describe('the duty screen’s files', () => {
  let hub: TestHub;
  let base: string;
  beforeAll(async () => {
    hub = await startTestHub();
    base = `http://127.0.0.1:${hub.hub.port}`;
  });
  afterAll(async () => hub?.stop());

  it('serves the page, its compiled modules and its libraries from the hub, and nothing beside them', async () => {
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain('"echarts": "/web/lib/echarts.js"');
    expect(html).not.toMatch(/https?:\/\//);
    const main = await fetch(`${base}/web/main.js`);
    expect(main.headers.get('content-type')).toMatch(/^text\/javascript/);
    const code = await main.text();
    expect(code).toMatch(/from ["']\.\/api\.js["']/);
    expect(code).not.toMatch(/: Promise<void>/);
    for (const lib of ['echarts.js', 'hls.js', 'graphql-ws/client.js']) expect((await fetch(`${base}/web/lib/${lib}`)).status, lib).toBe(200);
    for (const path of [
      '/web/../package.json',
      '/web/lib/../../package.json',
      '/web/lib/react.js',
      '/web/tsconfig.json',
      '/web/lib/graphql-ws/../../package.json',
      '/web/missing.js',
    ]) {
      expect((await fetch(`${base}${path}`)).status, path).toBe(404);
    }
  });

  it('signs no demo officer outside the demo', async () => {
    expect((await fetch(`${base}/web/demo-token`, { method: 'POST' })).status).toBe(404);
    expect(await (await fetch(`${base}/web/config.json`)).json()).toEqual({ demo: false });
  });
});
