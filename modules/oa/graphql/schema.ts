import type { HubBuilder } from '../../../src/graphql/builder';
import { registerDocumentSchema } from './documents';
import { registerOaEnums } from './enums';
import { registerInboxSchema } from './inbox';
import { registerNoticeSchema } from './notices';
import { registerPeopleSchema } from './people';
import { registerSupervisionSchema } from './supervision';
import { registerWorkflowMutations } from './workflow-mutations';
import { registerWorkflowSchema } from './workflows';

/** Every type and field of the OA module. */
export function registerOaSchema(builder: HubBuilder): void {
  const enums = registerOaEnums(builder);
  registerPeopleSchema(builder, enums);
  registerDocumentSchema(builder, enums);
  registerWorkflowSchema(builder, enums);
  registerWorkflowMutations(builder, enums);
  registerNoticeSchema(builder, enums);
  registerSupervisionSchema(builder, enums);
  registerInboxSchema(builder);
}
