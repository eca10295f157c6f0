import { defineLoader } from '../../../src/graphql/loaders';
import type { HubContext } from '../../../src/graphql/context';
import { monitoringServiceRef, type Exceedance, type Monitor } from '../../../src/monitoring/public';
import { gridServiceRef } from '../public';
import type { GridAssignment, GridCell, GridMedia, GridPatrol, GridStaff, GridTask, GridTaskTransition } from '../service/types';

const grid = (ctx: HubContext) => ctx.services.get(gridServiceRef);

export const cellByCodeLoader = defineLoader<string, GridCell>((ctx, codes) => grid(ctx).cellsByCodes(codes));
export const cellByIdLoader = defineLoader<number, GridCell>((ctx, ids) => grid(ctx).cells.byIds(ids));
export const childrenLoader = defineLoader<string, GridCell[]>((ctx, codes) => grid(ctx).cells.children(codes));
export const ancestorsLoader = defineLoader<string, GridCell[]>((ctx, codes) => grid(ctx).cells.ancestors(codes));
/** Staff records, for staff viewers only (every path to a GridStaff goes through these). */
export const officersLoader = defineLoader<string, GridStaff[]>((ctx, codes) => grid(ctx).cells.officers(ctx.viewer, codes));
export const assistantsLoader = defineLoader<string, GridStaff[]>((ctx, codes) => grid(ctx).cells.assistants(ctx.viewer, codes));
export const staffLoader = defineLoader<number, GridStaff>((ctx, ids) => grid(ctx).staff.byIds(ctx.viewer, ids));
export const assignmentsLoader = defineLoader<number, GridAssignment[]>((ctx, ids) => grid(ctx).staff.assignments(ids));
/** Tasks in the viewer's scope. */
export const taskLoader = defineLoader<number, GridTask>((ctx, ids) => grid(ctx).tasks.byIds(ctx.viewer, ids));
export const historyLoader = defineLoader<number, GridTaskTransition[]>((ctx, ids) => grid(ctx).tasks.history(ids));
/** Patrols in the viewer's scope. */
export const patrolLoader = defineLoader<number, GridPatrol>((ctx, ids) => grid(ctx).patrols.byIds(ctx.viewer, ids));
export const taskPatrolsLoader = defineLoader<number, GridPatrol[]>((ctx, ids) => grid(ctx).patrols.ofTasks(ids));
export const patrolMediaLoader = defineLoader<number, GridMedia[]>((ctx, ids) => grid(ctx).media.ofPatrols(ids));
/** Monitors and episodes through the monitoring service, in the viewer's scope. */
export const monitorLoader = defineLoader<number, Monitor>((ctx, ids) => ctx.services.get(monitoringServiceRef).monitorsByIds(ctx.viewer, ids));
export const exceedanceLoader = defineLoader<number, Exceedance>((ctx, ids) => ctx.services.get(monitoringServiceRef).exceedancesByIds(ctx.viewer, ids));
