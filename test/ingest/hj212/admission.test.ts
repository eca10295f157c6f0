import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Admission } from '../../../src/ingest/hj212/admission';
import { CheckQueue } from '../../../src/ingest/hj212/checks';

/** A stand-in for a device connection: what admission looks at. */
class Conn {
  authenticated = false;
  checking = false;
  constructor(
    readonly id: number,
    readonly addressKey: string,
  ) {}
  get evictable(): boolean {
    return !this.authenticated && !this.checking;
  }
}

/** The gateway's side of admission, over stand-ins. */
function gateway(maxConnections: number, maxUnauthenticatedPerAddress: number) {
  const admission = new Admission<Conn>({ maxConnections, maxUnauthenticatedPerAddress });
  const open = new Set<Conn>();
  let next = 1;
  return {
    open,
    admission,
    connect(address: string): { conn?: Conn; evicted: Conn[] } {
      const plan = admission.plan(address, open.size);
      if (!plan.admit) return { evicted: [] };
      for (const victim of plan.evict) {
        open.delete(victim);
        admission.settled(victim);
      }
      const conn = new Conn(next++, address);
      open.add(conn);
      admission.unauthenticatedNow(conn);
      return { conn, evicted: plan.evict };
    },
    authenticate(conn: Conn) {
      conn.authenticated = true;
      admission.settled(conn);
    },
    close(conn: Conn) {
      open.delete(conn);
      admission.settled(conn);
    },
  };
}

describe('Admission', () => {
  it('gives a new connection the slot of the oldest unauthenticated one, and refuses only when every slot has a device', () => {
    const g = gateway(3, 10);
    const [a, b, c] = ['10.0.0.1', '10.0.0.2', '10.0.0.3'].map((address) => g.connect(address).conn as Conn) as [Conn, Conn, Conn];
    g.authenticate(b);
    expect(g.connect('10.0.0.4').evicted).toEqual([a]);
    expect(g.connect('10.0.0.5').evicted).toEqual([c]);
    for (const conn of g.open) g.authenticate(conn);
    expect(g.connect('10.0.0.6')).toEqual({ evicted: [] });
    expect(g.open.size).toBe(3);
  });

  it('never replaces a connection whose frame is being checked', () => {
    const g = gateway(2, 10);
    const a = g.connect('10.0.0.1').conn as Conn;
    const b = g.connect('10.0.0.2').conn as Conn;
    a.checking = true;
    expect(g.connect('10.0.0.3').evicted).toEqual([b]);
    const c = [...g.open].find((conn) => conn !== a) as Conn;
    c.checking = true;
    expect(g.connect('10.0.0.4')).toEqual({ evicted: [] });
  });

  it('lets one address hold only its share of unauthenticated connections, replacing its own oldest', () => {
    const g = gateway(100, 3);
    const first = Array.from({ length: 3 }, () => g.connect('10.0.0.9').conn as Conn);
    expect(g.connect('10.0.0.9').evicted).toEqual([first[0]]);
    expect(g.connect('10.0.0.8').evicted).toEqual([]);
    // Authenticated connections do not count against the share.
    for (const conn of g.open) g.authenticate(conn);
    for (let i = 0; i < 3; i++) expect(g.connect('10.0.0.9').evicted).toEqual([]);
    expect(g.admission.unauthenticatedCount).toBe(3);
  });

  it('keeps its promises under any sequence of events (property)', () => {
    const event = fc.oneof(
      fc.record({ kind: fc.constant('connect' as const), address: fc.integer({ min: 0, max: 4 }) }),
      fc.record({ kind: fc.constantFrom('authenticate' as const, 'check' as const, 'checked' as const, 'close' as const), pick: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 4 }), fc.array(event, { maxLength: 200 }), (max, perAddress, events) => {
        const g = gateway(max, perAddress);
        for (const e of events) {
          if (e.kind === 'connect') {
            const before = [...g.open];
            const address = `10.0.0.${e.address}`;
            const ownOf = (conns: Conn[]) => conns.filter((c) => c.addressKey === address && !c.authenticated);
            const ownBefore = ownOf(before);
            const { conn, evicted } = g.connect(address);
            // Only unauthenticated connections not being checked are ever replaced.
            for (const victim of evicted) expect(victim.evictable).toBe(true);
            if (!conn) {
              // Refused only when every slot holds a device or a connection being checked.
              expect(before.length).toBeGreaterThanOrEqual(max);
              for (const held of before) expect(held.evictable).toBe(false);
            }
            expect(g.open.size).toBeLessThanOrEqual(max);
            // An address at its share grows no further while one of its own can give way.
            if (ownBefore.length >= perAddress && ownBefore.some((c) => c.evictable)) {
              expect(ownOf([...g.open]).length).toBe(ownBefore.length);
            }
            continue;
          }
          const all = [...g.open];
          const target = all[e.pick % Math.max(1, all.length)];
          if (!target) continue;
          if (e.kind === 'authenticate') g.authenticate(target);
          else if (e.kind === 'check') target.checking = true;
          else if (e.kind === 'checked') target.checking = false;
          else g.close(target);
        }
        expect(g.admission.unauthenticatedCount).toBe([...g.open].filter((c) => !c.authenticated).length);
      }),
    );
  });
});

describe('CheckQueue', () => {
  it('runs a few checks at a time, known sources first, and drops one nobody waits for', async () => {
    const queue = new CheckQueue(2);
    const started: string[] = [];
    const release: (() => void)[] = [];
    const task = (name: string) => () =>
      new Promise<string>((resolve) => {
        started.push(name);
        release.push(() => resolve(name));
      });
    let wanted = true;
    const results = [
      queue.run('stranger', 'a', () => true, task('s1')),
      queue.run('stranger', 'a', () => true, task('s2')),
      queue.run('stranger', 'a', () => true, task('s3')),
      queue.run('stranger', 'a', () => wanted, task('gone')),
      queue.run('known', 'b', () => true, task('k1')),
    ];
    expect(started).toEqual(['s1', 's2']);
    expect(queue.waiting).toBe(3);
    wanted = false;
    release.shift()?.();
    await results[0];
    expect(started).toEqual(['s1', 's2', 'k1']);
    release.shift()?.();
    await results[1];
    release.shift()?.();
    release.shift()?.();
    expect(await Promise.all(results)).toEqual(['s1', 's2', 's3', undefined, 'k1']);
    expect(started).toEqual(['s1', 's2', 'k1', 's3']);
  });

  it('lets strangers take turns by address, so a flood from one delays another by one check', async () => {
    const queue = new CheckQueue(1);
    const order: string[] = [];
    const task = (name: string) => async () => {
      order.push(name);
      return name;
    };
    const flood = Array.from({ length: 5 }, (_, i) => queue.run('stranger', '10.6.6.6', () => true, task(`flood${i}`)));
    const device = queue.run('stranger', '10.0.0.1', () => true, task('device'));
    const other = queue.run('stranger', '10.0.0.2', () => true, task('other'));
    await Promise.all([...flood, device, other]);
    expect(order).toEqual(['flood0', 'flood1', 'device', 'other', 'flood2', 'flood3', 'flood4']);
  });

  it('puts strangers presenting an MN someone is guessing after other strangers', async () => {
    const queue = new CheckQueue(1);
    const order: string[] = [];
    const task = (name: string) => async () => {
      order.push(name);
      return name;
    };
    const all = [
      queue.run('suspect', '10.6.6.6', () => true, task('guess1')),
      queue.run('suspect', '10.6.6.6', () => true, task('guess2')),
      queue.run('suspect', '10.6.6.7', () => true, task('guess3')),
      queue.run('stranger', '10.0.0.1', () => true, task('newcomer')),
      queue.run('known', '10.0.0.2', () => true, task('known')),
    ];
    await Promise.all(all);
    expect(order).toEqual(['guess1', 'known', 'newcomer', 'guess2', 'guess3']);
  });
});
