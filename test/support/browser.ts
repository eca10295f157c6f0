import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { loopbackOnlyLibrary, refusedBeyondLoopback } from './browser-guard';

/** Debian's chromium (`.ci/run` installs it); playwright downloads no browser of its own here. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Screenshots the browser tests keep (gitignored). */
export const ARTIFACTS = join(process.cwd(), 'test-artifacts');

export interface ScreenBrowser {
  context: BrowserContext;
  page: Page;
  /** console errors and uncaught page errors seen so far */
  errors: string[];
  /** what the loopback guard refused so far (each a line: call, protocol, address, port) */
  refused(): string[];
  /** every URL the page asked for */
  requests: string[];
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

export interface ScreenOptions {
  viewport?: { width: number; height: number };
  /** hosts the browser reaches without the loopback proxy (the guard's own test) */
  direct?: string[];
}

/**
 * A headless Chromium on a fresh profile (`--user-data-dir`, which playwright passes itself), with the flags that keep it from reaching Google's
 * services and the loopback guard preloaded (browser-guard.ts), recording every request the page makes and every console error.
 * `close()` fails when the guard refused anything beyond loopback.
 */
export async function openScreen(options: ScreenOptions = {}): Promise<ScreenBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'envhub-chromium-'));
  const refusedLog = join(profile, 'refused-beyond-loopback.log');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    env: { ...process.env, LD_PRELOAD: loopbackOnlyLibrary(), ENVHUB_REFUSED_LOG: refusedLog },
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
      ...(options.direct?.length ? [`--proxy-bypass-list=${options.direct.join(';')}`] : []),
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
    refused: () => refusedBeyondLoopback(refusedLog),
    requests,
    screenshot: async (name) => {
      const path = join(ARTIFACTS, `${name}.png`);
      await page.screenshot({ path });
      return path;
    },
    close: async () => {
      await context.close();
      const refused = refusedBeyondLoopback(refusedLog);
      rmSync(profile, { recursive: true, force: true });
      if (refused.length > 0) throw new Error(`the browser tried to reach beyond loopback (refused by its guard):\n${refused.join('\n')}`);
    },
  };
}
