import type { HubBuilder } from '../../../src/graphql/builder';
import { decodeGlobalId } from '../service/validate';
import {
  CONDITION_OPERATORS,
  DOCUMENT_KINDS,
  DOCUMENT_STATUSES,
  INSTANCE_STATUSES,
  SECURITY_LEVELS,
  STEP_MODES,
  SUPERVISION_STATUSES,
  URGENCIES,
  WORKFLOW_ACTIONS,
  type Attachment,
} from '../service/types';

/** OA's enums and small shared object types, made once and handed to the field files. */
export function registerOaEnums(builder: HubBuilder) {
  const EntityLink = builder.objectRef<string>('OaEntityLink').implement({
    description: 'A link to any hub entity by its Relay global id, kept as given (the entity may belong to a module that is off).',
    fields: (t) => ({
      globalId: t.string({ resolve: (link) => link }),
      typename: t.string({ resolve: (link) => decodeGlobalId(link)?.typename ?? '' }),
      key: t.string({ description: 'the entity’s own key inside the global id', resolve: (link) => decodeGlobalId(link)?.id ?? '' }),
    }),
  });
  const AttachmentRef = builder.objectRef<Attachment>('OaAttachment').implement({
    fields: (t) => ({
      mediaId: t.exposeString('mediaId'),
      name: t.exposeString('name'),
      contentType: t.exposeString('contentType', { nullable: true }),
      size: t.exposeInt('size', { nullable: true }),
    }),
  });
  return {
    EntityLink,
    Attachment: AttachmentRef,
    Role: builder.enumType('OaRole', {
      values: { ADMIN: { value: 'admin' }, DISTRICT: { value: 'district' }, TOWN: { value: 'town' }, ASSISTANT: { value: 'assistant' } } as const,
    }),
    DocumentKind: builder.enumType('OaDocumentKind', { description: 'INCOMING 收文, OUTGOING 发文', values: DOCUMENT_KINDS }),
    SecurityLevel: builder.enumType('OaSecurityLevel', { description: 'CONFIDENTIAL: participants and administrators only', values: SECURITY_LEVELS }),
    Urgency: builder.enumType('OaUrgency', { description: 'NORMAL, URGENT 急, EXTRA_URGENT 特急', values: URGENCIES }),
    DocumentStatus: builder.enumType('OaDocumentStatus', { values: DOCUMENT_STATUSES }),
    StepMode: builder.enumType('OaStepMode', { description: 'COUNTERSIGN 会签: every owner approves; ANY_ONE: the first approval completes the step', values: STEP_MODES }),
    Operator: builder.enumType('OaConditionOperator', { values: CONDITION_OPERATORS }),
    Action: builder.enumType('OaWorkflowAction', { values: WORKFLOW_ACTIONS }),
    InstanceStatus: builder.enumType('OaWorkflowStatus', { values: INSTANCE_STATUSES }),
    SupervisionStatus: builder.enumType('OaSupervisionStatus', { values: SUPERVISION_STATUSES }),
  };
}

export type OaEnums = ReturnType<typeof registerOaEnums>;

