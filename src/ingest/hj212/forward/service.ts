/**
 * Forwarding as the hub runs it: one TargetForwarder per configured target, started and stopped
 * with the hj212 module, and what administrators see of them.
 */
import { createServiceRef } from '../../../services';
import type { Database } from '../../../db';
import { TargetForwarder, type ForwarderDeps, type ForwardTargetStatus } from './forwarder';
import { cursorStates, type CursorState } from './store';
import type { ForwardTarget } from './targets';

export interface ForwardTargetView extends ForwardTargetStatus {
  /** per monitor of the target, by monitor id: its cursor and the uploads waiting after it */
  cursors: Map<number, CursorState>;
  backlog: number;
}

export class ForwardingHandle {
  private forwarders: TargetForwarder[] = [];
  private db: Database | undefined;

  start(db: Database, targets: readonly ForwardTarget[], deps: ForwarderDeps): void {
    this.db = db;
    this.forwarders = targets.map((target) => new TargetForwarder(target, deps));
    for (const forwarder of this.forwarders) forwarder.start();
  }

  /** Stops every forwarder, each waiting for its upload under way. */
  async stop(): Promise<void> {
    await Promise.all(this.forwarders.map((forwarder) => forwarder.stop()));
    this.forwarders = [];
  }

  async targets(): Promise<ForwardTargetView[]> {
    const db = this.db;
    if (!db) return [];
    return Promise.all(
      this.forwarders.map(async ({ status, target }) => {
        const ids = status.monitors.flatMap((m) => (m.monitorId === null ? [] : [m.monitorId]));
        const states = await cursorStates(db, target.name, ids, target);
        const cursors = new Map(states.map((state) => [state.monitorId, state]));
        return { ...status, cursors, backlog: states.reduce((sum, state) => sum + state.backlog, 0) };
      }),
    );
  }
}

export const hj212ForwardingRef = createServiceRef<ForwardingHandle>('hj212.forwarding');
