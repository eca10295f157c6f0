import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { sql, type SQL } from 'drizzle-orm';
import type { Database, Executor } from '../db';
import { arrayLiteral, json, rowsOf } from '../db';
import type { EventTopic, HubEvent } from './topics';
import { EventSubscription, type SubscriptionOptions } from './subscription';
import type { JobObserver } from '../scheduler';
import { Consumer, type ConsumerOptions } from './consumer';

export type { ConsumerOptions } from './consumer';

/** Channel between hub instances: the notification carries the newest id, never the payload. */
export const EVENTS_CHANNEL = 'hub_events';
/**
 * Every publishing transaction takes this transaction-scoped advisory lock just before it writes
 * its outbox rows, so ids are handed out in commit order and a reader that has seen id N has
 * seen every committed event below N: resuming from an id never skips one.
 */
const OUTBOX_LOCK_KEY = 212_0914;
const PAGE = 500;

interface EventRow {
  id: number | string;
  topic: string;
  payload: unknown;
  occurred_at: Date | string;
}

function toEvent(row: EventRow): HubEvent {
  return {
    id: Number(row.id),
    topic: row.topic,
    payload: row.payload,
    occurredAt: row.occurred_at instanceof Date ? row.occurred_at : new Date(row.occurred_at),
  };
}

export type Emit = <T>(topic: EventTopic<T>, payload: T) => void;

export class EventBus {
  readonly #db: Database;
  readonly #logger: Logger;
  readonly #subscribers = new Set<EventSubscription>();
  readonly #consumers = new Set<Consumer>();
  #cursor = 0;
  #draining: Promise<void> | undefined;
  #again = false;
  #unlisten: (() => Promise<void>) | undefined;
  #stopped = false;
  #notifying: Promise<void> | undefined;
  #notifyAgain = false;
  /**
   * The payload of this instance's notifications. Its own come back to its listener; they are
   * skipped, since every commit here either delivered its events or woke the bus already, and a
   * needless read of the outbox would hold the next commit's events off the direct path.
   */
  readonly #origin = randomUUID();

  /** events queued for one subscriber before it counts as not reading */
  readonly subscriberQueueMax: number;

  /** this hub instance: the holder of the consumer leases it takes */
  readonly #instanceId: string;
  readonly #observer: JobObserver | undefined;

  constructor(db: Database, logger: Logger, options: { subscriberQueueMax?: number; instanceId?: string; observer?: JobObserver } = {}) {
    this.#db = db;
    this.#logger = logger.child({ component: 'events' });
    this.subscriberQueueMax = options.subscriberQueueMax ?? 1000;
    this.#instanceId = options.instanceId ?? this.#origin;
    this.#observer = options.observer;
  }

  /** The id of the newest event this instance has delivered. */
  get cursor(): number {
    return this.#cursor;
  }

  get subscriberCount(): number {
    return this.#subscribers.size;
  }

  /** Events waiting in subscribers' queues: in all, and in the longest one (for the metrics). */
  queueDepths(): { queued: number; maxQueued: number } {
    let queued = 0;
    let maxQueued = 0;
    for (const subscriber of this.#subscribers) {
      queued += subscriber.queued;
      maxQueued = Math.max(maxQueued, subscriber.queued);
    }
    return { queued, maxQueued };
  }

  async start(): Promise<void> {
    this.#cursor = await this.latestId();
    this.#unlisten = await this.#db.listen(
      EVENTS_CHANNEL,
      (origin) => {
        if (origin !== this.#origin) this.wake();
      },
      // after a dropped listening connection comes back: catch up on what was published meanwhile
      () => this.wake(),
    );
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#unlisten?.();
    for (const consumer of this.#consumers) consumer.stop();
    for (const subscriber of this.#subscribers) subscriber.end();
    await this.#draining;
    // the last commits' notification still goes out before the database closes
    while (this.#notifying) await this.#notifying;
  }

  async latestId(): Promise<number> {
    const rows = await this.#db.query<{ id: number | string | null }>('SELECT max(id) AS id FROM hub_events');
    return Number(rows[0]?.id ?? 0);
  }

  /**
   * Runs `fn` in a transaction; events it emits are written to the outbox in the same
   * transaction and delivered only after it commits. Nothing is delivered if it rolls back.
   */
  async transaction<R>(fn: (tx: Executor, emit: Emit) => Promise<R>): Promise<R> {
    const pending: { topic: string; payload: unknown }[] = [];
    const emit: Emit = (topic, payload) => {
      pending.push({ topic: topic.name, payload });
    };
    let written: EventRow[] = [];
    const result = await this.#db.orm.transaction(async (tx) => {
      const value = await fn(tx, emit);
      written = await writeOutbox(tx, pending);
      return value;
    });
    if (pending.length > 0) this.#afterCommit(written);
    return result;
  }

  /** Publishes one event: a single statement, its own transaction. */
  async publish<T>(topic: EventTopic<T>, payload: T): Promise<void> {
    this.#afterCommit(await rowsOf<EventRow>(this.#db.orm, outboxInsert([{ topic: topic.name, payload }])));
  }

  /**
   * Delivers what a transaction of this instance just committed. When those events are the very
   * next after the cursor (nothing from another instance or a rolled-back id in between) and no
   * read of the outbox is under way, they go to the subscribers straight away; otherwise the
   * outbox is read as for any other instance's events.
   */
  #afterCommit(written: readonly EventRow[]): void {
    const first = written[0];
    if (first && !this.#stopped && !this.#draining && Number(first.id) === this.#cursor + 1 && contiguous(written)) {
      for (const row of written) {
        const event = toEvent(row);
        this.#cursor = event.id;
        for (const subscriber of this.#subscribers) subscriber.offer(event);
      }
      this.#pokeConsumers(written);
    } else this.wake();
    this.#notifyOthers();
  }

  /**
   * Tells other instances that the outbox grew. Nobody waits for it: the events are committed,
   * and commits that come while a notification is on its way share the next one, sent after they
   * committed, so a busy hub sends one notification per round trip, not one per transaction.
   */
  #notifyOthers(): void {
    if (this.#db.engine !== 'postgres') return;
    if (this.#notifying) {
      this.#notifyAgain = true;
      return;
    }
    this.#notifying = this.#db
      .notify(EVENTS_CHANNEL, this.#origin)
      .catch((error: unknown) => {
        // other instances catch up on their next wake; the events themselves are committed
        this.#logger.warn({ err: error }, 'event notification failed');
      })
      .finally(() => {
        this.#notifying = undefined;
        if (this.#notifyAgain) {
          this.#notifyAgain = false;
          this.#notifyOthers();
        }
      });
  }

  /** Reads and delivers everything newer than the cursor; concurrent calls coalesce. */
  wake(): void {
    if (this.#stopped) return;
    if (this.#draining) {
      this.#again = true;
      return;
    }
    this.#draining = this.#drain().finally(() => {
      this.#draining = undefined;
      if (this.#again) {
        this.#again = false;
        this.wake();
      }
    });
  }

  async #drain(): Promise<void> {
    try {
      for (;;) {
        const rows = await this.#db.query<EventRow>('SELECT id, topic, payload, occurred_at FROM hub_events WHERE id > $1 ORDER BY id LIMIT $2', [
          this.#cursor,
          PAGE,
        ]);
        for (const row of rows) {
          const event = toEvent(row);
          this.#cursor = event.id;
          for (const subscriber of this.#subscribers) subscriber.offer(event);
        }
        this.#pokeConsumers(rows);
        if (rows.length < PAGE) return;
      }
    } catch (error) {
      if (!this.#stopped) this.#logger.error({ err: error }, 'event delivery failed; will retry on the next wake');
    }
  }

  /** Wakes the workers that take any of these events' topics; the others have nothing new. */
  #pokeConsumers(rows: readonly { topic: string }[]): void {
    if (rows.length === 0) return;
    const topics = new Set(rows.map((row) => row.topic));
    for (const consumer of this.#consumers) if (consumer.wants(topics)) consumer.poke();
  }

  /** Reads committed events after `afterId` (and up to `upToId`) on the given topics, in order. */
  async readPage(afterId: number, upToId: number, topics: readonly string[], limit = PAGE): Promise<HubEvent[]> {
    const rows = await this.#db.query<EventRow>(
      `SELECT id, topic, payload, occurred_at FROM hub_events
        WHERE id > $1 AND id <= $2 AND topic = ANY($3::text[]) ORDER BY id LIMIT $4`,
      [afterId, upToId, arrayLiteral(topics), limit],
    );
    return rows.map(toEvent);
  }

  /**
   * A live subscription: with `since`, first every matching event after that id, then live ones,
   * with no gap and no duplicate. The queue is bounded; overflow ends the subscription with an
   * error the transport turns into a close code.
   */
  subscribe<T = unknown>(options: SubscriptionOptions<T>): EventSubscription<T> {
    const subscription = new EventSubscription<T>(this, options, (s) => this.#subscribers.delete(s as EventSubscription));
    this.#subscribers.add(subscription as EventSubscription);
    return subscription;
  }

  /**
   * A module worker: at-least-once delivery, resuming from its stored offset after a restart.
   * With several hub instances, one of them at a time handles the events (see the lease above).
   */
  async consume<const Topics extends readonly EventTopic<unknown>[]>(options: ConsumerOptions<Topics>): Promise<() => void> {
    const start = await this.latestId();
    // A new consumer starts from now: it reacts to what happens from its first start on.
    await this.#db.query('INSERT INTO hub_consumers (name, last_event_id) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [options.name, start]);
    const rows = await this.#db.query<{ last_event_id: number | string }>('SELECT last_event_id FROM hub_consumers WHERE name = $1', [options.name]);
    // the outbox is read by topic name, so each event handed over carries its topic's payload
    const consumer = new Consumer(this, this.#db, this.#logger, options as unknown as ConsumerOptions, {
      offset: Number(rows[0]?.last_event_id ?? start),
      instanceId: this.#instanceId,
      observer: this.#observer,
    });
    this.#consumers.add(consumer);
    consumer.poke();
    return () => {
      consumer.stop();
      this.#consumers.delete(consumer);
    };
  }
}

/**
 * The outbox rows of a transaction, in one statement that first takes the outbox lock (the
 * one-row lock subquery is evaluated before any row is inserted, so ids come after the lock).
 * `occurred_at` is the time of writing: in a long transaction that is close to its commit.
 */
function outboxInsert(pending: readonly { topic: string; payload: unknown }[]): SQL {
  return sql`INSERT INTO hub_events (topic, payload, occurred_at)
             SELECT e.item->>'topic', e.item->'payload', clock_timestamp()
               FROM (SELECT pg_advisory_xact_lock(${OUTBOX_LOCK_KEY})) AS locked,
                    jsonb_array_elements(${json(pending)}) WITH ORDINALITY AS e(item, n)
              ORDER BY e.n
          RETURNING id, topic, payload, occurred_at`;
}

async function writeOutbox(tx: Executor, pending: { topic: string; payload: unknown }[]): Promise<EventRow[]> {
  if (pending.length === 0) return [];
  return rowsOf<EventRow>(tx, outboxInsert(pending));
}

function contiguous(rows: readonly EventRow[]): boolean {
  return rows.every((row, i) => i === 0 || Number(row.id) === Number(rows[i - 1]?.id) + 1);
}
