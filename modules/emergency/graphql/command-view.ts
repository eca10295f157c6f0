import type { HubBuilder } from '../../../src/graphql/builder';
import { NotFoundError, ValidationError } from '../../../src/errors';
import { ExceedanceRef, MonitorRef } from '../../../src/monitoring/public';
import { GridCellRef, GridStaffRef } from '../../grid/public';
import { emergencyServiceRef } from '../public';
import type { CommandView } from '../service/command-view';
import type { NearbyCamera, NearbySource } from '../service/nearby';
import type { Resource } from '../service/types';
import type { EmergencyEnums } from './enums';
import { STAFF, idOf } from './ids';
import { loadPresent } from '../../../src/graphql/loaders';
import { exceedanceLoader, monitorLoader, timelineLoader } from './loaders';
import { EmergencyIncidentRef, EmergencyResourceRef } from './refs';
import type { IncidentSchema } from './incidents';
import { boundedList, limitArgument, limitedList, takeLimit } from '../../../src/graphql/cost/declare';
import { MAX_VIEW_ITEMS } from '../service/command-view';
import { TIMELINE } from './incidents';

/**
 * `commandView`: what the duty officer needs of one incident in one request. Every part is one
 * batched read for the whole view (monitors and their latest readings through the monitoring
 * loaders), so the statements it costs do not grow with the number of linked items.
 */
/** A nearby source's monitors (its outlets' analysers): unless asked, and at most. */
const SOURCE_MONITORS = { default: 8, max: 100 } as const;

export function registerCommandView(builder: HubBuilder, enums: EmergencyEnums, incidents: IncidentSchema): void {
  const SourceRef = builder.objectRef<NearbySource>('EmergencyNearbySource').implement({
    description: 'A pollution source near the incident, with the monitors on its outlets.',
    fields: (t) => ({
      uscc: t.exposeString('uscc'),
      name: t.exposeString('name'),
      industry: t.exposeString('industry'),
      controlLevel: t.exposeString('controlLevel', { description: 'STATE, PROVINCE, CITY or DISTRICT_KEY' }),
      cellCode: t.exposeString('cellCode', { nullable: true }),
      distanceKm: t.exposeFloat('distanceKm'),
      monitors: t.field({
        type: [MonitorRef],
        args: { limit: t.arg.int(limitArgument(SOURCE_MONITORS)) },
        extensions: limitedList(SOURCE_MONITORS),
        resolve: (s, args, ctx) => loadPresent(monitorLoader(ctx), takeLimit(s.monitorIds, args.limit, SOURCE_MONITORS)),
      }),
    }),
  });
  const CameraRef = builder.objectRef<NearbyCamera>('EmergencyNearbyCamera').implement({
    description: 'A camera near the incident.',
    fields: (t) => ({
      cameraId: t.exposeString('id'),
      code: t.exposeString('code'),
      name: t.exposeString('name'),
      siteName: t.exposeString('siteName'),
      status: t.exposeString('status', { description: 'UNKNOWN, ONLINE or OFFLINE' }),
      streamUrl: t.exposeString('streamUrl', { description: 'where the video is pulled from' }),
      distanceKm: t.exposeFloat('distanceKm'),
    }),
  });
  const NearResourceRef = builder.objectRef<{ resource: Resource; distanceKm: number }>('EmergencyNearbyResource').implement({
    fields: (t) => ({
      resource: t.field({ type: EmergencyResourceRef, resolve: (r) => r.resource }),
      distanceKm: t.exposeFloat('distanceKm'),
    }),
  });
  const ViewRef = builder.objectRef<CommandView>('EmergencyCommandView').implement({
    description: 'One incident as the command centre sees it.',
    fields: (t) => ({
      incident: t.field({ type: EmergencyIncidentRef, resolve: (v) => v.incident }),
      timeline: t.field({
        type: [incidents.TimelineEntryRef],
        description: 'the newest entries, in order',
        args: { limit: t.arg.int(limitArgument(TIMELINE)) },
        extensions: limitedList(TIMELINE),
        resolve: async (v, args, ctx) => takeLimit((await timelineLoader(ctx).load(v.incident.id)) ?? [], args.limit, TIMELINE, { newest: 'last' }),
      }),
      centre: t.field({
        type: enums.Point,
        nullable: true,
        description: 'where distances are measured from: the incident, else its cell’s centre',
        resolve: (v) => v.centre,
      }),
      radiusKm: t.float({ resolve: (v) => v.options.radiusKm }),
      exceedances: t.field({
        extensions: boundedList(MAX_VIEW_ITEMS),
        type: [ExceedanceRef],
        description: 'linked episodes; ask `monitor { latestReadings }` for the latest values',
        resolve: (v, _a, ctx) => loadPresent(exceedanceLoader(ctx), v.incident.exceedanceIds),
      }),
      nearbySources: t.field({
        extensions: boundedList(MAX_VIEW_ITEMS),
        type: [SourceRef],
        description: 'sources within the radius, nearest first; empty when the source module is off',
        resolve: (v, _a, ctx) => ctx.services.get(emergencyServiceRef).commandView.sources(v),
      }),
      nearbyCameras: t.field({
        extensions: boundedList(MAX_VIEW_ITEMS),
        type: [CameraRef],
        description: 'cameras within the radius, nearest first; empty when the source module is off',
        resolve: (v, _a, ctx) => ctx.services.get(emergencyServiceRef).commandView.cameras(v),
      }),
      resources: t.field({
        extensions: boundedList(MAX_VIEW_ITEMS),
        type: [NearResourceRef],
        description: 'available resources, nearest first',
        resolve: (v, _a, ctx) => ctx.services.get(emergencyServiceRef).commandView.resources(v),
      }),
      cell: t.field({ type: GridCellRef, nullable: true, resolve: (v) => v.cell ?? null }),
      assistants: t.field({
        extensions: boundedList(MAX_VIEW_ITEMS),
        type: [GridStaffRef],
        description: 'the grid assistants answering for the incident’s cell',
        resolve: (v, _a, ctx) => ctx.services.get(emergencyServiceRef).commandView.assistants(v),
      }),
    }),
  });

  builder.queryFields((t) => ({
    commandView: t.field({
      authScopes: { roles: [...STAFF] },
      type: ViewRef,
      description: 'Everything the duty officer needs of one incident, in one request.',
      errors: { types: [ValidationError, NotFoundError] },
      args: {
        incident: t.arg.globalID({ required: true }),
        radiusKm: t.arg.float({ required: false, description: 'for nearby sources and cameras; default 5, at most 30' }),
        limit: t.arg.int({ required: false, defaultValue: 10, description: `sources, cameras and resources, each; at most ${MAX_VIEW_ITEMS}` }),
      },
      // `limit` is how many nearby sources, cameras and resources the view holds
      extensions: {
        cost: { listSize: { slicingArguments: ['limit'], max: MAX_VIEW_ITEMS, sizedFields: ['data.nearbySources', 'data.nearbyCameras', 'data.resources'] } },
      },
      resolve: (_root, args, ctx) =>
        ctx.services
          .get(emergencyServiceRef)
          .commandView.open(ctx.viewer, idOf(args.incident, 'EmergencyIncident', 'incident'), { radiusKm: args.radiusKm ?? 5, limit: args.limit ?? 10 }),
    }),
  }));
}
