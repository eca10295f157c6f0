/**
 * Device authentication: the MN must be a registered monitor and the PW must match its stored
 * hash. scrypt is deliberately slow, and a logger sends its MN and PW with every frame, so a
 * successful check is remembered per MN with a digest of the PW: the next frame is a map lookup.
 * The monitoring core says when a monitor's credentials change and the entry is dropped; the TTL
 * bounds how long another hub instance's change can go unnoticed here.
 */

import { createHash } from 'node:crypto';
import type { Monitor, MonitorKind } from '../../monitoring/public';
import { verifyDevicePassword } from '../../monitoring/password';

export type DeviceIdentity = { monitorId: number; mn: string; kind: MonitorKind };

export type AuthOutcome = { ok: true; device: DeviceIdentity } | { ok: false; reason: 'unknown-mn' | 'bad-pw' };

export type MonitorLookup = (mn: string) => Promise<(Monitor & { passwordHash: string }) | undefined>;

type Entry = { digest: string; device: DeviceIdentity; at: number };

const MAX_ENTRIES = 100_000;

function digestOf(pw: string): string {
  return createHash('sha256').update(pw, 'utf8').digest('base64');
}

export class DeviceAuthenticator {
  private readonly cache = new Map<string, Entry>();
  /** Concurrent frames of one device wait for the same scrypt run instead of starting their own. */
  private readonly inFlight = new Map<string, Promise<AuthOutcome>>();
  /** Bumped on every change notice, so a check that started before it is not cached after it. */
  private readonly generations = new Map<string, number>();

  constructor(
    private readonly lookup: MonitorLookup,
    private readonly options: { ttlMs: number; now?: () => number } = { ttlMs: 5 * 60_000 },
  ) {}

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  async verify(mn: string, pw: string): Promise<AuthOutcome> {
    const digest = digestOf(pw);
    const cached = this.cache.get(mn);
    if (cached && cached.digest === digest && this.now() - cached.at < this.options.ttlMs) {
      return { ok: true, device: cached.device };
    }
    const key = `${mn}\u0000${digest}`;
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.check(mn, pw, digest).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  /** The monitor's PW or identity changed: the next frame is checked against the database again. */
  forget(mn: string): void {
    this.cache.delete(mn);
    this.generations.set(mn, (this.generations.get(mn) ?? 0) + 1);
  }

  private async check(mn: string, pw: string, digest: string): Promise<AuthOutcome> {
    const generation = this.generations.get(mn) ?? 0;
    const monitor = await this.lookup(mn);
    if (!monitor) return { ok: false, reason: 'unknown-mn' };
    if (!(await verifyDevicePassword(pw, monitor.passwordHash))) return { ok: false, reason: 'bad-pw' };
    const device: DeviceIdentity = { monitorId: monitor.id, mn: monitor.mn, kind: monitor.kind };
    if ((this.generations.get(mn) ?? 0) === generation) {
      if (this.cache.size >= MAX_ENTRIES && !this.cache.has(mn)) {
        const oldest = this.cache.keys().next();
        if (!oldest.done) this.cache.delete(oldest.value);
      }
      this.cache.delete(mn);
      this.cache.set(mn, { digest, device, at: this.now() });
    }
    return { ok: true, device };
  }
}
