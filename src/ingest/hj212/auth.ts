/**
 * Device authentication: the MN must be a registered monitor and the PW must match its stored
 * hash. scrypt is deliberately slow, and a logger sends its MN and PW with every frame, so a
 * successful check is remembered per MN with a digest of the PW: the next frame is a map lookup.
 * A PW found wrong is remembered the same way, so a device still sending its old PW costs one
 * check, not one per frame, and counts once against the throttle (repeating a PW is no guess).
 * The monitoring core says when a monitor's credentials change and the entries are dropped; the TTL
 * bounds how long another hub instance's change can go unnoticed here.
 *
 * Guessing is throttled (see throttle.ts): a locked-out MN or address is refused before anything
 * is looked up. Checks that do run wait their turn in a CheckQueue (known sources first, then
 * strangers, then strangers presenting an MN someone is guessing; strangers by turns per address).
 */

import { createHash } from 'node:crypto';
import type { Monitor, MonitorKind } from '../../monitoring/public';
import { verifyDevicePassword } from '../../monitoring/public';
import { CheckQueue } from './checks';
import type { AuthThrottle, Lockout, ThrottleSource } from './throttle';

export type DeviceIdentity = { monitorId: number; mn: string; kind: MonitorKind };

export type AuthRefusal = 'unknown-mn' | 'bad-pw' | 'auth-locked' | 'connection-closed';

export type AuthOutcome = { ok: true; device: DeviceIdentity } | { ok: false; reason: AuthRefusal };

export type MonitorLookup = (mn: string) => Promise<(Monitor & { passwordHash: string }) | undefined>;

/** Where a frame comes from; `wanted` turns false once nobody can be answered (the socket closed). */
export type AuthSource = ThrottleSource & { wanted: () => boolean };

export type AuthenticatorOptions = {
  ttlMs: number;
  now?: () => number;
  throttle?: AuthThrottle;
  /** checks (lookup and scrypt) running at once; the libuv pool has four threads */
  concurrentChecks?: number;
  /** a PW was checked against its hash */
  onCheck?: () => void;
  onLockout?: (lockout: Lockout, mn: string, source: ThrottleSource) => void;
};

type Entry = { digest: string; device: DeviceIdentity; at: number };
type Pending = { outcome: Promise<AuthOutcome>; wanted: Set<() => boolean> };

const MAX_ENTRIES = 100_000;
/** Wrong PWs remembered per MN. */
const MAX_WRONG_PER_MN = 8;
/** An unknown MN is looked up again after this long (a monitor may be registered meanwhile). */
const UNKNOWN_MN_TTL_MS = 10_000;
const ANY_SOURCE: AuthSource = { address: 'unknown', session: false, wanted: () => true };

function digestOf(pw: string): string {
  return createHash('sha256').update(pw, 'utf8').digest('base64');
}

/** Inserts at the end of a map used as a bounded, oldest-first table. */
function remember<K, V>(map: Map<K, V>, key: K, value: V): void {
  map.delete(key);
  if (map.size >= MAX_ENTRIES) {
    const oldest = map.keys().next();
    if (!oldest.done) map.delete(oldest.value);
  }
  map.set(key, value);
}

export class DeviceAuthenticator {
  private readonly cache = new Map<string, Entry>();
  private readonly wrong = new Map<string, { digest: string; at: number }[]>();
  private readonly unknown = new Map<string, number>();
  /** Concurrent frames with one MN and PW wait for the same check instead of queueing their own. */
  private readonly inFlight = new Map<string, Pending>();
  /** Bumped on every change notice, so a check that started before it is not cached after it. */
  private readonly generations = new Map<string, number>();
  private readonly queue: CheckQueue;

  constructor(
    private readonly lookup: MonitorLookup,
    private readonly options: AuthenticatorOptions = { ttlMs: 5 * 60_000 },
  ) {
    this.queue = new CheckQueue(options.concurrentChecks ?? 2);
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** Checks waiting for their turn. */
  get checksWaiting(): number {
    return this.queue.waiting;
  }

  async verify(mn: string, pw: string, source: AuthSource = ANY_SOURCE): Promise<AuthOutcome> {
    const digest = digestOf(pw);
    const now = this.now();
    const ttlMs = this.options.ttlMs;
    // Known to be wrong: the same answer a check would give, so no oracle, and no new guess.
    if (this.wrong.get(mn)?.some((w) => w.digest === digest && now - w.at < ttlMs)) return { ok: false, reason: 'bad-pw' };
    const throttle = this.options.throttle;
    if (throttle?.blocked(mn, source)) return { ok: false, reason: 'auth-locked' };
    const cached = this.cache.get(mn);
    if (cached && cached.digest === digest && now - cached.at < ttlMs) {
      throttle?.succeeded(mn, source);
      return { ok: true, device: cached.device };
    }
    const unknownAt = this.unknown.get(mn);
    if (unknownAt !== undefined && now - unknownAt < UNKNOWN_MN_TTL_MS) return { ok: false, reason: 'unknown-mn' };

    const key = `${mn}\u0000${digest}`;
    let pending = this.inFlight.get(key);
    if (pending) {
      pending.wanted.add(source.wanted);
    } else {
      const wanted = new Set([source.wanted]);
      const priority = source.session || throttle?.isKnown(mn, source.address) ? 'known' : throttle?.suspect(mn) ? 'suspect' : 'stranger';
      const outcome = this.queue
        .run(
          priority,
          source.address,
          () => [...wanted].some((w) => w()),
          () => this.check(mn, pw, digest),
        )
        .then((result): AuthOutcome => {
          if (!result) return { ok: false, reason: 'connection-closed' };
          // One check, one failure, whoever else waited for it.
          if (!result.ok && result.reason === 'bad-pw') {
            for (const lockout of throttle?.failed(mn, source) ?? []) this.options.onLockout?.(lockout, mn, source);
          }
          return result;
        })
        .finally(() => this.inFlight.delete(key));
      pending = { outcome, wanted };
      this.inFlight.set(key, pending);
    }
    const outcome = await pending.outcome;
    if (outcome.ok) throttle?.succeeded(mn, source);
    return outcome;
  }

  /** The monitor's PW or identity changed: the next frame is checked against the database again. */
  forget(mn: string): void {
    this.cache.delete(mn);
    this.wrong.delete(mn);
    this.unknown.delete(mn);
    this.generations.set(mn, (this.generations.get(mn) ?? 0) + 1);
  }

  /** Drops what has expired (called now and then; every table is bounded regardless). */
  sweep(): void {
    const now = this.now();
    const ttlMs = this.options.ttlMs;
    for (const [mn, entry] of this.cache) if (now - entry.at >= ttlMs) this.cache.delete(mn);
    for (const [mn, at] of this.unknown) if (now - at >= UNKNOWN_MN_TTL_MS) this.unknown.delete(mn);
    for (const [mn, list] of this.wrong) {
      const fresh = list.filter((w) => now - w.at < ttlMs);
      if (fresh.length === 0) this.wrong.delete(mn);
      else if (fresh.length < list.length) this.wrong.set(mn, fresh);
    }
    this.options.throttle?.sweep();
  }

  private async check(mn: string, pw: string, digest: string): Promise<AuthOutcome> {
    const generation = this.generations.get(mn) ?? 0;
    const current = () => (this.generations.get(mn) ?? 0) === generation;
    const monitor = await this.lookup(mn);
    if (!monitor) {
      if (current()) remember(this.unknown, mn, this.now());
      return { ok: false, reason: 'unknown-mn' };
    }
    this.options.onCheck?.();
    if (!(await verifyDevicePassword(pw, monitor.passwordHash))) {
      if (current()) {
        const list = (this.wrong.get(mn) ?? []).filter((w) => w.digest !== digest).slice(-(MAX_WRONG_PER_MN - 1));
        remember(this.wrong, mn, [...list, { digest, at: this.now() }]);
      }
      return { ok: false, reason: 'bad-pw' };
    }
    const device: DeviceIdentity = { monitorId: monitor.id, mn: monitor.mn, kind: monitor.kind };
    if (current()) remember(this.cache, mn, { digest, device, at: this.now() });
    return { ok: true, device };
  }
}
