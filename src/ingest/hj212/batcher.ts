/**
 * Group commit for device uploads. Each frame is small (a handful of readings), and a transaction
 * per frame would make the database's commit rate the gateway's ceiling. While a batch is being
 * written, frames from every connection queue up; the next batch takes them all at once (up to the
 * ingest batch limit), and each frame learns its own items' outcomes. A frame is acknowledged only
 * when the batch holding it has committed, so nothing is acknowledged earlier than it would be alone.
 */

import type { IngestResult, ReadingInput } from '../../monitoring/public';

export type FrameOutcome = { accepted: number; duplicates: number; rejected: number; reasons: string[] };

type Job = { items: readonly ReadingInput[]; resolve: (outcome: FrameOutcome) => void; reject: (error: unknown) => void };

export class IngestBatcher {
  private readonly queue: Job[] = [];
  private inFlight = 0;
  private flushScheduled = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly ingest: (items: readonly ReadingInput[]) => Promise<IngestResult>,
    private readonly options: { maxItems: number; maxInFlight: number },
  ) {}

  submit(items: readonly ReadingInput[]): Promise<FrameOutcome> {
    if (items.length === 0) return Promise.resolve({ accepted: 0, duplicates: 0, rejected: 0, reasons: [] });
    return new Promise((resolve, reject) => {
      this.queue.push({ items, resolve, reject });
      // Wait for the end of this turn of the event loop, so frames read from other sockets in the
      // same turn join the batch. The embedded engine runs a whole transaction without letting
      // the loop read sockets, so without this pause every batch would hold a single frame.
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => {
          this.flushScheduled = false;
          this.pump();
        });
      }
    });
  }

  /** Resolves once nothing is queued or being written (at stop, before the database closes). */
  idle(): Promise<void> {
    if (this.inFlight === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (this.inFlight < this.options.maxInFlight && this.queue.length > 0) {
      const jobs: Job[] = [];
      let size = 0;
      while (this.queue.length > 0) {
        const next = this.queue[0] as Job;
        if (jobs.length > 0 && size + next.items.length > this.options.maxItems) break;
        jobs.push(this.queue.shift() as Job);
        size += next.items.length;
      }
      this.inFlight += 1;
      void this.write(jobs).finally(() => {
        this.inFlight -= 1;
        this.pump();
        if (this.inFlight === 0 && this.queue.length === 0) {
          const waiters = this.idleWaiters;
          this.idleWaiters = [];
          for (const wake of waiters) wake();
        }
      });
    }
  }

  private async write(jobs: readonly Job[]): Promise<void> {
    const items = jobs.flatMap((job) => job.items);
    let result: IngestResult;
    try {
      result = await this.ingest(items);
    } catch (error) {
      for (const job of jobs) job.reject(error);
      return;
    }
    let offset = 0;
    for (const job of jobs) {
      const outcome: FrameOutcome = { accepted: 0, duplicates: 0, rejected: 0, reasons: [] };
      for (let i = offset; i < offset + job.items.length; i++) {
        const item = result.items[i];
        if (item?.outcome === 'ACCEPTED') outcome.accepted += 1;
        else if (item?.outcome === 'DUPLICATE') outcome.duplicates += 1;
        else {
          outcome.rejected += 1;
          if (item?.reason && !outcome.reasons.includes(item.reason)) outcome.reasons.push(item.reason);
        }
      }
      offset += job.items.length;
      job.resolve(outcome);
    }
  }
}
