import type { Logger } from 'pino';
import type { Database } from '../db';
import type { JobObserver } from '../scheduler';
import type { EventTopic, HubEvent } from './topics';

/** The payload type of a topic, or the union of a list's topics' payloads. */
export type PayloadOf<Topic> = Topic extends EventTopic<infer Payload> ? Payload : never;

export interface ConsumerOptions<Topics extends readonly EventTopic<unknown>[] = readonly EventTopic<unknown>[]> {
  /** unique, stable: the offset is stored under it */
  name: string;
  topics: Topics;
  /** must be idempotent by event id: delivery is at least once; the payload is typed by the topics */
  handle: (event: HubEvent<PayloadOf<Topics[number]>>) => Promise<void>;
  retryDelayMs?: number;
}

/**
 * One instance at a time works through a consumer's events, holding this lease in hub_consumers
 * and renewing it as it goes; another instance takes over once a holder that died lets it run out.
 */
const CONSUMER_LEASE_SECONDS = 30;
const PAGE = 500;

/** What a consumer reads from the bus. */
interface EventPages {
  readPage(afterId: number, upToId: number, topics: readonly string[], limit?: number): Promise<HubEvent[]>;
}

/** A module worker's loop over the outbox: see EventBus.consume. */
export class Consumer {
  #offset: number;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = false;
  #timer: NodeJS.Timeout | undefined;
  readonly #instanceId: string;
  readonly #observer: JobObserver | undefined;

  constructor(
    private readonly bus: EventPages,
    private readonly db: Database,
    private readonly logger: Logger,
    private readonly options: ConsumerOptions,
    state: { offset: number; instanceId: string; observer: JobObserver | undefined },
  ) {
    this.#offset = state.offset;
    this.#instanceId = state.instanceId;
    this.#observer = state.observer;
  }

  wants(topics: ReadonlySet<string>): boolean {
    return this.options.topics.some((topic) => topics.has(topic.name));
  }

  poke(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.#run().finally(() => {
      this.#running = undefined;
      if (this.#again) {
        this.#again = false;
        this.poke();
      }
    });
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  #retryIn(ms: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.poke(), ms);
    this.#timer.unref();
  }

  /** Takes the lease unless another live instance holds it; the stored offset when taken. */
  async #claim(): Promise<number | undefined> {
    const rows = await this.db.query<{ last_event_id: number | string }>(
      `UPDATE hub_consumers SET owner_instance = $2, lease_until = now() + make_interval(secs => $3)
        WHERE name = $1 AND (owner_instance IS NULL OR owner_instance = $2 OR lease_until < now())
        RETURNING last_event_id`,
      [this.options.name, this.#instanceId, CONSUMER_LEASE_SECONDS],
    );
    return rows[0] === undefined ? undefined : Number(rows[0].last_event_id);
  }

  /** Records progress and renews the lease; false when the lease went to another instance. */
  async #advance(eventId: number): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE hub_consumers SET last_event_id = GREATEST(last_event_id, $2), updated_at = now(), lease_until = now() + make_interval(secs => $4)
        WHERE name = $1 AND owner_instance = $3 RETURNING name`,
      [this.options.name, eventId, this.#instanceId, CONSUMER_LEASE_SECONDS],
    );
    return rows.length > 0;
  }

  async #release(): Promise<void> {
    await this.db.query('UPDATE hub_consumers SET owner_instance = NULL, lease_until = NULL WHERE name = $1 AND owner_instance = $2', [
      this.options.name,
      this.#instanceId,
    ]);
  }

  async #run(): Promise<void> {
    const topics = this.options.topics.map((topic) => topic.name);
    let held = false;
    try {
      const offset = await this.#claim();
      if (offset === undefined) {
        // the holder is poked by the same events; this only covers a holder that died
        this.#observer?.skipped(this.options.name);
        this.#retryIn(CONSUMER_LEASE_SECONDS * 1000);
        return;
      }
      held = true;
      this.#offset = Math.max(this.#offset, offset);
      while (!this.#stopped) {
        const page = await this.bus.readPage(this.#offset, Number.MAX_SAFE_INTEGER, topics);
        for (const event of page) {
          if (this.#stopped) return;
          const started = performance.now();
          try {
            await this.options.handle(event);
          } catch (error) {
            this.#observer?.ran(this.options.name, 'failed', (performance.now() - started) / 1000);
            throw error;
          }
          this.#observer?.ran(this.options.name, 'ok', (performance.now() - started) / 1000);
          this.#offset = event.id;
          if (!(await this.#advance(event.id))) {
            held = false;
            this.logger.warn({ consumer: this.options.name, afterEventId: event.id }, 'event consumer lease went to another instance; stopping here');
            return;
          }
        }
        if (page.length < PAGE) return;
      }
    } catch (error) {
      if (this.#stopped) return;
      this.logger.error({ err: error, consumer: this.options.name, afterEventId: this.#offset }, 'event consumer failed; retrying');
      this.#retryIn(this.options.retryDelayMs ?? 1000);
    } finally {
      if (held)
        await this.#release().catch((error: unknown) =>
          this.logger.warn({ err: error, consumer: this.options.name }, 'event consumer lease not released; it runs out'),
        );
    }
  }
}
