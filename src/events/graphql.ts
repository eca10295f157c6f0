import type { HubContext } from '../graphql/context';
import { ValidationError } from '../graphql/errors';
import { WS_CLOSE } from '../graphql/ws';
import { SubscriberOverflowError, type SubscriptionOptions } from './subscription';
import type { HubEvent } from './topics';

/** `since` arrives as an ID string: an outbox id. */
export function parseSince(since: string | number | null | undefined): number | undefined {
  if (since === null || since === undefined || since === '') return undefined;
  const id = Number(since);
  if (!Number.isSafeInteger(id) || id < 0) throw new ValidationError([{ path: 'since', message: 'not an event id' }]);
  return id;
}

/**
 * Turns a bus subscription into what a GraphQL subscription field returns. A client that stops
 * reading — its queue full, or its socket holding too much unsent — is disconnected with close
 * code 4429 so that it reconnects with `since` and loses nothing; other subscribers never wait.
 */
export async function* subscribeEvents<T>(ctx: HubContext, options: Omit<SubscriptionOptions<T>, 'queueMax'> & { queueMax?: number }): AsyncGenerator<HubEvent<T>> {
  const subscription = ctx.bus.subscribe<T>({ ...options, queueMax: options.queueMax ?? ctx.bus.subscriberQueueMax });
  const overflow = (reason: string): void => {
    ctx.logger.warn({ reason }, 'subscriber disconnected: not reading');
    ctx.connection?.close(WS_CLOSE.tooManyRequests, reason);
  };
  try {
    for (;;) {
      const next = await subscription.next();
      if (next.done) return;
      if (ctx.connection?.congested()) {
        overflow('subscriber is not reading: too much unsent data');
        return;
      }
      yield next.value;
    }
  } catch (error) {
    if (error instanceof SubscriberOverflowError) {
      overflow(error.message);
      return;
    }
    throw error;
  } finally {
    subscription.end();
  }
}
