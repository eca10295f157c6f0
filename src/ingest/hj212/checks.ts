/**
 * Password checks (a monitor lookup and a scrypt run) waiting their turn. A scrypt run holds a
 * libuv thread and a core for tens of milliseconds; started all at once, a burst of checks would
 * take every thread while real devices' frames wait behind them. So checks run a few at a time;
 * sources a device has authenticated from before go ahead of strangers; strangers take turns by
 * client address, so one address flooding wrong PWs delays a device dialling in from elsewhere by
 * one check, not by its whole backlog; and a check nobody waits for any more (its connections
 * have closed) is dropped before it runs.
 */

export type CheckPriority = 'known' | 'stranger';

type Waiting = { wanted: () => boolean; run: () => void; drop: () => void };

export class CheckQueue {
  private readonly known: Waiting[] = [];
  /** Strangers' checks by client address; `turns` holds each address with checks waiting once. */
  private readonly strangers = new Map<string, Waiting[]>();
  private readonly turns: string[] = [];
  private running = 0;
  private waitingCount = 0;

  constructor(private readonly concurrency: number) {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError('concurrency must be a positive integer');
  }

  get waiting(): number {
    return this.waitingCount;
  }

  /** Runs `task` when its turn comes; resolves to undefined when it was dropped unwanted instead. */
  run<T>(priority: CheckPriority, address: string, wanted: () => boolean, task: () => Promise<T>): Promise<T | undefined> {
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
      this.waitingCount += 1;
      if (priority === 'known') {
        this.known.push(entry);
      } else {
        const queue = this.strangers.get(address);
        if (queue) queue.push(entry);
        else {
          this.strangers.set(address, [entry]);
          this.turns.push(address);
        }
      }
      this.next();
    });
  }

  private take(): Waiting | undefined {
    const known = this.known.shift();
    if (known) return known;
    const address = this.turns.shift();
    if (address === undefined) return undefined;
    const queue = this.strangers.get(address) as Waiting[];
    const entry = queue.shift();
    if (queue.length > 0) this.turns.push(address);
    else this.strangers.delete(address);
    return entry;
  }

  private next(): void {
    while (this.running < this.concurrency) {
      const entry = this.take();
      if (!entry) return;
      this.waitingCount -= 1;
      if (entry.wanted()) entry.run();
      else entry.drop();
    }
  }
}
