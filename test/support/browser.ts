import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's chromium (`.ci/run` installs it); playwright downloads no browser of its own here. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Screenshots the browser tests keep (gitignored). */
export const ARTIFACTS = join(process.cwd(), 'test-artifacts');

export interface ScreenBrowser {
  context: BrowserContext;
  page: Page;
  /** console errors and uncaught page errors seen so far */
  errors: string[];
  /** every URL the page asked for */
  requests: string[];
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * A headless Chromium on a fresh profile (`--user-data-dir`, which playwright passes itself), with the flags that keep it from reaching Google's
 * services, recording every request the page makes and every console error.
 */
export async function openScreen(options: { viewport?: { width: number; height: number } } = {}): Promise<ScreenBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'envhub-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-domain-reliability',
      '--disable-client-side-phishing-detection',
      '--disable-default-apps',
      '--disable-breakpad',
      '--no-pings',
      '--metrics-recording-only',
      '--disable-features=DnsOverHttps,OptimizationHints,MediaRouter,Translate,NetworkTimeServiceQuerying,CertificateTransparencyComponentUpdater',
      // everything but loopback goes to a proxy that is not there: without it Chromium still asks the
      // system resolver for names of its own services
      '--proxy-server=http://127.0.0.1:9',
      '--autoplay-policy=no-user-gesture-required',
    ],
    viewport: options.viewport ?? { width: 1920, height: 1080 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('request', (request) => requests.push(request.url()));
  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    context,
    page,
    errors,
    requests,
    screenshot: async (name) => {
      const path = join(ARTIFACTS, `${name}.png`);
      await page.screenshot({ path });
      return path;
    },
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
