/**
 * Who gets a connection slot. A connection on which no device has authenticated yet holds its slot
 * only until someone needs it: when the gateway is full, a new connection takes the slot of the
 * oldest unauthenticated one, and when one client address already holds its share of
 * unauthenticated connections, a new one from that address replaces that address's oldest. So
 * connections that never present a valid frame cannot lock real devices out, and one address
 * flooding the gateway only churns its own connections. A connection whose frame is being checked
 * right now is never replaced (it is about to prove itself or fail), and a connection with an
 * authenticated device never is: only when every slot holds one of those is a new connection
 * refused.
 *
 * Pure bookkeeping: the gateway closes the connections it is told to and keeps the sets current.
 */

export interface Admissible {
  readonly addressKey: string;
  /** unauthenticated and not having a frame checked: may be closed to make room */
  readonly evictable: boolean;
}

export type AdmissionLimits = { maxConnections: number; maxUnauthenticatedPerAddress: number };

export type AdmissionPlan<C> = { admit: true; evict: C[] } | { admit: false };

export class Admission<C extends Admissible> {
  /** Unauthenticated connections, oldest first. */
  private readonly unauthenticated = new Set<C>();
  private readonly byAddress = new Map<string, Set<C>>();

  constructor(private readonly limits: AdmissionLimits) {}

  get unauthenticatedCount(): number {
    return this.unauthenticated.size;
  }

  /** What a new connection from `address` takes, while `open` connections are held. */
  plan(address: string, open: number): AdmissionPlan<C> {
    const evict: C[] = [];
    const own = this.byAddress.get(address);
    if (own && own.size >= this.limits.maxUnauthenticatedPerAddress) {
      // With none of its own to replace, the address still gets a free slot: its connections are
      // all presenting frames this moment, as devices behind one NAT do after an outage.
      const victim = firstEvictable(own);
      if (victim) evict.push(victim);
    }
    if (open - evict.length >= this.limits.maxConnections) {
      const victim = firstEvictable(this.unauthenticated, evict);
      if (!victim) return { admit: false };
      evict.push(victim);
    }
    return { admit: true, evict };
  }

  /** The connection has no authenticated device (new, or its devices moved to another one). */
  unauthenticatedNow(connection: C): void {
    if (this.unauthenticated.has(connection)) return;
    this.unauthenticated.add(connection);
    let own = this.byAddress.get(connection.addressKey);
    if (!own) {
      own = new Set();
      this.byAddress.set(connection.addressKey, own);
    }
    own.add(connection);
  }

  /** A device authenticated on the connection, or it closed. */
  settled(connection: C): void {
    if (!this.unauthenticated.delete(connection)) return;
    const own = this.byAddress.get(connection.addressKey);
    own?.delete(connection);
    if (own?.size === 0) this.byAddress.delete(connection.addressKey);
  }
}

function firstEvictable<C extends Admissible>(connections: Iterable<C>, except: readonly C[] = []): C | undefined {
  for (const connection of connections) {
    if (connection.evictable && !except.includes(connection)) return connection;
  }
  return undefined;
}
