import type { HubModule } from '../../src/modules';
import { draftsOf, NOTIFY_TOPICS } from './service/drafts';
import { registerNotifySchema } from './graphql/schema';
import { notifyServiceRef } from './public';
import { createNotifyService } from './service/notify-service';

/** How often due webhook deliveries are looked for: retries wait their backoff, not this. */
export const WEBHOOK_CHECK_MS = 1000;

/** Notifications: a per-person outbox fed by domain events, read in the app and sent to the SMS/push gateway. */
export const notifyModule: HubModule = {
  name: 'notify',
  description:
    'per-person notifications (task assigned, returned, overdue; OA approval pending, incident dispatch) in the app and through a signed webhook to the SMS/push gateway, with retries and a dead-letter list',
  dependsOn: ['grid'],
  provide: (hub) => {
    const service = createNotifyService({
      db: hub.db,
      bus: hub.bus,
      logger: hub.logger.child({ module: 'notify' }),
      now: hub.now,
      webhook: hub.config.notify,
    });
    hub.services.provide(notifyServiceRef, service);
  },
  register: registerNotifySchema,
  start: async (hub) => {
    const service = hub.services.get(notifyServiceRef);
    const stop = await hub.bus.consume({
      name: 'notify.outbox',
      topics: NOTIFY_TOPICS,
      handle: async (event) => {
        await service.add(event, draftsOf(event));
      },
    });
    // the queue is in the database: after a restart delivery resumes where it stood
    if (hub.config.notify.url) hub.scheduler.every({ name: 'notify.webhook', everyMs: WEBHOOK_CHECK_MS, runAtStart: true, run: () => service.deliverDue() });
    return stop;
  },
};
