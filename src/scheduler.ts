import type { Logger } from 'pino';
import type { Database } from './db';

/** What a periodic job is told about the hub's other instances. */
export type JobScope =
  /** one run per period across every instance on the database (the default) */
  | 'cluster'
  /** each instance runs its own (its own heartbeat, its own in-memory state) */
  | 'instance';

export interface JobOptions {
  /** stable and unique: `<module>.<what it does>`; claims across instances are kept under it */
  name: string;
  everyMs: number;
  run: () => Promise<unknown>;
  scope?: JobScope;
  /** also run (or claim) right at start instead of one period later */
  runAtStart?: boolean;
}

/** Told about every tick: the metrics count runs, failures and ticks another instance took. */
export interface JobObserver {
  ran(job: string, outcome: 'ok' | 'failed', seconds: number): void;
  skipped(job: string): void;
}

interface ScheduledJob {
  options: JobOptions;
  timer: NodeJS.Timeout;
  running?: Promise<void> | undefined;
}

/**
 * Periodic jobs: named, never overlapping on an instance, and `stop` waits for runs under way.
 *
 * A cluster job runs once per period across all instances on one database. Periods are numbered
 * from the hub's clock (`floor(now / everyMs)`), and an instance runs a period only if it is the
 * first to claim it in `hub_jobs`: the claim moves the stored period forward, so no period runs
 * twice, whichever instance ticks first, and instances whose clocks differ a little cannot run
 * an old period again. A claim also needs the previous run to be finished, or its lease (a few
 * periods) to have run out, so runs do not overlap across instances either, and an instance that
 * died during a run holds nothing for long.
 */
export class Scheduler {
  readonly #jobs: ScheduledJob[] = [];
  #stopped = false;

  constructor(private readonly deps: { db: Database; logger: Logger; now: () => Date; instanceId: string; observer?: JobObserver }) {}

  every(options: JobOptions): void {
    if (this.#stopped) return;
    if (this.#jobs.some((job) => job.options.name === options.name)) throw new Error(`job ${options.name} is scheduled twice`);
    const job: ScheduledJob = { options, timer: setInterval(() => this.#tick(job), options.everyMs) };
    job.timer.unref();
    this.#jobs.push(job);
    if (options.runAtStart) this.#tick(job);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    for (const job of this.#jobs) clearInterval(job.timer);
    await Promise.all(this.#jobs.map((job) => job.running));
  }

  #tick(job: ScheduledJob): void {
    if (this.#stopped || job.running) return;
    job.running = this.#runOnce(job.options).finally(() => {
      job.running = undefined;
    });
  }

  async #runOnce(options: JobOptions): Promise<void> {
    const { logger, observer } = this.deps;
    let claimed: boolean;
    try {
      claimed = options.scope === 'instance' || (await this.#claim(options));
    } catch (error) {
      logger.warn({ err: error, job: options.name }, 'job could not be claimed; will try on the next tick');
      return;
    }
    if (!claimed) {
      observer?.skipped(options.name);
      return;
    }
    const started = performance.now();
    let outcome: 'ok' | 'failed' = 'ok';
    try {
      await options.run();
    } catch (error) {
      outcome = 'failed';
      logger.error({ err: error, job: options.name }, 'job failed; will run again next period');
    }
    observer?.ran(options.name, outcome, (performance.now() - started) / 1000);
    if (options.scope !== 'instance') {
      await this.deps.db
        .query('UPDATE hub_jobs SET finished_at = now(), failed = $3 WHERE name = $1 AND instance_id = $2', [
          options.name,
          this.deps.instanceId,
          outcome === 'failed',
        ])
        .catch((error: unknown) => logger.warn({ err: error, job: options.name }, 'job end could not be recorded; its lease runs out'));
    }
  }

  /** True when this instance takes the current period of the job. */
  async #claim(options: JobOptions): Promise<boolean> {
    const period = Math.floor(this.deps.now().getTime() / options.everyMs);
    // a run holds the job for three periods (at least a minute) unless it ends first
    const leaseMs = Math.max(60_000, 3 * options.everyMs);
    const rows = await this.deps.db.query(
      `INSERT INTO hub_jobs AS j (name, period, instance_id, started_at, lease_until)
       VALUES ($1, $2, $3, now(), now() + make_interval(secs => $4))
       ON CONFLICT (name) DO UPDATE
          SET period = EXCLUDED.period, instance_id = EXCLUDED.instance_id, started_at = EXCLUDED.started_at,
              lease_until = EXCLUDED.lease_until, finished_at = NULL, failed = NULL
        WHERE j.period < EXCLUDED.period AND (j.finished_at IS NOT NULL OR j.lease_until < now())
       RETURNING name`,
      [options.name, period, this.deps.instanceId, leaseMs / 1000],
    );
    return rows.length > 0;
  }
}
