/**
 * Split messages (PNUM/PNO) on their way to storage. Packets are held by the SplitAssembler until
 * the message is whole; the whole message is stored once; and every packet gets its own answer.
 *
 * When a packet is acknowledged: a packet that completes the message only after the message is
 * stored. A packet that leaves the message incomplete is acknowledged once it is held: a logger
 * sends the next packet only after the previous one is acknowledged, so holding that answer back
 * would stall every split upload until the logger gave up. The cost is that a message whose last
 * packets never come expires after the split timeout, and its early packets are not resent.
 *
 * A retransmitted packet of a message completed moments ago is answered after that message's store
 * has finished; if the store failed, the retransmission stores the whole message again.
 */

import type { Hj212Message } from './message';
import { SplitAssembler, splitKey, type SplitDrop } from './split';

type Completion = { at: number; stored: Promise<boolean>; message: Hj212Message };

export type SplitOutcome = {
  /** Answer the packet with 9014 (when it asked for one). */
  acknowledge: boolean;
  /** The packet was held, waiting for the rest. */
  held: boolean;
  /** This packet completed the message. */
  completed: boolean;
  dropped: SplitDrop[];
};

export class SplitIntake {
  private readonly assembler: SplitAssembler;
  private readonly completions = new Map<string, Completion>();
  private readonly now: () => number;

  constructor(private readonly options: { timeoutMs: number; maxPending: number; now?: () => number }) {
    this.now = options.now ?? Date.now;
    this.assembler = new SplitAssembler({ timeoutMs: options.timeoutMs, maxPending: options.maxPending, now: this.now });
  }

  get pendingCount(): number {
    return this.assembler.pendingCount;
  }

  /** `store` writes a whole message and resolves true once it is committed. */
  async receive(packet: Hj212Message, store: (message: Hj212Message) => Promise<boolean>): Promise<SplitOutcome> {
    const added = this.assembler.add(packet);
    const dropped = added.evicted ?? [];
    // Keyed by a packet: the merged message no longer carries PNUM, which is part of the key.
    const key = splitKey(packet);
    if (added.complete) {
      const stored = store(added.complete);
      this.remember(key, { at: this.now(), stored, message: added.complete });
      return { acknowledge: await stored, held: false, completed: true, dropped };
    }
    if (added.pending) return { acknowledge: true, held: !added.duplicate, completed: false, dropped };
    if (added.duplicate) {
      const completion = this.completions.get(key);
      if (!completion) return { acknowledge: true, held: false, completed: false, dropped };
      if (await completion.stored) return { acknowledge: true, held: false, completed: false, dropped };
      const again = store(completion.message);
      completion.stored = again;
      return { acknowledge: await again, held: false, completed: false, dropped };
    }
    // Evicted at once to make room: the message cannot complete, so the packet is not acknowledged.
    return { acknowledge: false, held: false, completed: false, dropped };
  }

  /** Drops incomplete messages and completion records older than the timeout. */
  expire(): SplitDrop[] {
    const dropped = this.assembler.expire();
    const now = this.now();
    for (const [key, completion] of this.completions) {
      if (now - completion.at >= this.options.timeoutMs) this.completions.delete(key);
    }
    return dropped;
  }

  private remember(key: string, completion: Completion): void {
    this.completions.delete(key);
    this.completions.set(key, completion);
    while (this.completions.size > this.options.maxPending) {
      const first = this.completions.keys().next();
      if (first.done) break;
      this.completions.delete(first.value);
    }
  }
}
