import { isStaff, type Viewer } from '../../../src/auth/viewer';
import { actorOf, type Actor } from './access';
import {
  definitionByKey,
  definitionsByIds,
  listDefinitions,
  countDefinitions,
  saveDefinition,
  type DefinitionFilter,
  type DefinitionInput,
} from './definitions';
import type { OaDeps } from './deps';
import { archiveDocument, createDocument, documentsByIds, listDocuments, countDocuments, type DocumentFilter, type DocumentInput } from './documents';
import { myInbox, type Inbox } from './inbox';
import {
  listNotices,
  countNotices,
  markNoticeRead,
  noticesByIds,
  publishNotice,
  readReceipts,
  readTimes,
  type NoticeFilter,
  type NoticeInput,
  type ReadReceipts,
} from './notices';
import { listPeople, countPeople, peopleByIds, peopleBySubjects, upsertPerson, type PeopleFilter, type PersonInput } from './people';
import {
  completeSupervisedTask,
  createSupervisedTask,
  escalateOverdue,
  listSupervisedTasks,
  countSupervisedTasks,
  reportProgress,
  reportsOf,
  tasksByIds,
  type SupervisedTaskInput,
  type SupervisionFilter,
} from './supervision';
import type {
  OaDocument,
  OaNotice,
  OaPerson,
  OaSupervisedTask,
  OaSupervisionReport,
  OaWorkflowActionRecord,
  OaWorkflowDefinition,
  OaWorkflowInstance,
  Page,
} from './types';
import {
  actOnWorkflow,
  actionsOf,
  instancesByIds,
  listInstances,
  countInstances,
  startWorkflow,
  type ActInput,
  type InstanceFilter,
  type StartInput,
} from './workflows';

/**
 * OA's service. Every function taking a viewer refuses anyone but staff and applies the viewer's
 * row rules itself (confidential documents and approvals, notices addressed to them, tasks of
 * their organisation); the rest serve loaders after such a check.
 */
export interface OaService {
  actor(viewer: Viewer): Promise<Actor>;
  people: {
    upsert(viewer: Viewer, input: PersonInput): Promise<OaPerson>;
    list(viewer: Viewer, filter: PeopleFilter, page: { limit: number; afterId: number | undefined }): Promise<OaPerson[]>;
    count(viewer: Viewer, filter: PeopleFilter): Promise<number>;
    /** the directory is for staff: anyone else gets none, by whatever path they ask */
    bySubjects(viewer: Viewer, subjects: readonly string[]): Promise<(OaPerson | undefined)[]>;
    byIds(viewer: Viewer, ids: readonly number[]): Promise<(OaPerson | undefined)[]>;
  };
  documents: {
    byIds(viewer: Viewer, ids: readonly number[]): Promise<(OaDocument | undefined)[]>;
    list(viewer: Viewer, filter: DocumentFilter, page: Page): Promise<OaDocument[]>;
    count(viewer: Viewer, filter: DocumentFilter): Promise<number>;
    create(viewer: Viewer, input: DocumentInput): Promise<OaDocument>;
    archive(viewer: Viewer, id: number): Promise<OaDocument>;
  };
  definitions: {
    /** definitions are for staff: anyone else gets none */
    byIds(viewer: Viewer, ids: readonly number[]): Promise<(OaWorkflowDefinition | undefined)[]>;
    byKey(viewer: Viewer, key: string, version?: number | null): Promise<OaWorkflowDefinition | undefined>;
    list(viewer: Viewer, filter: DefinitionFilter, page: Page): Promise<OaWorkflowDefinition[]>;
    count(viewer: Viewer, filter: DefinitionFilter): Promise<number>;
    save(viewer: Viewer, input: DefinitionInput): Promise<OaWorkflowDefinition>;
  };
  workflows: {
    byIds(viewer: Viewer, ids: readonly number[]): Promise<(OaWorkflowInstance | undefined)[]>;
    list(viewer: Viewer, filter: InstanceFilter, page: Page): Promise<OaWorkflowInstance[]>;
    count(viewer: Viewer, filter: InstanceFilter): Promise<number>;
    actions(instanceIds: readonly number[]): Promise<OaWorkflowActionRecord[][]>;
    start(viewer: Viewer, input: StartInput): Promise<OaWorkflowInstance>;
    act(viewer: Viewer, input: ActInput): Promise<OaWorkflowInstance>;
  };
  notices: {
    byIds(viewer: Viewer, ids: readonly number[]): Promise<(OaNotice | undefined)[]>;
    list(viewer: Viewer, filter: NoticeFilter, page: Page): Promise<OaNotice[]>;
    count(viewer: Viewer, filter: NoticeFilter): Promise<number>;
    publish(viewer: Viewer, input: NoticeInput): Promise<OaNotice>;
    markRead(viewer: Viewer, id: number): Promise<OaNotice>;
    readTimes(viewer: Viewer, ids: readonly number[]): Promise<(Date | undefined)[]>;
    receipts(viewer: Viewer, ids: readonly number[]): Promise<(ReadReceipts | undefined)[]>;
  };
  supervision: {
    byIds(viewer: Viewer, ids: readonly number[]): Promise<(OaSupervisedTask | undefined)[]>;
    list(viewer: Viewer, filter: SupervisionFilter, page: Page): Promise<OaSupervisedTask[]>;
    count(viewer: Viewer, filter: SupervisionFilter): Promise<number>;
    create(viewer: Viewer, input: SupervisedTaskInput): Promise<OaSupervisedTask>;
    report(viewer: Viewer, id: number, input: { progress: number; note: string }): Promise<OaSupervisedTask>;
    complete(viewer: Viewer, id: number): Promise<OaSupervisedTask>;
    reports(taskIds: readonly number[]): Promise<OaSupervisionReport[][]>;
  };
  inbox(viewer: Viewer, limit: number): Promise<Inbox>;
  /** raises overdue supervised tasks and approval steps as of `now`; the module runs it on a timer */
  escalateOverdue(now: Date): Promise<{ tasks: number; steps: number }>;
}

/** OA is the office's own paperwork: a reader that is not staff gets nothing (see requireStaff). */
const mayRead = (viewer: Viewer): boolean => isStaff(viewer) && viewer.subject !== undefined;
const none = async <T>(keys: readonly unknown[]): Promise<(T | undefined)[]> => keys.map(() => undefined);

export function createOaService(deps: OaDeps): OaService {
  return {
    actor: (viewer) => actorOf(deps, viewer),
    people: {
      upsert: (viewer, input) => upsertPerson(deps, viewer, input),
      list: (viewer, filter, page) => listPeople(deps, viewer, filter, page),
      count: (viewer, filter) => countPeople(deps, viewer, filter),
      bySubjects: (viewer, subjects) => (mayRead(viewer) ? peopleBySubjects(deps, subjects) : none(subjects)),
      byIds: (viewer, ids) => (mayRead(viewer) ? peopleByIds(deps, ids) : none(ids)),
    },
    documents: {
      byIds: (viewer, ids) => documentsByIds(deps, viewer, ids),
      list: (viewer, filter, page) => listDocuments(deps, viewer, filter, page),
      count: (viewer, filter) => countDocuments(deps, viewer, filter),
      create: (viewer, input) => createDocument(deps, viewer, input),
      archive: (viewer, id) => archiveDocument(deps, viewer, id),
    },
    definitions: {
      byIds: (viewer, ids) => (mayRead(viewer) ? definitionsByIds(deps, ids) : none(ids)),
      byKey: async (viewer, key, version) => (mayRead(viewer) ? definitionByKey(deps, key, version) : undefined),
      list: (viewer, filter, page) => listDefinitions(deps, viewer, filter, page),
      count: (viewer, filter) => countDefinitions(deps, viewer, filter),
      save: (viewer, input) => saveDefinition(deps, viewer, input),
    },
    workflows: {
      byIds: (viewer, ids) => instancesByIds(deps, viewer, ids),
      list: (viewer, filter, page) => listInstances(deps, viewer, filter, page),
      count: (viewer, filter) => countInstances(deps, viewer, filter),
      actions: (ids) => actionsOf(deps, ids),
      start: (viewer, input) => startWorkflow(deps, viewer, input),
      act: (viewer, input) => actOnWorkflow(deps, viewer, input),
    },
    notices: {
      byIds: (viewer, ids) => noticesByIds(deps, viewer, ids),
      list: (viewer, filter, page) => listNotices(deps, viewer, filter, page),
      count: (viewer, filter) => countNotices(deps, viewer, filter),
      publish: (viewer, input) => publishNotice(deps, viewer, input),
      markRead: (viewer, id) => markNoticeRead(deps, viewer, id),
      readTimes: (viewer, ids) => readTimes(deps, viewer, ids),
      receipts: (viewer, ids) => readReceipts(deps, viewer, ids),
    },
    supervision: {
      byIds: (viewer, ids) => tasksByIds(deps, viewer, ids),
      list: (viewer, filter, page) => listSupervisedTasks(deps, viewer, filter, page),
      count: (viewer, filter) => countSupervisedTasks(deps, viewer, filter),
      create: (viewer, input) => createSupervisedTask(deps, viewer, input),
      report: (viewer, id, input) => reportProgress(deps, viewer, id, input),
      complete: (viewer, id) => completeSupervisedTask(deps, viewer, id),
      reports: (ids) => reportsOf(deps, ids),
    },
    inbox: (viewer, limit) => myInbox(deps, viewer, limit),
    escalateOverdue: (now) => escalateOverdue(deps, now),
  };
}
