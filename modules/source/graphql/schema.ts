import type { HubBuilder } from '../../../src/graphql/builder';
import { registerEnforcementSchema } from './enforcement';
import { registerSourceEnums } from './enums';
import { registerSourceMutations } from './mutations';
import { registerSourceQueries } from './queries';
import { registerSamplerSchema } from './samplers';
import { registerEnterpriseTypes } from './types';
import { registerVideoSchema } from './video';
import { registerSourceDutyFields } from './duty';
import { registerEmissionTotals } from './emissions';

/** The source module's part of the schema. */
export function registerSourceSchema(builder: HubBuilder): void {
  const enums = registerSourceEnums(builder);
  const samplers = registerSamplerSchema(builder, enums);
  const records = registerEnterpriseTypes(builder, enums, samplers);
  const video = registerVideoSchema(builder, enums);
  registerEnforcementSchema(builder, enums, video);
  registerSourceQueries(builder, enums);
  registerSourceMutations(builder, enums, records);
  registerSourceDutyFields(builder);
  registerEmissionTotals(builder, records);
}
