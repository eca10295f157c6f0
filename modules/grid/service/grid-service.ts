import type { Viewer } from '../../../src/auth/viewer';
import type { ExceedanceEventPayload } from '../../../src/monitoring/public';
import type { GridDeps } from './deps';
import { assessment, type AssessmentQuery, type AssessmentRow } from './assessment';
import {
  ancestorsOf,
  cellsByCodes,
  cellsByIds,
  childrenOf,
  descendants,
  listCells,
  countCells,
  locateCell,
  officersOf,
  setCellOfficers,
  upsertCell,
  type CellFilter,
  type CellInput,
} from './cells';
import { coverageReport, registerCoverageSource, type CoverageReport, type CoverageSource } from './coverage';
import { dispatchInspection, markOverdueTasks } from './dispatch';
import {
  mediaBySignedUrl,
  mediaForDownload,
  mediaOfPatrols,
  signedMediaLinks,
  signedMediaUrl,
  storeMedia,
  type MediaFile,
  type MediaLinks,
  type StoredMedia,
  type UploadedFile,
} from './media';
import { thumbnailOf, type ThumbnailOutcome } from './thumbnails';
import type { MediaUrlCheck, SignedUrl } from './media-url';
import {
  cancelUpload,
  completeUpload,
  createUpload,
  sweepAbandonedUploads,
  uploadState,
  appendToUpload,
  type CreateUploadInput,
  type UploadState,
} from './uploads';
import { listPatrols, countPatrols, patrolsByIds, patrolsOfTasks, recordPatrol, type PatrolFilter, type PatrolInput } from './patrols';
import { scopeOf, type GridScope } from './scope';
import { gridGeoJson, type GridFeatureCollection } from './geojson';
import { exceedancesByTown, taskCompletion, type TaskCompletion, type TownExceedances } from './summary';
import {
  activeAssistantsOf,
  assignAssistant,
  assignmentsOfStaff,
  createStaff,
  endAssignment,
  listStaff,
  countStaff,
  staffByIds,
  updateStaff,
  type AssignmentInput,
  type StaffFilter,
  type StaffInput,
  type StaffPatch,
} from './staff';
import { reassignTask, transitionTask } from './task-actions';
import { dispatchTask, historyOf, listTasks, countTasks, tasksByIds, type DispatchInput, type TaskFilter } from './tasks';
import type { TaskAction } from './transitions';
import type { GridAssignment, GridCell, GridMedia, GridPatrol, GridStaff, GridTask, GridTaskTransition } from './types';

type Page = { limit: number; afterId: number | undefined };
type NewestPage = { limit: number; beforeId: number | undefined };

/**
 * The grid's service. The first group is for other modules and internal callers (no viewer, no
 * row scope: cells are public, and callers decide what to show); everything taking a viewer
 * applies the viewer's grid scope itself.
 */
export interface GridService {
  cellByCode(code: string): Promise<GridCell | undefined>;
  cellsByCodes(codes: readonly string[]): Promise<(GridCell | undefined)[]>;
  /** every cell under `code`, optionally of one level; bounded */
  descendants(code: string, options?: { level?: number }): Promise<GridCell[]>;
  /** the active assistants answering for a cell, the most specific assignment first */
  activeAssistantsOf(cellCode: string): Promise<GridStaff[]>;
  /** the level-3 cell whose boundary holds the point */
  locate(longitude: number, latitude: number): Promise<GridCell | undefined>;
  /** one level of the grid as a GeoJSON FeatureCollection; towns and areas outlined from their villages when they have no boundary */
  geoJson(level: number): Promise<GridFeatureCollection>;
  /** adds a module's entities (by kind) to the coverage report */
  registerCoverageSource(kind: string, source: CoverageSource): void;
  /** lets a task about an enterprise (target SOURCE, or a monitor with no cell of its own) find its cell */
  registerEnterpriseLocator(locate: (uscc: string) => Promise<string | null>): void;

  cells: {
    byIds(ids: readonly number[]): Promise<(GridCell | undefined)[]>;
    list(filter: CellFilter, page: Page): Promise<GridCell[]>;
    count(filter: CellFilter): Promise<number>;
    children(parentCodes: readonly string[]): Promise<GridCell[][]>;
    ancestors(codes: readonly string[]): Promise<GridCell[][]>;
    /** a cell's officers: staff records, so for staff viewers only (empty for anyone else) */
    officers(viewer: Viewer, codes: readonly string[]): Promise<GridStaff[][]>;
    /** a cell's active assistants, for staff viewers only */
    assistants(viewer: Viewer, codes: readonly string[]): Promise<GridStaff[][]>;
    upsert(input: CellInput): Promise<GridCell>;
    setOfficers(code: string, staffIds: readonly number[]): Promise<GridCell>;
  };
  staff: {
    /** staff records are for staff: anyone else gets none, by whatever path they ask */
    byIds(viewer: Viewer, ids: readonly number[]): Promise<(GridStaff | undefined)[]>;
    list(viewer: Viewer, filter: StaffFilter, page: Page): Promise<GridStaff[]>;
    count(viewer: Viewer, filter: StaffFilter): Promise<number>;
    create(input: StaffInput): Promise<GridStaff>;
    update(id: number, patch: StaffPatch): Promise<GridStaff>;
    assign(viewer: Viewer, input: AssignmentInput): Promise<GridAssignment>;
    endAssignment(viewer: Viewer, id: number, at: Date | undefined): Promise<GridAssignment>;
    assignments(staffIds: readonly number[]): Promise<GridAssignment[][]>;
  };
  tasks: {
    byIds(viewer: Viewer, ids: readonly number[]): Promise<(GridTask | undefined)[]>;
    list(viewer: Viewer, filter: TaskFilter, page: NewestPage): Promise<GridTask[]>;
    count(viewer: Viewer, filter: TaskFilter): Promise<number>;
    history(taskIds: readonly number[]): Promise<GridTaskTransition[][]>;
    dispatch(viewer: Viewer, input: DispatchInput): Promise<GridTask>;
    transition(viewer: Viewer, id: number, action: TaskAction, note: string | null | undefined): Promise<GridTask>;
    reassign(viewer: Viewer, id: number, assigneeId: number, note: string | null | undefined): Promise<GridTask>;
    /** from the monitoring events: one inspection per exceedance episode */
    dispatchInspection(episode: ExceedanceEventPayload): Promise<GridTask | undefined>;
    /** marks tasks past their deadline; the module runs it on a timer */
    markOverdue(): Promise<number>;
  };
  patrols: {
    byIds(viewer: Viewer, ids: readonly number[]): Promise<(GridPatrol | undefined)[]>;
    list(viewer: Viewer, filter: PatrolFilter, page: NewestPage): Promise<GridPatrol[]>;
    count(viewer: Viewer, filter: PatrolFilter): Promise<number>;
    ofTasks(taskIds: readonly number[]): Promise<GridPatrol[][]>;
    record(viewer: Viewer, input: PatrolInput): Promise<GridPatrol>;
  };
  media: {
    store(viewer: Viewer, files: readonly UploadedFile[]): Promise<StoredMedia[]>;
    forDownload(viewer: Viewer, id: string): Promise<MediaFile | undefined>;
    /** for a request whose signed URL was verified: no viewer, the signature stands for the scope check */
    bySignedUrl(id: string): Promise<MediaFile | undefined>;
    ofPatrols(patrolIds: readonly number[]): Promise<GridMedia[][]>;
    /** a short-lived URL of a file that loads without a token; issue it only for a record the viewer may see */
    signedUrl(id: string): SignedUrl;
    /** the signed URLs of a file and of its thumbnail (null for a video), expiring together */
    links(media: GridMedia): MediaLinks;
    /** the thumbnail of a file the caller got through `forDownload` or `bySignedUrl`: made on the first request */
    thumbnail(file: MediaFile): Promise<ThumbnailOutcome>;
    /** checks the signature and expiry of a signed URL's path */
    verifyUrl(path: string, expires: string | null, signature: string | null): MediaUrlCheck;
    uploads: {
      create(viewer: Viewer, input: CreateUploadInput): Promise<{ upload: UploadState; created: boolean }>;
      state(viewer: Viewer, id: string): Promise<UploadState | undefined>;
      append(viewer: Viewer, id: string, offset: number, body: AsyncIterable<Uint8Array>): Promise<UploadState | undefined>;
      complete(viewer: Viewer, id: string): Promise<StoredMedia | undefined>;
      cancel(viewer: Viewer, id: string): Promise<boolean>;
      sweep(idleHours: number): Promise<number>;
    };
  };
  scopeOf(viewer: Viewer): Promise<GridScope>;
  /** the duty room's grid counts, in the viewer's scope */
  summary: {
    taskCompletion(viewer: Viewer): Promise<TaskCompletion>;
    exceedancesByTown(viewer: Viewer): Promise<TownExceedances[]>;
  };
  coverage(viewer: Viewer): Promise<CoverageReport>;
  assessment(viewer: Viewer, query: AssessmentQuery): Promise<AssessmentRow[]>;
}

export function createGridService(deps: GridDeps): GridService {
  return {
    cellByCode: async (code) => (await cellsByCodes(deps, [code]))[0],
    cellsByCodes: (codes) => cellsByCodes(deps, codes),
    descendants: (code, options) => descendants(deps, code, options),
    activeAssistantsOf: async (code) => (await activeAssistantsOf(deps, [code]))[0] ?? [],
    locate: (longitude, latitude) => locateCell(deps, longitude, latitude),
    geoJson: (level) => gridGeoJson(deps, level),
    registerCoverageSource: (kind, source) => registerCoverageSource(deps, kind, source),
    registerEnterpriseLocator: (locate) => {
      deps.enterpriseCells.locate = locate;
    },
    cells: {
      byIds: (ids) => cellsByIds(deps, ids),
      list: (filter, page) => listCells(deps, filter, page),
      count: (filter) => countCells(deps, filter),
      children: (codes) => childrenOf(deps, codes),
      ancestors: (codes) => ancestorsOf(deps, codes),
      officers: async (viewer, codes) => ((await scopeOf(deps, viewer)).staff ? officersOf(deps, codes) : codes.map(() => [])),
      assistants: async (viewer, codes) => ((await scopeOf(deps, viewer)).staff ? activeAssistantsOf(deps, codes) : codes.map(() => [])),
      upsert: (input) => upsertCell(deps, input),
      setOfficers: (code, staffIds) => setCellOfficers(deps, code, staffIds),
    },
    staff: {
      byIds: async (viewer, ids) => ((await scopeOf(deps, viewer)).staff ? staffByIds(deps, ids) : ids.map(() => undefined)),
      list: (viewer, filter, page) => listStaff(deps, viewer, filter, page),
      count: (viewer, filter) => countStaff(deps, viewer, filter),
      create: (input) => createStaff(deps, input),
      update: (id, patch) => updateStaff(deps, id, patch),
      assign: (viewer, input) => assignAssistant(deps, viewer, input),
      endAssignment: (viewer, id, at) => endAssignment(deps, viewer, id, at),
      assignments: (ids) => assignmentsOfStaff(deps, ids),
    },
    tasks: {
      byIds: (viewer, ids) => tasksByIds(deps, viewer, ids),
      list: (viewer, filter, page) => listTasks(deps, viewer, filter, page),
      count: (viewer, filter) => countTasks(deps, viewer, filter),
      history: (ids) => historyOf(deps, ids),
      dispatch: (viewer, input) => dispatchTask(deps, viewer, input),
      transition: (viewer, id, action, note) => transitionTask(deps, viewer, id, action, note),
      reassign: (viewer, id, assigneeId, note) => reassignTask(deps, viewer, id, assigneeId, note),
      dispatchInspection: (episode) => dispatchInspection(deps, episode),
      markOverdue: () => markOverdueTasks(deps),
    },
    patrols: {
      byIds: (viewer, ids) => patrolsByIds(deps, viewer, ids),
      list: (viewer, filter, page) => listPatrols(deps, viewer, filter, page),
      count: (viewer, filter) => countPatrols(deps, viewer, filter),
      ofTasks: (ids) => patrolsOfTasks(deps, ids),
      record: (viewer, input) => recordPatrol(deps, viewer, input),
    },
    media: {
      store: (viewer, files) => storeMedia(deps, viewer, files),
      forDownload: (viewer, id) => mediaForDownload(deps, viewer, id),
      bySignedUrl: (id) => mediaBySignedUrl(deps, id),
      ofPatrols: (ids) => mediaOfPatrols(deps, ids),
      signedUrl: (id) => signedMediaUrl(deps, id),
      links: (media) => signedMediaLinks(deps, media),
      thumbnail: (file) => thumbnailOf(deps, file),
      verifyUrl: (path, expires, signature) => deps.media.signer.verify(path, expires, signature, deps.now()),
      uploads: {
        create: (viewer, input) => createUpload(deps, viewer, input),
        state: (viewer, id) => uploadState(deps, viewer, id),
        append: (viewer, id, offset, body) => appendToUpload(deps, viewer, id, offset, body),
        complete: (viewer, id) => completeUpload(deps, viewer, id),
        cancel: (viewer, id) => cancelUpload(deps, viewer, id),
        sweep: (idleHours) => sweepAbandonedUploads(deps, idleHours),
      },
    },
    scopeOf: (viewer) => scopeOf(deps, viewer),
    summary: {
      taskCompletion: (viewer) => taskCompletion(deps, viewer),
      exceedancesByTown: (viewer) => exceedancesByTown(deps, viewer),
    },
    coverage: (viewer) => coverageReport(deps, viewer),
    assessment: (viewer, query) => assessment(deps, viewer, query),
  };
}
