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
import { zhValues } from '../../../src/graphql/zh';

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
      values: zhValues({ ADMIN: { value: 'admin' }, DISTRICT: { value: 'district' }, TOWN: { value: 'town' }, ASSISTANT: { value: 'assistant' } } as const, {
        ADMIN: '管理员',
        ASSISTANT: '环保协管员',
        DISTRICT: '区局',
        TOWN: '街镇',
      }),
    }),
    DocumentKind: builder.enumType('OaDocumentKind', {
      description: 'INCOMING 收文, OUTGOING 发文',
      values: zhValues(DOCUMENT_KINDS, { INCOMING: '收文', OUTGOING: '发文' }),
    }),
    SecurityLevel: builder.enumType('OaSecurityLevel', {
      description: 'CONFIDENTIAL: participants and administrators only',
      values: zhValues(SECURITY_LEVELS, { CONFIDENTIAL: '机密', INTERNAL: '内部', PUBLIC: '公开' }),
    }),
    Urgency: builder.enumType('OaUrgency', {
      description: 'NORMAL, URGENT 急, EXTRA_URGENT 特急',
      values: zhValues(URGENCIES, { EXTRA_URGENT: '特急', NORMAL: '平件', URGENT: '急件' }),
    }),
    DocumentStatus: builder.enumType('OaDocumentStatus', {
      values: zhValues(DOCUMENT_STATUSES, { APPROVED: '已批准', ARCHIVED: '已归档', DRAFT: '草稿', IN_APPROVAL: '审批中', REJECTED: '已驳回' }),
    }),
    StepMode: builder.enumType('OaStepMode', {
      description: 'COUNTERSIGN 会签: every owner approves; ANY_ONE: the first approval completes the step',
      values: zhValues(STEP_MODES, { ANY_ONE: '或签', COUNTERSIGN: '会签' }),
    }),
    Operator: builder.enumType('OaConditionOperator', {
      values: zhValues(CONDITION_OPERATORS, { EQ: '等于', GT: '大于', GTE: '大于等于', LT: '小于', LTE: '小于等于', NEQ: '不等于' }),
    }),
    Action: builder.enumType('OaWorkflowAction', {
      values: zhValues(WORKFLOW_ACTIONS, { APPROVE: '同意', COMMENT: '批注', FORWARD: '转办', REJECT: '驳回', RETURN: '退回' }),
    }),
    InstanceStatus: builder.enumType('OaWorkflowStatus', {
      values: zhValues(INSTANCE_STATUSES, { APPROVED: '已通过', REJECTED: '已驳回', RUNNING: '流转中' }),
    }),
    SupervisionStatus: builder.enumType('OaSupervisionStatus', {
      values: zhValues(SUPERVISION_STATUSES, { COMPLETED: '已办结', IN_PROGRESS: '办理中', OPEN: '待办' }),
    }),
  };
}

export type OaEnums = ReturnType<typeof registerOaEnums>;
