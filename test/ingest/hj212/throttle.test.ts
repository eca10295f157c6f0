import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clientAddressKey } from '../../../src/ingest/hj212/address';
import { DeviceAuthenticator, type MonitorLookup } from '../../../src/ingest/hj212/auth';
import { AuthThrottle, MAX_LOCKOUT_FACTOR, type Lockout } from '../../../src/ingest/hj212/throttle';
import { hashDevicePassword } from '../../../src/monitoring/password';

const LOCKOUT = 300_000;
const settings = { maxFailuresPerMn: 5, maxFailuresPerAddress: 20, lockoutMs: LOCKOUT };
const stranger = (address: string) => ({ address, session: false });

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('AuthThrottle', () => {
  it('locks an MN out after its limit of wrong PWs, for the lockout, then lets checks through again', () => {
    const c = clock();
    const throttle = new AuthThrottle(settings, c.now);
    const lockouts: Lockout[] = [];
    for (let i = 0; i < 5; i++) {
      expect(throttle.blocked('MN1', stranger(`10.0.0.${i}`))).toBeUndefined();
      lockouts.push(...throttle.failed('MN1', stranger(`10.0.0.${i}`)));
    }
    expect(lockouts).toEqual([{ scope: 'mn', key: 'MN1', failures: 5, lockoutMs: LOCKOUT, strike: 1 }]);
    expect(throttle.blocked('MN1', stranger('10.0.0.99'))).toEqual({ scope: 'mn', retryInMs: LOCKOUT });
    // Other MNs are not affected.
    expect(throttle.blocked('MN2', stranger('10.0.0.99'))).toBeUndefined();
    c.advance(LOCKOUT);
    expect(throttle.blocked('MN1', stranger('10.0.0.99'))).toBeUndefined();
  });

  it('calls an MN suspect from its first wrong PW until a lockout period after its last', () => {
    const c = clock();
    const throttle = new AuthThrottle(settings, c.now);
    expect(throttle.suspect('MN1')).toBe(false);
    throttle.failed('MN1', stranger('10.0.0.1'));
    expect(throttle.suspect('MN1')).toBe(true);
    expect(throttle.suspect('MN2')).toBe(false);
    c.advance(LOCKOUT);
    expect(throttle.suspect('MN1')).toBe(false);
    for (let i = 0; i < 5; i++) throttle.failed('MN1', stranger('10.0.0.1'));
    c.advance(LOCKOUT);
    // Still suspect while locked out, and for a lockout period after.
    expect(throttle.suspect('MN1')).toBe(true);
    c.advance(LOCKOUT);
    expect(throttle.suspect('MN1')).toBe(false);
  });

  it('forgets failures older than the lockout', () => {
    const c = clock();
    const throttle = new AuthThrottle(settings, c.now);
    for (let round = 0; round < 10; round++) {
      for (let i = 0; i < 4; i++) expect(throttle.failed('MN1', stranger('10.0.0.1'))).toEqual([]);
      c.advance(LOCKOUT);
    }
  });

  it('doubles a repeated lockout up to 16 times, and forgets the repeats after a quiet spell', () => {
    const c = clock();
    const throttle = new AuthThrottle({ ...settings, maxFailuresPerAddress: 1000 }, c.now);
    const durations: number[] = [];
    for (let strike = 0; strike < 7; strike++) {
      let lockout: Lockout | undefined;
      while (!lockout) lockout = throttle.failed('MN1', stranger('10.0.0.1')).find((l) => l.scope === 'mn');
      durations.push(lockout.lockoutMs / LOCKOUT);
      c.advance(lockout.lockoutMs);
    }
    expect(durations).toEqual([1, 2, 4, 8, 16, 16, 16]);
    c.advance(LOCKOUT * MAX_LOCKOUT_FACTOR);
    for (let i = 0; i < 4; i++) throttle.failed('MN1', stranger('10.0.0.1'));
    expect(throttle.failed('MN1', stranger('10.0.0.1'))).toEqual([{ scope: 'mn', key: 'MN1', failures: 5, lockoutMs: LOCKOUT, strike: 1 }]);
  });

  it('locks an address out after its limit of wrong PWs across MNs', () => {
    const throttle = new AuthThrottle(settings, clock().now);
    const lockouts = Array.from({ length: 20 }, (_, i) => throttle.failed(`MN${i}`, stranger('10.0.0.7'))).flat();
    expect(lockouts).toEqual([{ scope: 'address', key: '10.0.0.7', failures: 20, lockoutMs: LOCKOUT, strike: 1 }]);
    expect(throttle.blocked('MN99', stranger('10.0.0.7'))).toEqual({ scope: 'address', retryInMs: LOCKOUT });
    expect(throttle.blocked('MN99', stranger('10.0.0.8'))).toBeUndefined();
  });

  it('does not let an MN lock shut out the device: its session and its known addresses pass, but not an address lock', () => {
    const throttle = new AuthThrottle(settings, clock().now);
    throttle.succeeded('MN1', stranger('10.0.0.1'));
    for (let i = 0; i < 5; i++) throttle.failed('MN1', stranger('10.9.9.9'));
    expect(throttle.blocked('MN1', stranger('10.0.0.2'))?.scope).toBe('mn');
    expect(throttle.blocked('MN1', stranger('10.0.0.1'))).toBeUndefined();
    expect(throttle.blocked('MN1', { address: '10.0.0.2', session: true })).toBeUndefined();
    // Guessing from the device's own address meets the address limit.
    for (let i = 0; i < 20; i++) throttle.failed(`MN${i + 10}`, stranger('10.0.0.1'));
    expect(throttle.blocked('MN1', stranger('10.0.0.1'))?.scope).toBe('address');
    expect(throttle.blocked('MN1', { address: '10.0.0.1', session: true })).toBeUndefined();
  });

  it('keeps a persistent guesser of one PW to about a hundred checks a day', () => {
    const c = clock();
    const throttle = new AuthThrottle(settings, c.now);
    let checks = 0;
    // A botnet: every second a new address, never the same twice.
    for (let second = 0; second < 86_400; second++) {
      const source = stranger(`guesser-${second}`);
      if (!throttle.blocked('MN1', source)) {
        checks += 1;
        throttle.failed('MN1', source);
      }
      c.advance(1000);
    }
    // Five checks, then lockouts of 5, 10, 20 and 40 minutes, then 80 minutes each: 22 rounds.
    expect(checks).toBeLessThanOrEqual(110);
  });

  // Failures are counted in windows as long as the lockout, so a window straddling two of them may
  // see one short of the limit from the first and the limit from the second, but never more.
  it('never lets more than twice the MN limit of checks through in any lockout-long span (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.record({ gapMs: fc.integer({ min: 0, max: 2000 }), address: fc.integer({ min: 0, max: 50 }) }), { maxLength: 400 }),
        (limit, attempts) => {
          const c = clock();
          const lockoutMs = 10_000;
          const throttle = new AuthThrottle({ maxFailuresPerMn: limit, maxFailuresPerAddress: 10_000, lockoutMs }, c.now);
          const checkedAt: number[] = [];
          for (const attempt of attempts) {
            c.advance(attempt.gapMs);
            const source = stranger(`10.1.0.${attempt.address}`);
            if (throttle.blocked('MN1', source)) continue;
            checkedAt.push(c.now());
            throttle.failed('MN1', source);
          }
          for (const [i, start] of checkedAt.entries()) {
            const inWindow = checkedAt.slice(i).filter((t) => t < start + lockoutMs).length;
            expect(inWindow).toBeLessThanOrEqual(2 * limit - 1);
          }
        },
      ),
    );
  });
});

describe('clientAddressKey', () => {
  it('counts IPv4 as itself, IPv4-mapped IPv6 as IPv4, and IPv6 by its /64', () => {
    expect(clientAddressKey('192.0.2.7')).toBe('192.0.2.7');
    expect(clientAddressKey('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(clientAddressKey('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(clientAddressKey('2001:db8:1:2::9')).toBe('2001:db8:1:2::/64');
    expect(clientAddressKey('2001:DB8:1:2::9')).toBe('2001:db8:1:2::/64');
    expect(clientAddressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(clientAddressKey('::1')).toBe('0:0:0:0::/64');
    expect(clientAddressKey(undefined)).toBe('unknown');
  });

  it('gives two IPv6 addresses the same key exactly when their first 64 bits agree, however written (property)', () => {
    const group = fc.integer({ min: 0, max: 0xffff });
    const address = fc.array(group, { minLength: 8, maxLength: 8 });
    const full = (groups: number[]) => groups.map((g) => g.toString(16).padStart(4, '0')).join(':');
    // The URL parser prints the canonical compressed form.
    const compressed = (groups: number[]) => new URL(`http://[${full(groups)}]/`).hostname.slice(1, -1);
    fc.assert(
      fc.property(address, address, (a, b) => {
        if (a.slice(0, 2).join() === '0,0' || b.slice(0, 2).join() === '0,0') return; // ::ffff:x.y.z.w and friends
        expect(clientAddressKey(full(a))).toBe(clientAddressKey(compressed(a)));
        const same = a.slice(0, 4).join() === b.slice(0, 4).join();
        expect(clientAddressKey(full(a)) === clientAddressKey(compressed(b))).toBe(same);
      }),
    );
  });
});

describe('DeviceAuthenticator with a throttle', () => {
  async function setup() {
    const hash = await hashDevicePassword('123456');
    const lookups: string[] = [];
    const lookup: MonitorLookup = async (mn) => {
      lookups.push(mn);
      return mn.startsWith('A') ? ({ id: 1, mn, kind: 'WASTEWATER_OUTLET', passwordHash: hash } as Awaited<ReturnType<MonitorLookup>>) : undefined;
    };
    const lockouts: Lockout[] = [];
    let checks = 0;
    const auth = new DeviceAuthenticator(lookup, {
      ttlMs: 60_000,
      throttle: new AuthThrottle({ maxFailuresPerMn: 3, maxFailuresPerAddress: 100, lockoutMs: 60_000 }),
      onCheck: () => (checks += 1),
      onLockout: (l) => lockouts.push(l),
    });
    return { auth, lookups, lockouts, checks: () => checks };
  }
  const from = (address: string, session = false) => ({ address, session, wanted: () => true });

  it('checks a repeated wrong PW once and does not count it again', async () => {
    const { auth, checks, lockouts } = await setup();
    for (let i = 0; i < 10; i++) expect(await auth.verify('A1', '000000', from('10.0.0.1'))).toEqual({ ok: false, reason: 'bad-pw' });
    expect(checks()).toBe(1);
    expect(lockouts).toEqual([]);
    expect(await auth.verify('A1', '123456', from('10.0.0.1'))).toMatchObject({ ok: true });
  });

  it('refuses a locked-out MN unchecked, even with the right PW, except from where it authenticated before', async () => {
    const { auth, checks, lockouts } = await setup();
    expect(await auth.verify('A1', '123456', from('10.0.0.1'))).toMatchObject({ ok: true });
    for (const pw of ['1', '2', '3']) expect(await auth.verify('A1', pw, from('10.6.6.6'))).toEqual({ ok: false, reason: 'bad-pw' });
    expect(lockouts.map((l) => l.scope)).toEqual(['mn']);
    const before = checks();
    expect(await auth.verify('A1', '4', from('10.6.6.6'))).toEqual({ ok: false, reason: 'auth-locked' });
    expect(await auth.verify('A1', '123456', from('10.6.6.7'))).toEqual({ ok: false, reason: 'auth-locked' });
    expect(checks()).toBe(before);
    expect(await auth.verify('A1', '123456', from('10.0.0.1'))).toMatchObject({ ok: true });
    expect(await auth.verify('A1', '123456', from('10.6.6.7', true))).toMatchObject({ ok: true });
  });

  it('drops a check nobody waits for any more', async () => {
    const { auth, lookups } = await setup();
    let open = true;
    const source = { address: '10.0.0.1', session: false, wanted: () => open };
    // Two checks run at once; the third waits its turn and is no longer wanted when it comes.
    const running = [auth.verify('A1', 'x1', from('10.0.0.2')), auth.verify('A2', 'x2', from('10.0.0.2'))];
    const waiting = auth.verify('A3', '123456', source);
    open = false;
    expect(await waiting).toEqual({ ok: false, reason: 'connection-closed' });
    await Promise.all(running);
    expect(lookups).toEqual(['A1', 'A2']);
  });
});
