import type { HubBuilder } from '../../../src/graphql/builder';
import { registerAssessmentSchema } from './assessment';
import { registerCellSchema } from './cells';
import { registerCoverageSchema } from './coverage';
import { registerGridEnums } from './enums';
import { registerPatrolSchema } from './patrols';
import { registerStaffSchema } from './staff';
import { registerTaskMutations } from './task-mutations';
import { registerTaskSchema } from './tasks';
import { registerTaskSubscriptions } from './subscriptions';
import { registerGridDutyFields } from './duty';

/** Every type and field of the grid module. */
export function registerGridSchema(builder: HubBuilder): void {
  const enums = registerGridEnums(builder);
  registerCellSchema(builder, enums);
  registerStaffSchema(builder, enums);
  registerTaskSchema(builder, enums);
  registerTaskMutations(builder, enums);
  registerPatrolSchema(builder, enums);
  registerCoverageSchema(builder);
  registerAssessmentSchema(builder, enums);
  registerTaskSubscriptions(builder, enums);
  registerGridDutyFields(builder);
}
