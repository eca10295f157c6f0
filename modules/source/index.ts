import type { HubModule } from '../../src/modules';
import { gridServiceRef } from '../grid/public';
import { registerSourceSchema } from './graphql/schema';
import { sourceServiceRef } from './public';
import { seedSources } from './seed';
import { createSourceService } from './service/source-service';
import { startSourceWorkers } from './workers';

/** Pollution sources: one file per enterprise, outlets and their monitors, video, samplers, enforcement, compliance. */
export const sourceModule: HubModule = {
  name: 'source',
  description: 'one file per enterprise (USCC), permits and outlet limits, video sites and cameras, samplers, inspections and cases, compliance',
  dependsOn: ['grid'],
  provide: (hub) => {
    const service = createSourceService({ db: hub.db, bus: hub.bus, logger: hub.logger.child({ module: 'source' }), now: hub.now, services: hub.services });
    hub.services.provide(sourceServiceRef, service);
    hub.services.get(gridServiceRef).registerCoverageSource('enterprise', service.coverageSource);
    hub.services.get(gridServiceRef).registerEnterpriseLocator(async (uscc) => {
      const rows = await hub.db.query<{ cell_code: string | null }>('SELECT cell_code FROM source_enterprises WHERE uscc = $1', [uscc]);
      return rows[0]?.cell_code ?? null;
    });
  },
  register: registerSourceSchema,
  start: startSourceWorkers,
  seed: seedSources,
};
