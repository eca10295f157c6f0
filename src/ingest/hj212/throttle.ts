/**
 * Wrong-password throttling for HJ 212 devices. A device PW is often six digits: unthrottled, a
 * million guesses are a few hours of checks away, and each one costs a scrypt run. Wrong PWs are
 * counted per MN (one device's PW guessed from many addresses) and per client address (one source
 * guessing many devices' PWs). Past the limit the MN or the address is locked out: its frames are
 * refused without a check. A lockout lasts `lockoutMs`, doubles with each repeat (up to 16 times)
 * and is forgotten once the key has been quiet for the longest lockout; failures older than
 * `lockoutMs` no longer count.
 *
 * A lock on an MN must not shut out the real device, or sending wrong PWs under a device's MN would
 * take that device off the air. So an MN lock does not apply to a connection on which the MN has
 * already authenticated with the same PW (a session), nor to an address the MN has authenticated
 * from before. The address lock still applies to such an address (only a session passes it), so
 * guessing from a device's own address stays throttled.
 *
 * Pure logic over an injected clock; the authenticator consults it around every check.
 */

export type ThrottleSettings = {
  /** wrong PWs for one MN within `lockoutMs` before the MN is locked out */
  maxFailuresPerMn: number;
  /** wrong PWs from one client address within `lockoutMs` before the address is locked out */
  maxFailuresPerAddress: number;
  /** the first lockout; each repeat doubles it, up to MAX_LOCKOUT_FACTOR times */
  lockoutMs: number;
};

/** Where a frame comes from, as far as throttling cares. */
export type ThrottleSource = {
  /** the client address key (see clientAddressKey) */
  address: string;
  /** the connection has authenticated this MN with this very PW already */
  session: boolean;
};

export type Lockout = { scope: 'mn' | 'address'; key: string; failures: number; lockoutMs: number; strike: number };

export type Block = { scope: 'mn' | 'address'; retryInMs: number };

export const MAX_LOCKOUT_FACTOR = 16;
/** Keys remembered at once per table; the least recently failed go first. */
const MAX_KEYS = 100_000;
/** Addresses remembered per MN as ones it authenticated from. */
const MAX_ADDRESSES_PER_MN = 8;

type Counter = { failures: number; windowStart: number; lockedUntil: number; strikes: number; lastFailure: number };

/** A lockout is not quiet: repeats are forgotten only after a spell without failures or lockout. */
function quietSince(row: Counter): number {
  return Math.max(row.lastFailure, row.lockedUntil);
}

class FailureTable {
  private readonly rows = new Map<string, Counter>();

  constructor(
    private readonly maxFailures: number,
    private readonly lockoutMs: number,
  ) {}

  get size(): number {
    return this.rows.size;
  }

  /** The key has had a failure or a lockout within the last lockout period. */
  recent(key: string, now: number): boolean {
    const row = this.rows.get(key);
    return row !== undefined && now - quietSince(row) < this.lockoutMs;
  }

  lockedFor(key: string, now: number): number {
    const row = this.rows.get(key);
    return row && row.lockedUntil > now ? row.lockedUntil - now : 0;
  }

  /** Counts a failure; returns the lockout it starts, if any. */
  fail(key: string, now: number): { failures: number; lockoutMs: number; strike: number } | undefined {
    let row = this.rows.get(key);
    if (row) {
      this.rows.delete(key);
    } else {
      row = { failures: 0, windowStart: now, lockedUntil: 0, strikes: 0, lastFailure: now };
      if (this.rows.size >= MAX_KEYS) {
        const oldest = this.rows.keys().next();
        if (!oldest.done) this.rows.delete(oldest.value);
      }
    }
    // Re-inserted at the end: the table's order is least recently failed first.
    this.rows.set(key, row);
    if (now - quietSince(row) >= this.lockoutMs * MAX_LOCKOUT_FACTOR) row.strikes = 0;
    if (now - row.windowStart >= this.lockoutMs) {
      row.failures = 0;
      row.windowStart = now;
    }
    row.lastFailure = now;
    if (row.lockedUntil > now) return undefined;
    row.failures += 1;
    if (row.failures < this.maxFailures) return undefined;
    const lockoutMs = this.lockoutMs * Math.min(MAX_LOCKOUT_FACTOR, 2 ** row.strikes);
    const failures = row.failures;
    row.strikes += 1;
    row.lockedUntil = now + lockoutMs;
    row.failures = 0;
    row.windowStart = now;
    return { failures, lockoutMs, strike: row.strikes };
  }

  /** Drops keys that remember nothing that still matters. */
  sweep(now: number): void {
    for (const [key, row] of this.rows) {
      if (now - quietSince(row) >= this.lockoutMs * MAX_LOCKOUT_FACTOR) this.rows.delete(key);
    }
  }
}

export class AuthThrottle {
  private readonly byMn: FailureTable;
  private readonly byAddress: FailureTable;
  /** MN -> addresses it authenticated from, most recent last. */
  private readonly knownAddresses = new Map<string, string[]>();

  constructor(
    settings: ThrottleSettings,
    private readonly now: () => number = Date.now,
  ) {
    for (const [name, value] of Object.entries(settings)) {
      if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer`);
    }
    this.byMn = new FailureTable(settings.maxFailuresPerMn, settings.lockoutMs);
    this.byAddress = new FailureTable(settings.maxFailuresPerAddress, settings.lockoutMs);
  }

  /** The lockout that refuses a frame for `mn` from `source` without a check, if any. */
  blocked(mn: string, source: ThrottleSource): Block | undefined {
    if (source.session) return undefined;
    const now = this.now();
    const address = this.byAddress.lockedFor(source.address, now);
    if (address > 0) return { scope: 'address', retryInMs: address };
    if (this.isKnown(mn, source.address)) return undefined;
    const byMn = this.byMn.lockedFor(mn, now);
    return byMn > 0 ? { scope: 'mn', retryInMs: byMn } : undefined;
  }

  /** The MN has authenticated from this address before. */
  isKnown(mn: string, address: string): boolean {
    return this.knownAddresses.get(mn)?.includes(address) ?? false;
  }

  /** Someone has sent wrong PWs for the MN lately: its checks from strangers can wait. */
  suspect(mn: string): boolean {
    return this.byMn.recent(mn, this.now());
  }

  /** A wrong PW was checked; returns the lockouts it starts. */
  failed(mn: string, source: ThrottleSource): Lockout[] {
    const now = this.now();
    const lockouts: Lockout[] = [];
    const byMn = this.byMn.fail(mn, now);
    if (byMn) lockouts.push({ scope: 'mn', key: mn, ...byMn });
    const byAddress = this.byAddress.fail(source.address, now);
    if (byAddress) lockouts.push({ scope: 'address', key: source.address, ...byAddress });
    return lockouts;
  }

  /** The right PW came from this address: the MN's lock no longer applies to it. */
  succeeded(mn: string, source: ThrottleSource): void {
    if (source.session) return;
    const known = this.knownAddresses.get(mn);
    if (known?.at(-1) === source.address) return;
    const addresses = (known ?? []).filter((a) => a !== source.address);
    addresses.push(source.address);
    if (addresses.length > MAX_ADDRESSES_PER_MN) addresses.shift();
    this.knownAddresses.delete(mn);
    if (this.knownAddresses.size >= MAX_KEYS) {
      const oldest = this.knownAddresses.keys().next();
      if (!oldest.done) this.knownAddresses.delete(oldest.value);
    }
    this.knownAddresses.set(mn, addresses);
  }

  /** Keys locked out or remembered now (for the gateway's counters). */
  get tracked(): { mns: number; addresses: number } {
    return { mns: this.byMn.size, addresses: this.byAddress.size };
  }

  sweep(): void {
    const now = this.now();
    this.byMn.sweep(now);
    this.byAddress.sweep(now);
  }
}
