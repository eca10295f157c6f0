/**
 * Reassembles split messages (Flag bit D, PNUM/PNO).
 *
 * Which packets belong together: every packet has its own QN, so QN cannot be the key. The key is
 * MN + CN + DataTime (as sent) + PNUM: a logger splits one record, and every packet of it carries
 * that record's DataTime. Packets without DataTime are grouped by MN + CN + PNUM alone.
 *
 * Devices resend packets they saw no acknowledgement for, so a packet number already held is
 * ignored, and packets of a message completed within the last `timeoutMs` are reported as
 * duplicates instead of opening a new, never-completing entry.
 *
 * Memory is bounded: at most `maxPending` incomplete messages and `maxPackets` held packets; the
 * oldest incomplete message is evicted first. An entry expires `timeoutMs` after its last packet.
 */

import type { Hj212Message } from './message';

export type SplitAssemblerOptions = {
  timeoutMs: number;
  maxPending: number;
  /** Packets held across all pending messages; defaults to 4096. */
  maxPackets?: number;
  now?: () => number;
};

export type SplitDrop = { key: string; received: number; total: number };

export type SplitAddResult = {
  /** The whole message, once every packet is in (or the message was never split). */
  complete?: Hj212Message;
  pending: boolean;
  /** The packet was already received, or belongs to a message completed moments ago. */
  duplicate?: boolean;
  /** Incomplete messages dropped to make room. */
  evicted?: SplitDrop[];
};

type Entry = { key: string; total: number; packets: Map<number, Hj212Message>; lastSeen: number };

export function splitKey(message: Hj212Message): string {
  return JSON.stringify([message.mn, message.cn, message.cpFields.DataTime ?? null, message.split?.pnum ?? 1]);
}

export class SplitAssembler {
  private readonly timeoutMs: number;
  private readonly maxPending: number;
  private readonly maxPackets: number;
  private readonly now: () => number;
  private readonly pending = new Map<string, Entry>();
  private readonly completedAt = new Map<string, number>();
  private heldPackets = 0;

  constructor(options: SplitAssemblerOptions) {
    const { timeoutMs, maxPending, maxPackets = 4096, now = Date.now } = options;
    if (!(timeoutMs > 0)) throw new RangeError('timeoutMs must be positive');
    if (!Number.isInteger(maxPending) || maxPending < 1) throw new RangeError('maxPending must be at least 1');
    if (!Number.isInteger(maxPackets) || maxPackets < 1) throw new RangeError('maxPackets must be at least 1');
    this.timeoutMs = timeoutMs;
    this.maxPending = maxPending;
    this.maxPackets = maxPackets;
    this.now = now;
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  add(message: Hj212Message): SplitAddResult {
    const split = message.split;
    if (!split || split.pnum <= 1) return { complete: message, pending: false };

    const key = splitKey(message);
    const now = this.now();
    const doneAt = this.completedAt.get(key);
    if (doneAt !== undefined && now - doneAt < this.timeoutMs) return { pending: false, duplicate: true };

    let entry = this.pending.get(key);
    if (entry?.packets.has(split.pno)) {
      entry.lastSeen = now;
      return { pending: true, duplicate: true };
    }
    const evicted: SplitDrop[] = [];
    if (!entry) {
      while (this.pending.size >= this.maxPending) this.evictOldest(evicted);
      entry = { key, total: split.pnum, packets: new Map(), lastSeen: now };
      this.pending.set(key, entry);
    }
    entry.packets.set(split.pno, message);
    entry.lastSeen = now;
    this.heldPackets++;

    const result: SplitAddResult = { pending: true };
    if (entry.packets.size === entry.total) {
      this.remove(entry);
      this.rememberCompleted(key, now);
      result.complete = mergePackets(entry);
      result.pending = false;
    } else {
      while (this.heldPackets > this.maxPackets) this.evictOldest(evicted);
      if (!this.pending.has(key)) result.pending = false;
    }
    if (evicted.length > 0) result.evicted = evicted;
    return result;
  }

  /** Drops incomplete messages that have seen no packet for `timeoutMs`. */
  expire(): SplitDrop[] {
    const now = this.now();
    const dropped: SplitDrop[] = [];
    for (const entry of [...this.pending.values()]) {
      if (now - entry.lastSeen >= this.timeoutMs) {
        this.remove(entry);
        dropped.push(describe(entry));
      }
    }
    for (const [key, at] of this.completedAt) {
      if (now - at >= this.timeoutMs) this.completedAt.delete(key);
    }
    return dropped;
  }

  private remove(entry: Entry): void {
    this.pending.delete(entry.key);
    this.heldPackets -= entry.packets.size;
  }

  private evictOldest(into: SplitDrop[]): void {
    let oldest: Entry | undefined;
    for (const entry of this.pending.values()) {
      if (!oldest || entry.lastSeen < oldest.lastSeen) oldest = entry;
    }
    if (!oldest) return;
    this.remove(oldest);
    into.push(describe(oldest));
  }

  private rememberCompleted(key: string, now: number): void {
    this.completedAt.delete(key);
    this.completedAt.set(key, now);
    // Insertion order is completion order, so the first key is the oldest.
    while (this.completedAt.size > this.maxPending) {
      const first = this.completedAt.keys().next();
      if (first.done) break;
      this.completedAt.delete(first.value);
    }
  }
}

function describe(entry: Entry): SplitDrop {
  return { key: entry.key, received: entry.packets.size, total: entry.total };
}

/** Own-property checks and defineProperty: keys come from devices and may be `__proto__`. */
function appendKept(bag: Record<string, string>, key: string, value: string): void {
  const held = Object.hasOwn(bag, key) ? bag[key] : undefined;
  Object.defineProperty(bag, key, {
    value: held === undefined ? value : `${held},${value}`,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/**
 * One message from all packets in PNO order: header, QN and DataTime of packet 1; items of the
 * same code merged into one, first value winning; conflicting repeats kept in `unknownKeys`.
 */
function mergePackets(entry: Entry): Hj212Message {
  const packets = [...entry.packets.entries()].sort(([a], [b]) => a - b).map(([, packet]) => packet);
  const [first] = packets;
  if (!first) throw new Error('a completed split message has no packets');
  const { split: _split, ...head } = first;
  const merged: Hj212Message = {
    ...head,
    cp: packets
      .map((p) => p.cp)
      .filter((cp) => cp !== '')
      .join(';'),
    cpFields: {},
    items: [],
    facilities: [],
    unknownKeys: {},
  };
  const items = new Map<string, Hj212Message['items'][number]>();
  const facilities = new Map<string, Hj212Message['facilities'][number]>();
  for (const packet of packets) {
    for (const [key, value] of Object.entries(packet.cpFields)) {
      if (!Object.hasOwn(merged.cpFields, key)) merged.cpFields[key] = value;
      else if (merged.cpFields[key] !== value) appendKept(merged.unknownKeys, key, value);
    }
    for (const [key, value] of Object.entries(packet.unknownKeys)) appendKept(merged.unknownKeys, key, value);
    for (const item of packet.items) {
      const held = items.get(item.code);
      if (!held) {
        items.set(item.code, {
          ...item,
          values: { ...item.values },
          ...(item.unparsed ? { unparsed: { ...item.unparsed } } : {}),
        });
        continue;
      }
      for (const [kind, value] of Object.entries(item.values) as [keyof typeof item.values, number][]) {
        if (held.values[kind] === undefined) held.values[kind] = value;
        else if (held.values[kind] !== value) appendKept(merged.unknownKeys, `${item.code}-${kind}`, String(value));
      }
      for (const [kind, value] of Object.entries(item.unparsed ?? {})) {
        if ((held.unparsed ??= {})[kind] === undefined) held.unparsed[kind] = value;
      }
      if (held.flag === undefined && item.flag !== undefined) held.flag = item.flag;
      if (held.eflag === undefined && item.eflag !== undefined) held.eflag = item.eflag;
      if (held.sampleTime === undefined && item.sampleTime !== undefined) held.sampleTime = item.sampleTime;
    }
    for (const facility of packet.facilities) {
      const held = facilities.get(facility.id);
      if (!held) facilities.set(facility.id, { ...facility });
      else {
        if (held.runStatus === undefined && facility.runStatus !== undefined) held.runStatus = facility.runStatus;
        if (held.runHours === undefined && facility.runHours !== undefined) held.runHours = facility.runHours;
      }
    }
  }
  merged.items = [...items.values()];
  merged.facilities = [...facilities.values()];
  return merged;
}
