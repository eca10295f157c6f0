/**
 * Password checks (a monitor lookup and a scrypt run) waiting their turn. A scrypt run holds a
 * libuv thread and a core for tens of milliseconds; started all at once, a burst of checks would
 * take every thread while real devices' frames wait behind them. So checks run a few at a time, in
 * three classes: sources a device has authenticated from before first; then strangers; last,
 * strangers presenting an MN that has had wrong PWs lately (whoever is guessing it). Within a class
 * of strangers, client addresses take turns, so one address flooding checks delays a device
 * dialling in from elsewhere by one check, not by its backlog. A check nobody waits for any more
 * (its connections have closed) is dropped before it runs.
 */

export type CheckPriority = 'known' | 'stranger' | 'suspect';

type Waiting = { wanted: () => boolean; run: () => void; drop: () => void };

/** Waiting checks by client address; `order` holds each address with checks waiting once. */
class Turns {
  private readonly byAddress = new Map<string, Waiting[]>();
  private readonly order: string[] = [];

  add(address: string, entry: Waiting): void {
    const queue = this.byAddress.get(address);
    if (queue) queue.push(entry);
    else {
      this.byAddress.set(address, [entry]);
      this.order.push(address);
    }
  }

  take(): Waiting | undefined {
    const address = this.order.shift();
    if (address === undefined) return undefined;
    const queue = this.byAddress.get(address) as Waiting[];
    const entry = queue.shift();
    if (queue.length > 0) this.order.push(address);
    else this.byAddress.delete(address);
    return entry;
  }
}

export class CheckQueue {
  private readonly known: Waiting[] = [];
  private readonly strangers = new Turns();
  private readonly suspects = new Turns();
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
      if (priority === 'known') this.known.push(entry);
      else (priority === 'stranger' ? this.strangers : this.suspects).add(address, entry);
      this.next();
    });
  }

  private next(): void {
    while (this.running < this.concurrency) {
      const entry = this.known.shift() ?? this.strangers.take() ?? this.suspects.take();
      if (!entry) return;
      this.waitingCount -= 1;
      if (entry.wanted()) entry.run();
      else entry.drop();
    }
  }
}
