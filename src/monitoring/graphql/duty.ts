import type { ImplementableObjectRef } from '@pothos/core';
import type { HubBuilder, HubTypes } from '../../graphql/builder';
import { monitoringServiceRef } from '../service-ref';
import { POINT_STATES, type PointState } from '../summary';

/** The duty room's two root objects: modules add their fields to them (`DutySummary.cameras`). */
export interface DutyRoot {
  readonly generatedAt: Date;
}

/** A point on the duty map: an enterprise, a station or a video site, coloured by its state. */
export interface DutyMapPoint {
  /** the entity's global id, for `node(id)` and the entity's own queries */
  id: string;
  code: string;
  name: string;
  longitude: number;
  latitude: number;
  cellCode: string | null;
  state: PointState;
  /** open exceedance and warning episodes of its monitors */
  openExceedances: number;
}

export interface DutyRefs {
  summary: ImplementableObjectRef<HubTypes, DutyRoot>;
  map: ImplementableObjectRef<HubTypes, DutyRoot>;
  point: ImplementableObjectRef<HubTypes, DutyMapPoint>;
}

// Refs hold their fields, so each builder (one per hub; tests build several) gets its own.
const refsOfBuilder = new WeakMap<HubBuilder, DutyRefs>();

/** The duty types of this builder, for modules adding their fields (`builder.objectFields(dutyRefs(builder).summary, …)`). */
export function dutyRefs(builder: HubBuilder): DutyRefs {
  let refs = refsOfBuilder.get(builder);
  if (!refs) {
    refs = {
      summary: builder.objectRef<DutyRoot>('DutySummary'),
      map: builder.objectRef<DutyRoot>('DutyMap'),
      point: builder.objectRef<DutyMapPoint>('DutyMapPoint'),
    };
    refsOfBuilder.set(builder, refs);
  }
  return refs;
}

/** Staff read the duty room; each sees it within their own grid scope. */
export const DUTY_READERS = ['admin', 'district', 'town', 'assistant'] as const;

export function registerDutyTypes(builder: HubBuilder): void {
  const { summary: DutySummaryRef, map: DutyMapRef, point: DutyMapPointRef } = dutyRefs(builder);
  const PointStateEnum = builder.enumType('DutyPointState', {
    description: '地图点位状态: the worst state of the point’s monitors',
    values: {
      NORMAL: { description: '正常' },
      WARNING: { description: '预警: an open episode at the warning ratio of its limit' },
      EXCEEDANCE: { description: '超标: an open exceedance episode' },
      OFFLINE: { description: '离线: every monitor offline (data interruption), or every camera offline' },
    } satisfies Record<(typeof POINT_STATES)[number], { description: string }>,
  });
  DutyMapPointRef.implement({
    description: 'A point on the duty map (WGS 84).',
    fields: (t) => ({
      id: t.exposeID('id', { description: 'the global id of the enterprise, station or site' }),
      code: t.exposeString('code'),
      name: t.exposeString('name'),
      longitude: t.exposeFloat('longitude'),
      latitude: t.exposeFloat('latitude'),
      cellCode: t.exposeString('cellCode', { nullable: true }),
      state: t.field({ type: PointStateEnum, resolve: (point) => point.state }),
      openExceedances: t.exposeInt('openExceedances', { description: 'open warning and exceedance episodes of its monitors' }),
    }),
  });
  const MonitorCountsRef = builder.objectRef<{ online: number; offline: number; unknown: number }>('DutyMonitorCounts').implement({
    fields: (t) => ({
      online: t.exposeInt('online'),
      offline: t.exposeInt('offline', { description: 'silent past their interruption time' }),
      unknown: t.exposeInt('unknown', { description: 'registered, no data yet' }),
    }),
  });
  const ExceedanceCountsRef = builder.objectRef<{ warning: number; exceedance: number }>('DutyExceedanceCounts').implement({
    fields: (t) => ({
      warning: t.exposeInt('warning'),
      exceedance: t.exposeInt('exceedance'),
    }),
  });
  DutySummaryRef.implement({
    description: 'The duty room’s counts in the viewer’s scope. Each field costs a fixed number of statements, whatever the size of the district.',
    fields: (t) => ({
      generatedAt: t.field({ type: 'DateTime', resolve: (root) => root.generatedAt }),
      monitors: t.field({
        type: MonitorCountsRef,
        description: 'monitors by status (one statement)',
        resolve: async (_root, _a, ctx) => {
          const counts = await ctx.services.get(monitoringServiceRef).summary.monitorStatus(ctx.viewer);
          const of = (status: string): number => counts.find((c) => c.status === status)?.count ?? 0;
          return { online: of('ONLINE'), offline: of('OFFLINE'), unknown: of('UNKNOWN') };
        },
      }),
      openExceedances: t.field({
        type: ExceedanceCountsRef,
        description: 'open episodes by severity (one statement)',
        resolve: async (_root, _a, ctx) => {
          const counts = await ctx.services.get(monitoringServiceRef).summary.openExceedances(ctx.viewer);
          const of = (severity: string): number => counts.filter((c) => c.severity === severity).reduce((sum, c) => sum + c.count, 0);
          return { warning: of('WARNING'), exceedance: of('EXCEEDANCE') };
        },
      }),
    }),
  });
  DutyMapRef.implement({
    description: 'What the duty map shows, in the viewer’s scope: each module adds its points. Each field costs a fixed number of statements.',
    fields: (t) => ({
      generatedAt: t.field({ type: 'DateTime', resolve: (root) => root.generatedAt }),
    }),
  });
  builder.queryFields((t) => ({
    dutySummary: t.field({
      type: DutySummaryRef,
      authScopes: { roles: [...DUTY_READERS] },
      description: 'The duty-room panels’ counts (staff).',
      resolve: (_root, _a, ctx) => ({ generatedAt: ctx.now() }),
    }),
    dutyMap: t.field({
      type: DutyMapRef,
      authScopes: { roles: [...DUTY_READERS] },
      description: 'The duty map’s points coloured by state (staff).',
      resolve: (_root, _a, ctx) => ({ generatedAt: ctx.now() }),
    }),
  }));
}
