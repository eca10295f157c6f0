import type { HubContext } from '../../../src/graphql/context';
import { defineLoader } from '../../../src/graphql/loaders';
import { monitoringServiceRef, type Exceedance, type Monitor } from '../../../src/monitoring/public';
import { gridServiceRef, type GridCell } from '../../grid/public';
import { emergencyServiceRef } from '../public';
import type { DispatchOrder, Incident, IncidentAction, Plan, PlanStep, Resource, TimelineEntry } from '../service/types';

const emergency = (ctx: HubContext) => ctx.services.get(emergencyServiceRef);

/** Incidents in the viewer's scope. */
export const incidentLoader = defineLoader<number, Incident>((ctx, ids) => emergency(ctx).incidents.byIds(ctx.viewer, ids));
export const timelineLoader = defineLoader<number, TimelineEntry[]>((ctx, ids) => emergency(ctx).incidents.timelines(ids));
export const actionsLoader = defineLoader<number, IncidentAction[]>((ctx, ids) => emergency(ctx).incidents.actions(ids));
export const ordersLoader = defineLoader<number, DispatchOrder[]>((ctx, ids) => emergency(ctx).incidents.orders(ids));
export const planLoader = defineLoader<number, Plan>((ctx, ids) => emergency(ctx).plans.byIds(ctx.viewer, ids));
export const stepsLoader = defineLoader<number, PlanStep[]>((ctx, ids) => emergency(ctx).plans.steps(ids));
export const resourceLoader = defineLoader<number, Resource>((ctx, ids) => emergency(ctx).resources.byIds(ctx.viewer, ids));
/** Actions and orders by id, seen by whoever sees their incident. */
export const actionLoader = defineLoader<number, IncidentAction>((ctx, ids) => emergency(ctx).incidents.actionsByIds(ctx.viewer, ids));
export const orderLoader = defineLoader<number, DispatchOrder>((ctx, ids) => emergency(ctx).incidents.ordersByIds(ctx.viewer, ids));
export const cellLoader = defineLoader<string, GridCell>((ctx, codes) => ctx.services.get(gridServiceRef).cellsByCodes(codes));
/** Episodes and monitors through the monitoring service, in the viewer's scope. */
export const exceedanceLoader = defineLoader<number, Exceedance>((ctx, ids) => ctx.services.get(monitoringServiceRef).exceedancesByIds(ctx.viewer, ids));
export const monitorLoader = defineLoader<number, Monitor>((ctx, ids) => ctx.services.get(monitoringServiceRef).monitorsByIds(ctx.viewer, ids));
