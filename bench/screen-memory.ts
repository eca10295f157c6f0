/**
 * The duty screen left running: a hub with the demo district, the screen in headless Chromium,
 * an exceedance opening or closing every few seconds for ten minutes (`--minutes`, `--every`),
 * and the page's memory after forced garbage collections printed as it goes. Prints; asserts nothing.
 *
 *   npm run bench:screen -- [--minutes 10] [--every 3]
 */
import { parseArgs } from 'node:util';
import { startTestHub } from '../test/support/hub';
import { openScreen } from '../test/support/browser';
import { driveScreen } from '../test/support/screen-load';

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '10' }, every: { type: 'string', default: '3' } } });
const minutes = Number(values.minutes);
const everySeconds = Number(values.every);
const events = Math.round((minutes * 60) / everySeconds);

const hub = await startTestHub({ env: { HUB_SEED: 'true' } });
const district = await hub.token({ roles: ['district'], sub: 'district-officer-01' }, 24 * 3600);
const admin = await hub.token({ roles: ['admin'] }, 24 * 3600);
const screen = await openScreen();
try {
  await screen.page.addInitScript(`localStorage.setItem('envhub.duty.token', ${JSON.stringify(district)})`);
  await screen.page.goto(`http://127.0.0.1:${hub.hub.port}/`);
  await screen.page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
  process.stdout.write(`duty screen memory: ${events} events, one every ${everySeconds} s, for ${minutes} min\n`);
  process.stdout.write('seconds  events  heap MB  DOM nodes  listeners  feed lines\n');
  const samples = await driveScreen({
    hub,
    screen,
    adminToken: admin,
    events,
    everyMs: everySeconds * 1000,
    samples: Math.max(10, minutes * 2),
    onSample: (s) =>
      process.stdout.write(
        `${String(s.seconds).padStart(7)}  ${String(s.events).padStart(6)}  ${s.heapMb.toFixed(2).padStart(7)}  ${String(s.domNodes).padStart(9)}  ${String(s.listeners).padStart(9)}  ${String(s.feedLines).padStart(10)}\n`,
      ),
  });
  // growth after the feed has filled (its cap reached), so the steady state is what is compared
  const filled = samples.find((s) => s.feedLines >= 120) ?? samples[Math.floor(samples.length / 3)] ?? samples[0];
  const last = samples.at(-1);
  if (filled && last) {
    process.stdout.write(
      `steady state from ${filled.seconds} s to ${last.seconds} s: heap ${filled.heapMb} -> ${last.heapMb} MB (${(last.heapMb - filled.heapMb).toFixed(2)}), DOM nodes ${filled.domNodes} -> ${last.domNodes}, listeners ${filled.listeners} -> ${last.listeners}\n`,
    );
  }
  process.stdout.write(`page errors: ${screen.errors.length === 0 ? 'none' : screen.errors.join(' | ')}\n`);
} finally {
  await screen.close();
  await hub.stop();
}
