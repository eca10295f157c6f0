import type { Viewer } from '../../../src/auth/viewer';
import { actionsByIds, forStaff, ordersByIds } from './reads';
import type { ExceedanceEventPayload } from '../../../src/monitoring/public';
import type { GridStaff } from '../../grid/public';
import { openProposedIncident } from './auto-open';
import { commandView, viewAssistants, viewCameras, viewResources, viewSources, type CommandView, type CommandViewOptions } from './command-view';
import type { EmergencyDeps } from './deps';
import { dispatchResource, ordersOf, recordOrderStage, type DispatchInput } from './dispatch';
import {
  addNote,
  assessIncident,
  incidentsByIds,
  linkToIncident,
  listIncidents,
  countIncidents,
  reportIncident,
  reportUpward,
  transitionIncident,
  type AssessmentInput,
  type IncidentFilter,
  type IncidentLinks,
  type ReportInput,
} from './incidents';
import type { NearbyCamera, NearbySource } from './nearby';
import { actionsOf, activatePlan, completeAction, createPlan, listPlans, countPlans, plansByIds, stepsOf, type PlanFilter, type PlanInput } from './plans';
import {
  createResource,
  listResources,
  countResources,
  nearestResources,
  resourcesByIds,
  updateResource,
  type ResourceFilter,
  type ResourceInput,
  type ResourcePatch,
} from './resources';
import { scopeOf, type EmergencyScope } from './scope';
import { timelinesOf } from './timeline';
import type { StatusAction } from './transitions';
import type { DispatchOrder, Incident, IncidentAction, Plan, PlanStep, Resource, TimelineEntry } from './types';

type Page = { limit: number; afterId: number | undefined };

/**
 * The emergency module's service. Everything taking a viewer applies the viewer's scope itself;
 * the relation readers (`timelines`, `actions`, `orders`, `steps`) serve incidents the caller has
 * already read through a scoped call.
 */
export interface EmergencyService {
  incidents: {
    byIds(viewer: Viewer, ids: readonly number[]): Promise<(Incident | undefined)[]>;
    list(viewer: Viewer, filter: IncidentFilter, page: { limit: number; beforeId: number | undefined }): Promise<Incident[]>;
    count(viewer: Viewer, filter: IncidentFilter): Promise<number>;
    report(viewer: Viewer, input: ReportInput): Promise<Incident>;
    transition(viewer: Viewer, id: number, action: StatusAction, note: string | null | undefined): Promise<Incident>;
    assess(viewer: Viewer, id: number, input: AssessmentInput): Promise<Incident>;
    reportUpward(viewer: Viewer, id: number, note: string | null | undefined): Promise<Incident>;
    link(viewer: Viewer, id: number, links: IncidentLinks): Promise<Incident>;
    addNote(viewer: Viewer, id: number, text: string): Promise<Incident>;
    timelines(ids: readonly number[]): Promise<TimelineEntry[][]>;
    actions(ids: readonly number[]): Promise<IncidentAction[][]>;
    orders(ids: readonly number[]): Promise<DispatchOrder[][]>;
    /** actions and orders by their own ids: seen by whoever sees their incident */
    actionsByIds(viewer: Viewer, ids: readonly number[]): Promise<(IncidentAction | undefined)[]>;
    ordersByIds(viewer: Viewer, ids: readonly number[]): Promise<(DispatchOrder | undefined)[]>;
    /** from the monitoring events: a proposed incident per matching episode, once */
    openFromExceedance(episode: ExceedanceEventPayload): Promise<Incident | undefined>;
  };
  plans: {
    /** plans are the bureau's: staff read them, nobody else */
    byIds(viewer: Viewer, ids: readonly number[]): Promise<(Plan | undefined)[]>;
    list(viewer: Viewer, filter: PlanFilter, page: Page): Promise<Plan[]>;
    count(viewer: Viewer, filter: PlanFilter): Promise<number>;
    steps(ids: readonly number[]): Promise<PlanStep[][]>;
    create(viewer: Viewer, input: PlanInput): Promise<Plan>;
    activate(viewer: Viewer, incidentId: number, planId: number): Promise<Incident>;
    completeAction(viewer: Viewer, actionId: number, note: string | null | undefined): Promise<IncidentAction>;
  };
  resources: {
    /** resources are the bureau's: staff read them, nobody else */
    byIds(viewer: Viewer, ids: readonly number[]): Promise<(Resource | undefined)[]>;
    list(viewer: Viewer, filter: ResourceFilter, page: Page): Promise<Resource[]>;
    count(viewer: Viewer, filter: ResourceFilter): Promise<number>;
    nearest(point: { longitude: number; latitude: number }, limit: number): Promise<{ resource: Resource; distanceKm: number }[]>;
    create(viewer: Viewer, input: ResourceInput): Promise<Resource>;
    update(viewer: Viewer, id: number, patch: ResourcePatch): Promise<Resource>;
    dispatch(viewer: Viewer, input: DispatchInput): Promise<DispatchOrder>;
    acknowledge(viewer: Viewer, orderId: number): Promise<DispatchOrder>;
    arrive(viewer: Viewer, orderId: number): Promise<DispatchOrder>;
  };
  /** the viewer's grid scope, for filtering events */
  scopeOf(viewer: Viewer): Promise<EmergencyScope>;
  commandView: {
    open(viewer: Viewer, id: number, options: CommandViewOptions): Promise<CommandView>;
    sources(view: CommandView): Promise<NearbySource[]>;
    cameras(view: CommandView): Promise<NearbyCamera[]>;
    resources(view: CommandView): Promise<{ resource: Resource; distanceKm: number }[]>;
    assistants(view: CommandView): Promise<GridStaff[]>;
  };
}

export function createEmergencyService(deps: EmergencyDeps): EmergencyService {
  return {
    incidents: {
      byIds: (viewer, ids) => incidentsByIds(deps, viewer, ids),
      list: (viewer, filter, page) => listIncidents(deps, viewer, filter, page),
      count: (viewer, filter) => countIncidents(deps, viewer, filter),
      report: (viewer, input) => reportIncident(deps, viewer, input),
      transition: (viewer, id, action, note) => transitionIncident(deps, viewer, id, action, note),
      assess: (viewer, id, input) => assessIncident(deps, viewer, id, input),
      reportUpward: (viewer, id, note) => reportUpward(deps, viewer, id, note),
      link: (viewer, id, links) => linkToIncident(deps, viewer, id, links),
      addNote: (viewer, id, text) => addNote(deps, viewer, id, text),
      timelines: (ids) => timelinesOf(deps, ids),
      actions: (ids) => actionsOf(deps, ids),
      orders: (ids) => ordersOf(deps, ids),
      actionsByIds: (viewer, ids) => actionsByIds(deps, viewer, ids),
      ordersByIds: (viewer, ids) => ordersByIds(deps, viewer, ids),
      openFromExceedance: (episode) => openProposedIncident(deps, episode),
    },
    plans: {
      byIds: (viewer, ids) => forStaff(deps, viewer, ids, () => plansByIds(deps, ids)),
      list: async (viewer, filter, page) => ((await scopeOf(deps, viewer)).staff ? listPlans(deps, filter, page) : []),
      count: async (viewer, filter) => ((await scopeOf(deps, viewer)).staff ? countPlans(deps, filter) : 0),
      steps: (ids) => stepsOf(deps, ids),
      create: (viewer, input) => createPlan(deps, viewer, input),
      activate: (viewer, incidentId, planId) => activatePlan(deps, viewer, incidentId, planId),
      completeAction: (viewer, actionId, note) => completeAction(deps, viewer, actionId, note),
    },
    resources: {
      byIds: (viewer, ids) => forStaff(deps, viewer, ids, () => resourcesByIds(deps, ids)),
      list: async (viewer, filter, page) => ((await scopeOf(deps, viewer)).staff ? listResources(deps, filter, page) : []),
      count: async (viewer, filter) => ((await scopeOf(deps, viewer)).staff ? countResources(deps, filter) : 0),
      nearest: (point, limit) => nearestResources(deps, point, limit),
      create: (viewer, input) => createResource(deps, viewer, input),
      update: (viewer, id, patch) => updateResource(deps, viewer, id, patch),
      dispatch: (viewer, input) => dispatchResource(deps, viewer, input),
      acknowledge: (viewer, orderId) => recordOrderStage(deps, viewer, orderId, 'acknowledge'),
      arrive: (viewer, orderId) => recordOrderStage(deps, viewer, orderId, 'arrive'),
    },
    scopeOf: (viewer) => scopeOf(deps, viewer),
    commandView: {
      open: (viewer, id, options) => commandView(deps, viewer, id, options),
      sources: (view) => viewSources(deps, view),
      cameras: (view) => viewCameras(deps, view),
      resources: (view) => viewResources(deps, view),
      assistants: (view) => viewAssistants(deps, view),
    },
  };
}
