import type { Logger } from 'pino';
import type { Database } from '../db';
import { GONE_AFTER_SECONDS } from './instances';

/** Channels between instances: the payload names the instance that has work (or an answer) waiting. */
const COMMANDS_CHANNEL = 'hub_device_commands';
const ANSWERS_CHANNEL = 'hub_device_command_answers';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** How the instance holding a device answered a routed command. */
export type RoutedOutcome = { ok: true; result: Json } | { ok: false; code: string; message: string; details: Json };

/** Runs a routed command on this instance's own connection to the device. */
export type LocalExecutor = (mn: string, request: Json) => Promise<RoutedOutcome>;

export class NoInstanceHoldsDevice extends Error {}
export class RoutedCommandLost extends Error {}

/**
 * Commands to devices connected to another hub instance, carried by the database: the sender
 * looks up which live instance holds the device's connection (`hub_device_sessions`), writes the
 * command as a row for it and notifies it; that instance sends the command on its connection and
 * writes the device's answer back into the row, then notifies the sender. Rows, not notification
 * payloads, carry everything, so an instance whose listening connection drops reads what it
 * missed when it comes back.
 */
export class DeviceCommandRouter {
  readonly #waiting = new Map<number, (outcome: RoutedOutcome | undefined) => void>();
  readonly #running = new Set<Promise<unknown>>();
  #sessions: Promise<unknown> = Promise.resolve();
  #executor: LocalExecutor | undefined;
  #unlisten: (() => Promise<void>)[] = [];
  #stopped = false;

  constructor(private readonly deps: { db: Database; logger: Logger; instanceId: string }) {}

  /** Listens for commands addressed to this instance and for answers to its own. */
  async start(executor: LocalExecutor): Promise<void> {
    this.#executor = executor;
    const { db, instanceId } = this.deps;
    this.#unlisten.push(
      await db.listen(
        COMMANDS_CHANNEL,
        (target) => target === instanceId && this.#takePending(),
        () => this.#takePending(),
      ),
      await db.listen(
        ANSWERS_CHANNEL,
        (payload) => {
          const [origin, id] = payload.split(':');
          if (origin === instanceId) void this.#collect(Number(id));
        },
        () => {
          for (const id of this.#waiting.keys()) void this.#collect(id);
        },
      ),
    );
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    for (const unlisten of this.#unlisten) await unlisten().catch(() => {});
    for (const resolve of this.#waiting.values()) resolve(undefined);
    await Promise.allSettled([...this.#running]);
    await this.#sessions;
  }

  /** This instance now holds the device's connection. Writes are queued in order, never awaited by the gateway. */
  holds(mn: string): void {
    this.#queueSession(
      `INSERT INTO hub_device_sessions (mn, instance_id, connected_at) VALUES ($1, $2, now())
       ON CONFLICT (mn) DO UPDATE SET instance_id = EXCLUDED.instance_id, connected_at = EXCLUDED.connected_at`,
      mn,
    );
  }

  /** The device's connection here is gone (unless another instance has taken it meanwhile). */
  released(mn: string): void {
    this.#queueSession('DELETE FROM hub_device_sessions WHERE mn = $1 AND instance_id = $2', mn);
  }

  #queueSession(statement: string, mn: string): void {
    this.#sessions = this.#sessions.then(() =>
      this.deps.db
        .query(statement, [mn, this.deps.instanceId])
        .catch((error: unknown) => this.deps.logger.warn({ err: error, mn }, 'device session could not be recorded')),
    );
  }

  /**
   * Sends `request` through the instance holding `mn` and waits up to `waitMs` for its answer.
   * Throws NoInstanceHoldsDevice when no live instance has the device, RoutedCommandLost when
   * the answer does not come in time (the other instance stopped or lost the database).
   */
  async route(mn: string, request: Json, waitMs: number): Promise<RoutedOutcome> {
    const { db, instanceId } = this.deps;
    const rows = await db.query<{ id: number | string; target: string }>(
      `INSERT INTO hub_device_commands (mn, target_instance, origin_instance, request)
       SELECT s.mn, s.instance_id, $2, $3::jsonb
         FROM hub_device_sessions s JOIN hub_instances i ON i.id = s.instance_id
        WHERE s.mn = $1 AND s.instance_id <> $2 AND i.heartbeat_at >= now() - make_interval(secs => $4)
       RETURNING id, target_instance AS target`,
      [mn, instanceId, JSON.stringify(request), GONE_AFTER_SECONDS],
    );
    const row = rows[0];
    if (!row) throw new NoInstanceHoldsDevice(`device ${mn} is not connected to any hub instance`);
    const id = Number(row.id);
    const answered = new Promise<RoutedOutcome | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), waitMs);
      timer.unref();
      this.#waiting.set(id, (outcome) => {
        clearTimeout(timer);
        resolve(outcome);
      });
    });
    try {
      await db.notify(COMMANDS_CHANNEL, row.target);
      const outcome = (await answered) ?? (await this.#giveUp(id));
      if (!outcome) throw new RoutedCommandLost(`instance ${row.target} holding device ${mn} did not answer in time`);
      return outcome;
    } finally {
      this.#waiting.delete(id);
    }
  }

  /** Marks a command nobody answered so it is not sent late; its answer if one came meanwhile. */
  async #giveUp(id: number): Promise<RoutedOutcome | undefined> {
    await this.deps.db.query("UPDATE hub_device_commands SET status = 'EXPIRED', finished_at = now() WHERE id = $1 AND status = 'PENDING'", [id]);
    return this.#read(id);
  }

  async #collect(id: number): Promise<void> {
    const resolve = this.#waiting.get(id);
    if (!resolve) return;
    const outcome = await this.#read(id).catch(() => undefined);
    if (outcome) resolve(outcome);
  }

  async #read(id: number): Promise<RoutedOutcome | undefined> {
    const rows = await this.deps.db.query<{ status: string; result: Json; error_code: string | null; error_message: string | null }>(
      'SELECT status, result, error_code, error_message FROM hub_device_commands WHERE id = $1',
      [id],
    );
    const row = rows[0];
    if (!row || (row.status !== 'DONE' && row.status !== 'FAILED')) return undefined;
    if (row.status === 'DONE') return { ok: true, result: row.result };
    const details = row.result;
    return { ok: false, code: row.error_code ?? 'INTERNAL', message: row.error_message ?? 'the command failed', details };
  }

  /** Claims the commands waiting for this instance and sends each on its device connection. */
  #takePending(): void {
    if (this.#stopped || !this.#executor) return;
    const executor = this.#executor;
    const { db, instanceId, logger } = this.deps;
    const work = db
      .query<{ id: number | string; mn: string; origin_instance: string; request: Json }>(
        `UPDATE hub_device_commands SET status = 'SENDING'
          WHERE target_instance = $1 AND status = 'PENDING'
        RETURNING id, mn, origin_instance, request`,
        [instanceId],
      )
      .then((claimed) =>
        Promise.all(
          claimed.map(async (command) => {
            const outcome = await executor(command.mn, command.request).catch((error: unknown): RoutedOutcome => ({
              ok: false,
              code: 'INTERNAL',
              message: 'the command failed on the instance holding the device',
              details: String(error),
            }));
            await db.query(
              `UPDATE hub_device_commands SET status = $2, result = $3::jsonb, error_code = $4, error_message = $5, finished_at = now() WHERE id = $1`,
              outcome.ok
                ? [command.id, 'DONE', JSON.stringify(outcome.result), null, null]
                : [command.id, 'FAILED', JSON.stringify(outcome.details), outcome.code, outcome.message],
            );
            await db.notify(ANSWERS_CHANNEL, `${command.origin_instance}:${command.id}`);
          }),
        ),
      )
      .catch((error: unknown) => logger.error({ err: error }, 'routed device commands could not be handled'));
    this.#running.add(work);
    void work.finally(() => this.#running.delete(work));
  }
}
