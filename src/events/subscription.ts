import type { EventTopic, HubEvent } from './topics';

/** Minimal view of the bus a subscription needs: its delivery cursor and committed pages. */
interface EventSource {
  readonly cursor: number;
  readPage(afterId: number, upToId: number, topics: readonly string[], limit?: number): Promise<HubEvent[]>;
}

export interface SubscriptionOptions<T> {
  topics: readonly EventTopic<T>[];
  /** replay every matching event after this outbox id before the live ones */
  since?: number | undefined;
  /** row scope and client filters; events it rejects are skipped, on replay and live alike */
  filter?: ((event: HubEvent<T>) => boolean) | undefined;
  /** events held in memory for this subscriber; past that it reads from the outbox instead */
  queueMax: number;
}

/**
 * One subscriber's ordered stream. While replaying it pages through the outbox up to the bus's
 * cursor and ignores live deliveries (they are in the outbox too); it switches to live delivery
 * in the same tick that it finds nothing left below the cursor, so no event falls between.
 */
export class EventSubscription<T = unknown> implements AsyncIterableIterator<HubEvent<T>> {
  readonly #source: EventSource;
  readonly #options: SubscriptionOptions<T>;
  readonly #topics: string[];
  readonly #onEnd: (subscription: EventSubscription<T>) => void;
  readonly #queue: HubEvent<T>[] = [];
  #lastId: number;
  #replaying: boolean;
  #waiter: ((result: IteratorResult<HubEvent<T>>) => void) | undefined;
  #failure: ((error: Error) => void) | undefined;
  #error: Error | undefined;
  #done = false;

  constructor(source: EventSource, options: SubscriptionOptions<T>, onEnd: (subscription: EventSubscription<T>) => void) {
    this.#source = source;
    this.#options = options;
    this.#topics = options.topics.map((topic) => topic.name);
    this.#onEnd = onEnd;
    this.#replaying = options.since !== undefined && options.since < source.cursor;
    this.#lastId = this.#replaying ? (options.since as number) : source.cursor;
  }

  get queued(): number {
    return this.#queue.length;
  }

  /**
   * Called by the bus for every delivered event, in id order. When the queue is full the
   * subscription falls back to reading the outbox, so a consumer that lags behind a burst costs
   * at most `queueMax` events of memory and still loses nothing.
   */
  offer(event: HubEvent): void {
    if (this.#done || this.#replaying || event.id <= this.#lastId) return;
    if (!this.#topics.includes(event.topic)) return;
    const typed = event as HubEvent<T>;
    if (this.#options.filter && !this.#options.filter(typed)) {
      this.#lastId = event.id;
      return;
    }
    if (this.#waiter) {
      this.#lastId = event.id;
      const waiter = this.#waiter;
      this.#waiter = undefined;
      this.#failure = undefined;
      waiter({ value: typed, done: false });
      return;
    }
    if (this.#queue.length >= this.#options.queueMax) {
      this.#replaying = true;
      return;
    }
    this.#lastId = event.id;
    this.#queue.push(typed);
  }

  fail(error: Error): void {
    if (this.#done) return;
    this.#error = error;
    this.#finish();
    if (this.#failure) {
      const failure = this.#failure;
      this.#waiter = undefined;
      this.#failure = undefined;
      failure(error);
    }
  }

  end(): void {
    if (this.#done) return;
    this.#finish();
    if (this.#waiter) {
      const waiter = this.#waiter;
      this.#waiter = undefined;
      this.#failure = undefined;
      waiter({ value: undefined, done: true });
    }
  }

  #finish(): void {
    this.#done = true;
    this.#queue.length = 0;
    this.#onEnd(this);
  }

  async #replayPage(): Promise<void> {
    for (;;) {
      const upTo = this.#source.cursor;
      const page = await this.#source.readPage(this.#lastId, upTo, this.#topics);
      if (this.#done) return;
      if (page.length > 0) {
        for (const event of page) {
          this.#lastId = event.id;
          const typed = event as HubEvent<T>;
          if (!this.#options.filter || this.#options.filter(typed)) this.#queue.push(typed);
        }
        if (this.#queue.length > 0) return;
        continue;
      }
      this.#lastId = Math.max(this.#lastId, upTo);
      if (this.#source.cursor === upTo) {
        this.#replaying = false;
        return;
      }
    }
  }

  async next(): Promise<IteratorResult<HubEvent<T>>> {
    if (this.#error) throw this.#error;
    if (this.#queue.length === 0 && this.#replaying && !this.#done) await this.#replayPage();
    const head = this.#queue.shift();
    if (head) return { value: head, done: false };
    if (this.#error) throw this.#error;
    if (this.#done) return { value: undefined, done: true };
    return new Promise((resolve, reject) => {
      this.#waiter = resolve;
      this.#failure = reject;
    });
  }

  async return(): Promise<IteratorResult<HubEvent<T>>> {
    this.end();
    return { value: undefined, done: true };
  }

  async throw(error?: unknown): Promise<IteratorResult<HubEvent<T>>> {
    this.end();
    throw error;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
