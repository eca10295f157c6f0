/**
 * Password checks (a monitor lookup and a scrypt run) waiting their turn. A scrypt run holds a
 * libuv thread and a core for tens of milliseconds; started all at once, a burst of checks would
 * take every thread while real devices' frames wait behind them. So checks run a few at a time,
 * sources a device has authenticated from before go ahead of strangers, and a check nobody waits
 * for any more (its connections have closed) is dropped before it runs.
 */

export type CheckPriority = 'known' | 'stranger';

type Waiting = { wanted: () => boolean; run: () => void; drop: () => void };

export class CheckQueue {
  private readonly known: Waiting[] = [];
  private readonly strangers: Waiting[] = [];
  private running = 0;

  constructor(private readonly concurrency: number) {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError('concurrency must be a positive integer');
  }

  get waiting(): number {
    return this.known.length + this.strangers.length;
  }

  /** Runs `task` when its turn comes; resolves to undefined when it was dropped unwanted instead. */
  run<T>(priority: CheckPriority, wanted: () => boolean, task: () => Promise<T>): Promise<T | undefined> {
    return new Promise<T | undefined>((resolve, reject) => {
      const entry: Waiting = {
        wanted,
        drop: () => resolve(undefined),
        run: () => {
          this.running += 1;
          const done = () => {
            this.running -= 1;
            this.next();
          };
          task().then(
            (value) => {
              done();
              resolve(value);
            },
            (error: unknown) => {
              done();
              reject(error);
            },
          );
        },
      };
      (priority === 'known' ? this.known : this.strangers).push(entry);
      this.next();
    });
  }

  private next(): void {
    while (this.running < this.concurrency) {
      const entry = this.known.shift() ?? this.strangers.shift();
      if (!entry) return;
      if (entry.wanted()) entry.run();
      else entry.drop();
    }
  }
}
