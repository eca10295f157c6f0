import type { HubModule } from '../../src/modules';
import { registerOaSchema } from './graphql/schema';
import { oaServiceRef } from './public';
import { seedOa } from './seed';
import { createOaService } from './service/oa-service';

/** How often overdue supervised tasks and approval steps are looked for. */
export const ESCALATION_CHECK_MS = 60_000;

/** Office automation: documents, approval workflows, notices, supervised tasks and each person's inbox. */
export const oaModule: HubModule = {
  name: 'oa',
  description: 'documents (收文/发文), versioned approval workflows, notices with read receipts, supervised tasks (督办) with escalation, inbox',
  dependsOn: [],
  provide: (hub) => {
    hub.services.provide(
      oaServiceRef,
      createOaService({ db: hub.db, bus: hub.bus, logger: hub.logger.child({ module: 'oa' }), now: hub.now, actorCache: new WeakMap() }),
    );
  },
  register: registerOaSchema,
  start: (hub) => {
    const service = hub.services.get(oaServiceRef);
    hub.scheduler.every({ name: 'oa.escalation', everyMs: ESCALATION_CHECK_MS, runAtStart: true, run: () => service.escalateOverdue(hub.now()) });
  },
  seed: seedOa,
};
