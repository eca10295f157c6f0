import { defineLoader } from '../../../src/graphql/loaders';
import type { HubContext } from '../../../src/graphql/context';
import { oaServiceRef } from '../public';
import type { ReadReceipts } from '../service/notices';
import type {
  OaDocument,
  OaNotice,
  OaPerson,
  OaSupervisedTask,
  OaSupervisionReport,
  OaWorkflowActionRecord,
  OaWorkflowDefinition,
  OaWorkflowInstance,
} from '../service/types';

const oa = (ctx: HubContext) => ctx.services.get(oaServiceRef);

/** The directory, definitions, documents, approvals, notices and tasks as the viewer may see them (staff only). */
export const personByIdLoader = defineLoader<number, OaPerson>((ctx, ids) => oa(ctx).people.byIds(ctx.viewer, ids));
export const personLoader = defineLoader<string, OaPerson>((ctx, subjects) => oa(ctx).people.bySubjects(ctx.viewer, subjects));
export const documentLoader = defineLoader<number, OaDocument>((ctx, ids) => oa(ctx).documents.byIds(ctx.viewer, ids));
export const definitionLoader = defineLoader<number, OaWorkflowDefinition>((ctx, ids) => oa(ctx).definitions.byIds(ctx.viewer, ids));
export const instanceLoader = defineLoader<number, OaWorkflowInstance>((ctx, ids) => oa(ctx).workflows.byIds(ctx.viewer, ids));
export const actionsLoader = defineLoader<number, OaWorkflowActionRecord[]>((ctx, ids) => oa(ctx).workflows.actions(ids));
export const noticeLoader = defineLoader<number, OaNotice>((ctx, ids) => oa(ctx).notices.byIds(ctx.viewer, ids));
export const readAtLoader = defineLoader<number, Date>((ctx, ids) => oa(ctx).notices.readTimes(ctx.viewer, ids));
export const receiptsLoader = defineLoader<number, ReadReceipts>((ctx, ids) => oa(ctx).notices.receipts(ctx.viewer, ids));
export const supervisedTaskLoader = defineLoader<number, OaSupervisedTask>((ctx, ids) => oa(ctx).supervision.byIds(ctx.viewer, ids));
export const reportsLoader = defineLoader<number, OaSupervisionReport[]>((ctx, ids) => oa(ctx).supervision.reports(ids));
