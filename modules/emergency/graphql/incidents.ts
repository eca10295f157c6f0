import type { HubBuilder } from '../../../src/graphql/builder';
import { pageOf } from '../../../src/graphql/pagination';
import { ExceedanceRef } from '../../../src/monitoring/public';
import { GridCellRef } from '../../grid/public';
import { emergencyServiceRef } from '../public';
import { proposeIncidentLevel, responseLead, type IncidentCriteria } from '../levels';
import { upwardReport } from '../service/reporting';
import { availableStatusActions } from '../service/transitions';
import type { EmergencyEnums } from './enums';
import { STAFF, idOf, orUndefined } from './ids';
import {
  actionLoader,
  actionsLoader,
  cellLoader,
  exceedanceLoader,
  incidentLoader,
  orderLoader,
  ordersLoader,
  planLoader,
  resourceLoader,
  timelineLoader,
} from './loaders';
import { EmergencyActionRef, EmergencyIncidentRef, EmergencyOrderRef, EmergencyPlanRef, EmergencyResourceRef } from './refs';
import type { TimelineEntry } from '../service/types';
import { boundedList, limitArgument, limitedList, takeLimit } from '../../../src/graphql/cost/declare';
import { MAX_LINKS } from '../service/validate';
import { MAX_ORDERS } from '../service/dispatch';
import { MAX_STEPS } from '../service/plans';
import { MAX_TIMELINE } from '../service/timeline';
import { loadNodes, loadPresent } from '../../../src/graphql/loaders';

/** Incident types and the incident queries; returns the criteria input the mutations share. */
/** An incident's timeline: the newest 100 unless asked, at most the 500 kept at hand. */
export const TIMELINE = { default: 100, max: MAX_TIMELINE } as const;

export function registerIncidentSchema(builder: HubBuilder, enums: EmergencyEnums) {
  const CriteriaRef = builder.objectRef<IncidentCriteria>('EmergencyCriteria').implement({
    description: 'The national grading criteria as recorded; an absent one was not assessed.',
    fields: (t) => ({
      deaths: t.int({ nullable: true, resolve: (c) => c.deaths ?? null }),
      poisoned: t.int({ nullable: true, description: 'poisoned or seriously injured', resolve: (c) => c.poisoned ?? null }),
      evacuated: t.int({ nullable: true, resolve: (c) => c.evacuated ?? null }),
      economicLossYuan: t.float({ nullable: true, description: 'direct economic loss', resolve: (c) => c.economicLossYuan ?? null }),
      drinkingWaterIntakeCut: t.field({ type: enums.IntakeCut, nullable: true, resolve: (c) => c.drinkingWaterIntakeCut ?? null }),
      crossBoundary: t.field({ type: enums.CrossBoundary, nullable: true, resolve: (c) => c.crossBoundary ?? null }),
    }),
  });
  const CriteriaInput = builder.inputType('EmergencyCriteriaInput', {
    fields: (t) => ({
      deaths: t.int({ required: false }),
      poisoned: t.int({ required: false }),
      evacuated: t.int({ required: false }),
      economicLossYuan: t.float({ required: false }),
      drinkingWaterIntakeCut: t.field({ type: enums.IntakeCut, required: false }),
      crossBoundary: t.field({ type: enums.CrossBoundary, required: false }),
    }),
  });
  const ProposalRef = builder.objectRef<ReturnType<typeof proposeIncidentLevel>>('EmergencyLevelProposal').implement({
    description: 'The level the recorded criteria reach; the responding government decides.',
    fields: (t) => ({
      level: t.field({ type: enums.IncidentLevel, resolve: (p) => p.level }),
      decidingCriteria: t.field({ type: [enums.Criterion], resolve: (p) => [...p.decidingCriteria] }),
      reasons: t.stringList({ resolve: (p) => [...p.reasons] }),
    }),
  });

  const TimelineEntryRef = builder.objectRef<TimelineEntry>('EmergencyTimelineEntry').implement({
    description: 'One thing that happened to an incident: who, when, what.',
    fields: (t) => ({
      kind: t.field({ type: enums.TimelineKind, resolve: (e) => e.kind }),
      summary: t.exposeString('summary'),
      detail: t.field({ type: 'JSON', nullable: true, resolve: (e) => e.detail }),
      actor: t.exposeString('actor', { description: 'token subject; `system` for the hub itself' }),
      actorName: t.exposeString('actorName', { nullable: true }),
      at: t.field({ type: 'DateTime', resolve: (e) => e.at }),
    }),
  });

  builder.node(EmergencyActionRef, {
    description: 'A plan step activated on an incident, tracked until done.',
    id: { resolve: (a) => a.id },
    loadMany: loadNodes(actionLoader),
    isTypeOf: (value) => typeof value === 'object' && value !== null && 'ownerRole' in value && 'incidentId' in value,
    fields: (t) => ({
      position: t.exposeInt('position'),
      title: t.exposeString('title'),
      ownerRole: t.exposeString('ownerRole', { description: 'who answers for the step' }),
      status: t.field({ type: enums.ActionStatus, resolve: (a) => a.status }),
      plan: t.field({ type: EmergencyPlanRef, nullable: true, resolve: (a, _args, ctx) => planLoader(ctx).load(a.planId) }),
      doneBy: t.exposeString('doneBy', { nullable: true }),
      doneByName: t.exposeString('doneByName', { nullable: true }),
      doneAt: t.field({ type: 'DateTime', nullable: true, resolve: (a) => a.doneAt }),
      note: t.exposeString('note', { nullable: true }),
    }),
  });

  builder.node(EmergencyOrderRef, {
    description: 'A resource sent to an incident.',
    id: { resolve: (o) => o.id },
    loadMany: loadNodes(orderLoader),
    isTypeOf: (value) => typeof value === 'object' && value !== null && 'issuedAt' in value && 'resourceId' in value,
    fields: (t) => ({
      resource: t.field({ type: EmergencyResourceRef, nullable: true, resolve: (o, _args, ctx) => resourceLoader(ctx).load(o.resourceId) }),
      quantity: t.exposeInt('quantity'),
      instructions: t.exposeString('instructions', { nullable: true }),
      issuedBy: t.exposeString('issuedBy'),
      issuedAt: t.field({ type: 'DateTime', resolve: (o) => o.issuedAt }),
      acknowledgedAt: t.field({ type: 'DateTime', nullable: true, resolve: (o) => o.acknowledgedAt }),
      arrivedAt: t.field({ type: 'DateTime', nullable: true, resolve: (o) => o.arrivedAt }),
    }),
  });

  builder.node(EmergencyIncidentRef, {
    description: 'An environmental emergency (突发环境事件).',
    id: { resolve: (i) => i.id },
    loadMany: loadNodes(incidentLoader),
    isTypeOf: (value) => typeof value === 'object' && value !== null && 'reportedAt' in value && 'warningColour' in value,
    fields: (t) => ({
      title: t.exposeString('title'),
      type: t.field({ type: enums.IncidentType, resolve: (i) => i.type }),
      description: t.exposeString('description', { nullable: true }),
      level: t.field({ type: enums.IncidentLevel, resolve: (i) => i.level }),
      criteria: t.field({ type: CriteriaRef, resolve: (i) => i.criteria }),
      proposedLevel: t.field({ type: ProposalRef, description: 'what the recorded criteria reach', resolve: (i) => proposeIncidentLevel(i.criteria) }),
      responseLead: t.string({ description: 'who leads the response at this level: province, city or district', resolve: (i) => responseLead(i.level) }),
      warningColour: t.field({ type: enums.WarningColour, resolve: (i) => i.warningColour }),
      status: t.field({ type: enums.IncidentStatus, resolve: (i) => i.status }),
      availableActions: t.field({ type: [enums.StatusAction], resolve: (i) => availableStatusActions(i.status) }),
      proposed: t.exposeBoolean('proposed', { description: 'opened by the hub from an exceedance, not yet verified' }),
      location: t.field({
        type: enums.Point,
        nullable: true,
        resolve: (i) => (i.longitude !== null && i.latitude !== null ? { longitude: i.longitude, latitude: i.latitude } : null),
      }),
      address: t.exposeString('address', { nullable: true }),
      cellCode: t.exposeString('cellCode', { nullable: true }),
      cell: t.field({ type: GridCellRef, nullable: true, resolve: (i, _a, ctx) => (i.cellCode ? cellLoader(ctx).load(i.cellCode) : null) }),
      reporterSubject: t.exposeString('reporterSubject', { description: 'token subject of the reporter; `system` when opened from an exceedance' }),
      reporterName: t.exposeString('reporterName', { nullable: true }),
      occurredAt: t.field({ type: 'DateTime', nullable: true, resolve: (i) => i.occurredAt }),
      reportedAt: t.field({ type: 'DateTime', resolve: (i) => i.reportedAt }),
      reportDeadline: t.field({
        type: 'DateTime',
        nullable: true,
        description: 'level I and II: two hours after the bureau learned of it, the report upward is due',
        resolve: (i, _a, ctx) => upwardReport(i, ctx.now()).deadline,
      }),
      reportedUpwardAt: t.field({ type: 'DateTime', nullable: true, resolve: (i) => i.reportedUpwardAt }),
      reportedUpwardBy: t.exposeString('reportedUpwardBy', { nullable: true }),
      upwardReportStatus: t.field({ type: enums.UpwardStatus, resolve: (i, _a, ctx) => upwardReport(i, ctx.now()).status }),
      reportDeadlineMet: t.boolean({
        nullable: true,
        description: 'true or false once decided; null while pending or when no report is due',
        resolve: (i, _a, ctx) => {
          const { status } = upwardReport(i, ctx.now());
          return status === 'MET' ? true : status === 'MISSED' ? false : null;
        },
      }),
      closedAt: t.field({ type: 'DateTime', nullable: true, resolve: (i) => i.closedAt }),
      exceedances: t.field({
        extensions: boundedList(MAX_LINKS),
        type: [ExceedanceRef],
        description: 'linked exceedance episodes the viewer may see',
        resolve: (i, _a, ctx) => loadPresent(exceedanceLoader(ctx), i.exceedanceIds),
      }),
      sourceUsccs: t.stringList({ description: 'linked pollution sources, by unified social credit code', resolve: (i) => i.sourceUsccs }),
      cameraIds: t.stringList({ description: 'linked cameras', resolve: (i) => i.cameraIds }),
      timeline: t.field({
        type: [TimelineEntryRef],
        description: 'the newest entries, in order',
        args: { limit: t.arg.int(limitArgument(TIMELINE)) },
        extensions: limitedList(TIMELINE),
        resolve: async (i, args, ctx) => takeLimit((await timelineLoader(ctx).load(i.id)) ?? [], args.limit, TIMELINE, { newest: 'last' }),
      }),
      actions: t.field({
        extensions: boundedList(MAX_STEPS),
        type: [EmergencyActionRef],
        description: 'activated plan steps',
        resolve: async (i, _a, ctx) => (await actionsLoader(ctx).load(i.id)) ?? [],
      }),
      orders: t.field({
        extensions: boundedList(MAX_ORDERS),
        type: [EmergencyOrderRef],
        description: 'dispatch orders, oldest first',
        resolve: async (i, _a, ctx) => (await ordersLoader(ctx).load(i.id)) ?? [],
      }),
    }),
  });

  const Filter = builder.inputType('EmergencyIncidentFilter', {
    fields: (t) => ({
      status: t.field({ type: [enums.IncidentStatus], required: false }),
      type: t.field({ type: [enums.IncidentType], required: false }),
      level: t.field({ type: [enums.IncidentLevel], required: false }),
      cellCode: t.string({ required: false, description: 'a cell and every cell under it' }),
      proposed: t.boolean({ required: false }),
      reportedFrom: t.field({ type: 'DateTime', required: false }),
      reportedTo: t.field({ type: 'DateTime', required: false }),
    }),
  });

  builder.queryFields((t) => ({
    emergencyIncident: t.field({
      authScopes: { roles: [...STAFF] },
      type: EmergencyIncidentRef,
      nullable: true,
      description: 'One incident, when it is in the viewer’s grid.',
      args: { id: t.arg.globalID({ required: true }) },
      resolve: (_root, args, ctx) => incidentLoader(ctx).load(idOf(args.id, 'EmergencyIncident', 'id')),
    }),
    emergencyIncidents: t.connection({
      authScopes: { roles: [...STAFF] },
      type: EmergencyIncidentRef,
      description: 'Incidents in the viewer’s grid (a town’s or assistant’s cells, or all), newest first.',
      args: { filter: t.arg({ type: Filter, required: false }) },
      resolve: async (_root, args, ctx) => {
        const filter = args.filter ?? {};
        const incidents = ctx.services.get(emergencyServiceRef).incidents;
        const query = {
          status: orUndefined(filter.status),
          type: orUndefined(filter.type),
          level: orUndefined(filter.level),
          cellCode: orUndefined(filter.cellCode),
          proposed: orUndefined(filter.proposed),
          reportedFrom: orUndefined(filter.reportedFrom),
          reportedTo: orUndefined(filter.reportedTo),
        };
        return pageOf(args, 'descending', (window) => incidents.list(ctx.viewer, query, window), {
          idOf: (incident) => incident.id,
          count: () => incidents.count(ctx.viewer, query),
        });
      },
    }),
  }));

  return { CriteriaInput, TimelineEntryRef };
}

export type IncidentSchema = ReturnType<typeof registerIncidentSchema>;
