import { randomUUID } from 'node:crypto';
import { isAdmin, type Viewer } from '../../../src/auth/viewer';
import { HubError } from '../../../src/errors';

export type ExportState = 'RUNNING' | 'DONE' | 'CANCELLED' | 'FAILED';

/** An export as its owner sees it while it runs and for a while after. */
export interface ExportJob {
  readonly id: string;
  readonly kind: string;
  readonly format: string;
  readonly fileName: string;
  /** token subject of who asked */
  readonly owner: string;
  readonly startedAt: Date;
  state: ExportState;
  rowsWritten: number;
  /** null until the export has counted what it will write, or when it cannot tell */
  rowsEstimated: number | null;
  finishedAt: Date | null;
  /** why it failed or was cancelled, in words the owner can act on */
  reason: string | null;
}

/** A running export's handle: its progress, its cancellation and its end. */
export interface RunningExport {
  readonly job: ExportJob;
  readonly signal: AbortSignal;
  estimate(rows: number | null): void;
  progress(rows: number): void;
  finish(state: Exclude<ExportState, 'RUNNING'>, reason?: string): void;
}

/** Too many exports running: the caller should try again shortly (HTTP 429). */
export class ExportsBusyError extends HubError {
  constructor(message: string) {
    super('TOO_MANY_EXPORTS', message);
  }
}

export class ExportCancelledError extends Error {
  override name = 'ExportCancelledError';
}

/** At most this many exports of one account run at once, whatever the instance allows. */
export const MAX_EXPORTS_PER_ACCOUNT = 2;
/** How long a finished export stays listed, and how many finished ones are kept. */
const KEEP_FINISHED_MS = 15 * 60_000;
const MAX_FINISHED = 200;
/** The most exports a listing can hold: the finished ones kept, and the most that may run (EXPORT_MAX_CONCURRENT's ceiling). */
export const MAX_LISTED_EXPORTS = MAX_FINISHED + 100;

/**
 * The exports of this instance: bounded in number (per instance and per account), each with its
 * progress and an abort signal that cancelling (or the download closing) trips. Kept in memory:
 * an export lives as long as its HTTP response, on the instance that serves it.
 */
export class ExportJobs {
  readonly #jobs = new Map<string, { job: ExportJob; controller: AbortController }>();
  readonly #maxRunning: number;
  readonly #now: () => Date;

  constructor(options: { maxRunning: number; now: () => Date }) {
    this.#maxRunning = options.maxRunning;
    this.#now = options.now;
  }

  start(viewer: Viewer, what: { kind: string; format: string; fileName: string }): RunningExport {
    this.#prune();
    const owner = viewer.subject ?? 'anonymous';
    const running = [...this.#jobs.values()].filter((j) => j.job.state === 'RUNNING');
    if (running.length >= this.#maxRunning) throw new ExportsBusyError(`${this.#maxRunning} exports are running on this instance: try again shortly`);
    if (running.filter((j) => j.job.owner === owner).length >= MAX_EXPORTS_PER_ACCOUNT) {
      throw new ExportsBusyError(`at most ${MAX_EXPORTS_PER_ACCOUNT} exports of one account run at once: wait for one to finish or cancel it`);
    }
    const job: ExportJob = {
      id: randomUUID(),
      ...what,
      owner,
      startedAt: this.#now(),
      state: 'RUNNING',
      rowsWritten: 0,
      rowsEstimated: null,
      finishedAt: null,
      reason: null,
    };
    const controller = new AbortController();
    this.#jobs.set(job.id, { job, controller });
    return {
      job,
      signal: controller.signal,
      estimate: (rows) => {
        job.rowsEstimated = rows;
      },
      progress: (rows) => {
        job.rowsWritten += rows;
      },
      finish: (state, reason) => {
        if (job.state !== 'RUNNING') return;
        job.state = state;
        job.reason = reason ?? null;
        job.finishedAt = this.#now();
        if (!controller.signal.aborted) controller.abort(new ExportCancelledError(reason ?? 'export finished'));
      },
    };
  }

  /** The viewer's own exports (an administrator's: everyone's), newest first. */
  list(viewer: Viewer): ExportJob[] {
    this.#prune();
    return [...this.#jobs.values()]
      .map((j) => j.job)
      .filter((job) => this.#visible(viewer, job))
      .sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime());
  }

  get(viewer: Viewer, id: string): ExportJob | undefined {
    const found = this.#jobs.get(id)?.job;
    return found && this.#visible(viewer, found) ? found : undefined;
  }

  /** Cancels a running export: its reading stops at the next page and its download is cut. */
  cancel(viewer: Viewer, id: string): ExportJob | undefined {
    const found = this.#jobs.get(id);
    if (!found || !this.#visible(viewer, found.job)) return undefined;
    if (found.job.state === 'RUNNING') {
      found.job.state = 'CANCELLED';
      found.job.reason = `cancelled by ${viewer.subject ?? 'the hub'}`;
      found.job.finishedAt = this.#now();
      found.controller.abort(new ExportCancelledError('the export was cancelled'));
    }
    return found.job;
  }

  /** On shutdown: every running export is cancelled so its response ends now. */
  cancelAll(): void {
    for (const { job, controller } of this.#jobs.values()) {
      if (job.state !== 'RUNNING') continue;
      job.state = 'CANCELLED';
      job.reason = 'the hub is shutting down';
      job.finishedAt = this.#now();
      controller.abort(new ExportCancelledError('the hub is shutting down'));
    }
  }

  #visible(viewer: Viewer, job: ExportJob): boolean {
    return isAdmin(viewer) || (viewer.subject !== undefined && job.owner === viewer.subject);
  }

  #prune(): void {
    const cutoff = this.#now().getTime() - KEEP_FINISHED_MS;
    const finished = [...this.#jobs.values()]
      .filter((j) => j.job.finishedAt !== null)
      .sort((a, b) => (b.job.finishedAt as Date).getTime() - (a.job.finishedAt as Date).getTime());
    finished.forEach((j, index) => {
      if (index >= MAX_FINISHED || (j.job.finishedAt as Date).getTime() < cutoff) this.#jobs.delete(j.job.id);
    });
  }
}
