import type { HubBuilder } from '../../../src/graphql/builder';
import { registerCommandView } from './command-view';
import { registerEmergencyEnums } from './enums';
import { registerIncidentMutations } from './incident-mutations';
import { registerIncidentSchema } from './incidents';
import { registerPlanSchema } from './plans';
import { registerResourceSchema } from './resources';
import { registerIncidentSubscriptions } from './subscriptions';

/** Every type and field of the emergency module. */
export function registerEmergencySchema(builder: HubBuilder): void {
  const enums = registerEmergencyEnums(builder);
  const incidents = registerIncidentSchema(builder, enums);
  registerIncidentMutations(builder, enums, incidents);
  registerPlanSchema(builder, enums);
  registerResourceSchema(builder, enums);
  registerCommandView(builder, enums, incidents);
  registerIncidentSubscriptions(builder, enums);
}
