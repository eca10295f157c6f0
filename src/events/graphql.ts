import type { HubContext } from '../graphql/context';
import { ValidationError } from '../graphql/errors';
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
export async function* subscribeEvents<T>(ctx: HubContext, options: Omit<SubscriptionOptions<T>, 'queueMax'> & { queueMax?: number }): AsyncGenerator<HubEvent<T>> {
  const subscription = ctx.bus.subscribe<T>({ ...options, queueMax: options.queueMax ?? ctx.bus.subscriberQueueMax });
  let watchdog: NodeJS.Timeout | undefined;
  try {
    for (;;) {
      const next = await subscription.next();
      if (next.done) return;
      const connection = ctx.connection;
      if (connection) {
        const deliveredId = next.value.id;
        let waitedMs = 0;
        const tick = Math.min(1000, connection.stallMs);
        watchdog = setInterval(() => {
          waitedMs = ctx.bus.cursor > deliveredId ? waitedMs + tick : 0;
          if (waitedMs < connection.stallMs) return;
          clearInterval(watchdog);
          ctx.logger.warn({ stalledMs: waitedMs }, 'subscriber disconnected: not reading');
          subscription.end();
          connection.close(WS_CLOSE.tooManyRequests, 'subscriber is not reading');
        }, tick);
        watchdog.unref();
      }
      yield next.value;
      clearInterval(watchdog);
    }
  } finally {
    clearInterval(watchdog);
    subscription.end();
  }
}
