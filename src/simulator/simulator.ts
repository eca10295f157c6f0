/**
 * Plays the demo district's devices against an HJ 212 gateway over real TCP: one connection per
 * registered monitor of a kind it knows, each with its own daily cycle, episodes and silences;
 * about one in five speaks the 2005 edition. One timer drives every device, so a few hundred
 * devices cost next to nothing. Monitors registered later are picked up on the next refresh.
 */

import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { demoDevicePassword } from '../demo/devices';
import { seededRandom } from '../demo/random';
import { SimulatedDevice, type DeviceSettings } from './device';
import { KIND_PROFILES } from './profiles';
import type { MonitorSource, SimulatedMonitor } from './sources';

export type SimulatorOptions = {
  host: string;
  port: number;
  source: MonitorSource;
  logger: Logger;
  /** seconds between real-time uploads; default: each monitor's interval, at least 10 s */
  rtdSeconds?: number;
  ackTimeoutMs?: number;
  exceedanceMeanHours?: number;
  silenceMeanHours?: number;
  refreshSeconds?: number;
  maxDevices?: number;
  /**
   * The demo's showcase: a device forced into an exceedance `showcaseFirstSeconds` after the start
   * (default 10), then every `showcaseEverySeconds` (default 240; 0: none), each lasting
   * `showcaseMinutes` (default 2), so whoever opens the duty screen soon sees one open and close.
   */
  showcaseFirstSeconds?: number;
  showcaseEverySeconds?: number;
  showcaseMinutes?: number;
  /** password of a device; default: the demo scheme the demo seeds register monitors with */
  passwordOf?: (mn: string) => string;
};

export type Simulator = {
  /** resolves once the first monitor list is loaded and the devices are created */
  readonly ready: Promise<void>;
  devices(): { mn: string; edition: '2005' | '2017'; online: boolean; backlog: number }[];
  stop(): Promise<void>;
};

const TICK_MS = 1000;

function seedOf(mn: string): number {
  return createHash('sha256').update(`envhub-simulator:${mn}`).digest().readUInt32BE(0);
}

/** Where a client on this machine reaches a server bound to `host`. */
export function loopbackFor(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '::1';
  return host;
}

/** About one device in five still runs a 2005-edition logger. */
export function speaks2005(mn: string): boolean {
  return seedOf(mn) % 5 === 0;
}

export function startSimulator(options: SimulatorOptions): Simulator {
  const { logger } = options;
  const devices = new Map<string, SimulatedDevice>();
  const passwordOf = options.passwordOf ?? demoDevicePassword;
  let stopped = false;

  const settingsFor = (monitor: SimulatedMonitor): DeviceSettings => ({
    host: options.host,
    port: options.port,
    rtdSeconds: options.rtdSeconds ?? Math.min(3600, Math.max(10, monitor.intervalSeconds)),
    ackTimeoutMs: options.ackTimeoutMs ?? 5000,
    exceedanceMeanHours: options.exceedanceMeanHours ?? 8,
    silenceMeanHours: options.silenceMeanHours ?? 12,
    logger,
  });

  const load = async (): Promise<void> => {
    const monitors = await options.source();
    const now = new Date();
    let skipped = 0;
    for (const monitor of monitors) {
      if (devices.has(monitor.mn) || devices.size >= (options.maxDevices ?? 5000)) continue;
      const profile = KIND_PROFILES[monitor.kind];
      if (!profile) {
        skipped += 1;
        continue;
      }
      const random = seededRandom(seedOf(monitor.mn));
      devices.set(monitor.mn, new SimulatedDevice(monitor, passwordOf(monitor.mn), profile, speaks2005(monitor.mn), random, settingsFor(monitor), now));
    }
    logger.info(
      { devices: devices.size, edition2005: [...devices.values()].filter((d) => d.edition2005).length, skipped, gateway: `${options.host}:${options.port}` },
      'device simulator playing the district',
    );
  };

  const ready = load().catch((error: unknown) => logger.error({ err: error }, 'device simulator could not load the monitors'));
  const every = (options.showcaseEverySeconds ?? 240) * 1000;
  let nextShowcase = every > 0 ? Date.now() + (options.showcaseFirstSeconds ?? 10) * 1000 : Infinity;
  let showcased = 0;
  const showcase = (now: Date): void => {
    // round-robin over the devices that can show one, so each showcase is another enterprise
    const able = [...devices.values()].filter((device) => device.canShowcase);
    if (able.length === 0) return;
    const device = able[showcased % able.length] as SimulatedDevice;
    showcased += 1;
    device.showcase(now, options.showcaseMinutes ?? 2);
    nextShowcase = now.getTime() + every;
  };
  const ticker = setInterval(() => {
    const now = new Date();
    if (now.getTime() >= nextShowcase) showcase(now);
    for (const device of devices.values()) device.tick(now);
  }, TICK_MS);
  const refresher = setInterval(
    () => void load().catch((error: unknown) => logger.warn({ err: error }, 'device simulator could not refresh the monitors')),
    (options.refreshSeconds ?? 300) * 1000,
  );

  return {
    ready,
    devices: () => [...devices.values()].map((d) => ({ mn: d.monitor.mn, edition: d.edition2005 ? '2005' : '2017', online: d.online, backlog: d.backlog })),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      clearInterval(ticker);
      clearInterval(refresher);
      await ready;
      for (const device of devices.values()) device.stop();
      logger.info({ devices: devices.size }, 'device simulator stopped');
    },
  };
}
