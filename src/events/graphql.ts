import type { HubContext } from '../graphql/context';
import { ValidationError } from '../errors';
import { WS_CLOSE } from '../graphql/ws';
import type { SubscriptionOptions } from './subscription';
import type { HubEvent } from './topics';

/** `since` arrives as an ID string: an outbox id. */
export function parseSince(since: string | number | null | undefined): number | undefined {
  if (since === null || since === undefined || since === '') return undefined;
  const id = Number(since);
  if (!Number.isSafeInteger(id) || id < 0) throw new ValidationError([{ path: 'since', message: 'not an event id' }]);
  return id;
}

/**
 * Turns a bus subscription into what a GraphQL subscription field returns. The transport asks for
 * the next event only once the previous one is written out, so a client that stops reading stops
 * asking: if it takes no event for the stall time while newer ones wait, it is disconnected with
 * close code 4429 and reconnects with `since`, losing nothing. Other subscribers never wait, and
 * the hub holds at most the queue limit of events for it (see EventSubscription).
 */
export async function* subscribeEvents<T>(
  ctx: HubContext,
  options: Omit<SubscriptionOptions<T>, 'queueMax'> & { queueMax?: number },
): AsyncGenerator<HubEvent<T>> {
  const subscription = ctx.bus.subscribe<T>({ ...options, queueMax: options.queueMax ?? ctx.bus.subscriberQueueMax });
  const connection = ctx.connection;
  // one watchdog per subscription: is the client sitting on an event while newer ones wait?
  let waitingSince: number | undefined;
  let yieldedId = 0;
  const watchdog = connection
    ? setInterval(
        () => {
          if (waitingSince === undefined || ctx.bus.cursor <= yieldedId || Date.now() - waitingSince < connection.stallMs) return;
          clearInterval(watchdog);
          ctx.logger.warn({ stalledMs: Date.now() - waitingSince }, 'subscriber disconnected: not reading');
          subscription.end();
          connection.close(WS_CLOSE.tooManyRequests, 'subscriber is not reading');
        },
        Math.min(1000, connection.stallMs),
      )
    : undefined;
  watchdog?.unref();
  const stop = () => subscription.end();
  connection?.signal?.addEventListener('abort', stop, { once: true });
  if (connection?.signal?.aborted) stop();
  try {
    for (;;) {
      const next = await subscription.next();
      if (next.done) return;
      yieldedId = next.value.id;
      waitingSince = Date.now();
      yield next.value;
      waitingSince = undefined;
    }
  } finally {
    clearInterval(watchdog);
    connection?.signal?.removeEventListener('abort', stop);
    subscription.end();
  }
}
