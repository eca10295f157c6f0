import { isStaff } from '../../../src/auth/viewer';
import type { HubBuilder } from '../../../src/graphql/builder';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../../src/errors';
import { parseSince, subscribeEvents } from '../../../src/events/graphql';
import type { HubEvent } from '../../../src/events/topics';
import { pageOf } from '../../../src/graphql/pagination';
import { ExceedanceRef } from '../../../src/monitoring/public';
import { CAMERA_STATUS_TOPICS, type CameraStatusPayload } from '../events';
import { sourceServiceRef } from '../public';
import { gridServiceRef } from '../../grid/public';
import type { HubContext } from '../../../src/graphql/context';
import { enterpriseVisible } from '../service/scope';
import { MAX_STATUS_REPORTS, type CameraStatusOutcome, type CameraStatusResult } from '../service/video';
import type { SourceEnums } from './enums';
import { idOf, orUndefined } from './ids';
import { cameraLoader, camerasLoader, enterpriseLoader, siteLoader, snapshotLoader } from './loaders';
import { CameraRef, EnterpriseRef, VideoSiteRef } from './refs';
import type { Snapshot } from '../service/types';
import { limitArgument, limitedList, takeLimit, boundedList } from '../../../src/graphql/cost/declare';
import { zhValues } from '../../../src/graphql/zh';
import { loadNodes } from '../../../src/graphql/loaders';

const STAFF = ['admin', 'district', 'town', 'assistant'] as const;

/** Video monitoring: sites, cameras, their status from the video platform, snapshots as evidence. */
/** Cameras of a site and snapshots of a record: unless asked, and at most. */
const SITE_CAMERAS = { default: 50, max: 200 } as const;
export const SNAPSHOTS = { default: 10, max: 100 } as const;

/** One signature per snapshot of a response, so the URL and its expiry always agree. */
const snapshotLinks = new WeakMap<Snapshot, { url: string; expiresAt: Date }>();
function snapshotLink(snapshot: Snapshot, ctx: HubContext): { url: string; expiresAt: Date } {
  let link = snapshotLinks.get(snapshot);
  if (!link) {
    link = ctx.services.get(gridServiceRef).media.signedUrl(snapshot.mediaId as string);
    snapshotLinks.set(snapshot, link);
  }
  return link;
}

export function registerVideoSchema(builder: HubBuilder, enums: SourceEnums) {
  builder.node(VideoSiteRef, {
    description: 'A video site: an enterprise, a district key area or a drinking-water source.',
    id: { resolve: (s) => s.id },
    loadMany: loadNodes(siteLoader),
    isTypeOf: (value) => typeof value === 'object' && value !== null && 'kind' in value && 'code' in value && 'enterpriseUscc' in value,
    fields: (t) => ({
      code: t.exposeString('code'),
      name: t.exposeString('name'),
      kind: t.field({ type: enums.SiteKind, resolve: (s) => s.kind }),
      enterprise: t.field({
        type: EnterpriseRef,
        nullable: true,
        resolve: (s, _a, ctx) => (s.enterpriseId === null ? null : enterpriseLoader(ctx).load(s.enterpriseId)),
      }),
      longitude: t.exposeFloat('longitude'),
      latitude: t.exposeFloat('latitude'),
      cellCode: t.exposeString('cellCode', { nullable: true }),
      cameras: t.field({
        type: [CameraRef],
        args: { limit: t.arg.int(limitArgument(SITE_CAMERAS)) },
        extensions: limitedList(SITE_CAMERAS),
        resolve: async (s, args, ctx) => takeLimit(await ((await camerasLoader(ctx).load(s.id)) ?? []), args.limit, SITE_CAMERAS),
      }),
    }),
  });

  builder.node(CameraRef, {
    description: 'An infrared HD network camera of the video monitoring platform.',
    id: { resolve: (c) => c.id },
    loadMany: loadNodes(cameraLoader),
    isTypeOf: (value) => typeof value === 'object' && value !== null && 'streamUrl' in value,
    fields: (t) => ({
      code: t.exposeString('code'),
      name: t.exposeString('name'),
      site: t.field({ type: VideoSiteRef, nullable: true, resolve: (c, _a, ctx) => siteLoader(ctx).load(c.siteId) }),
      streamUrl: t.string({
        nullable: true,
        description: 'rtsp address; staff only (null for others)',
        resolve: (c, _a, ctx) => (isStaff(ctx.viewer) ? c.streamUrl : null),
      }),
      playUrl: t.string({
        nullable: true,
        description: 'an address a browser plays (HLS .m3u8, HTTP-FLV, WebRTC) when the video platform gives one; staff only (null for others)',
        resolve: (c, _a, ctx) => (isStaff(ctx.viewer) ? c.playUrl : null),
      }),
      status: t.field({ type: enums.CameraStatus, resolve: (c) => c.status }),
      statusChangedAt: t.field({ type: 'DateTime', nullable: true, resolve: (c) => c.statusChangedAt }),
    }),
  });

  const SnapshotRef = builder.objectRef<Snapshot>('CameraSnapshot').implement({
    description: 'A camera snapshot kept as evidence.',
    fields: (t) => ({
      camera: t.field({ type: CameraRef, nullable: true, resolve: (s, _a, ctx) => cameraLoader(ctx).load(s.cameraId) }),
      target: t.field({ type: enums.SnapshotTarget, resolve: (s) => s.targetKind }),
      targetId: t.exposeInt('targetId'),
      mediaId: t.exposeString('mediaId', { nullable: true, description: 'the picture in the hub’s media store; `mediaUrl` loads it' }),
      mediaUrl: t.string({
        nullable: true,
        description:
          'signed path of the stored picture, valid until `mediaUrlExpiresAt` without an Authorization header (an `<img>` src); whoever sees the record it is evidence for may load it',
        resolve: (s, _a, ctx) => (s.mediaId === null ? null : snapshotLink(s, ctx).url),
      }),
      mediaUrlExpiresAt: t.field({ type: 'DateTime', nullable: true, resolve: (s, _a, ctx) => (s.mediaId === null ? null : snapshotLink(s, ctx).expiresAt) }),
      url: t.exposeString('url', { nullable: true, description: 'the video platform’s URL of the picture, when it was attached as one' }),
      takenAt: t.field({ type: 'DateTime', resolve: (s) => s.takenAt }),
      attachedBy: t.exposeString('attachedBy'),
    }),
  });

  builder.objectField(ExceedanceRef, 'snapshots', (t) =>
    t.field({
      type: [SnapshotRef],
      description: 'camera snapshots attached as evidence',
      args: { limit: t.arg.int(limitArgument(SNAPSHOTS)) },
      extensions: limitedList(SNAPSHOTS),
      resolve: async (e, args, ctx) => takeLimit(await ((await snapshotLoader('EXCEEDANCE')(ctx).load(e.id)) ?? []), args.limit, SNAPSHOTS),
    }),
  );

  const CameraFilter = builder.inputType('CameraFilter', {
    fields: (t) => ({
      status: t.field({ type: enums.CameraStatus, required: false }),
      siteKind: t.field({ type: enums.SiteKind, required: false }),
      cellCode: t.string({ required: false, description: 'a grid cell and every cell under it' }),
    }),
  });

  builder.queryFields((t) => ({
    cameras: t.connection({
      authScopes: { roles: [...STAFF, 'enterprise'] },
      type: CameraRef,
      description: 'Cameras at the sites the viewer sees.',
      args: { filter: t.arg({ type: CameraFilter, required: false }) },
      resolve: async (_root, args, ctx) => {
        const list = ctx.services.get(sourceServiceRef).video;
        const query = [
          ctx.viewer,
          { status: orUndefined(args.filter?.status), siteKind: orUndefined(args.filter?.siteKind), cellCode: orUndefined(args.filter?.cellCode) },
        ] as const;
        return pageOf(args, 'ascending', (window) => list.listCameras(...query, window), { idOf: (c) => c.id, count: () => list.countCameras(...query) });
      },
    }),
  }));

  const SiteInput = builder.inputType('CreateVideoSiteInput', {
    fields: (t) => ({
      code: t.string({ required: true }),
      name: t.string({ required: true }),
      kind: t.field({ type: enums.SiteKind, required: true }),
      enterpriseUscc: t.string({ required: false }),
      longitude: t.float({ required: true }),
      latitude: t.float({ required: true }),
      cellCode: t.string({ required: false, description: 'defaults to the enterprise’s cell' }),
    }),
  });
  const CameraInput = builder.inputType('CreateCameraInput', {
    fields: (t) => ({
      code: t.string({ required: true }),
      site: t.string({ required: true, description: 'site code' }),
      name: t.string({ required: true }),
      streamUrl: t.string({ required: true, description: 'rtsp:// address' }),
      playUrl: t.string({ required: false, description: 'a browser-playable address (HLS, HTTP-FLV, WebRTC), when the platform has one' }),
    }),
  });
  const StatusInput = builder.inputType('CameraStatusReportInput', {
    fields: (t) => ({
      code: t.string({ required: true, description: 'camera code' }),
      status: t.field({ type: enums.ReportedCameraStatus, required: true }),
      at: t.field({ type: 'DateTime', required: false, description: 'when the platform saw it; now when absent' }),
    }),
  });
  const SnapshotInput = builder.inputType('AttachSnapshotInput', {
    fields: (t) => ({
      camera: t.globalID({ required: true }),
      target: t.field({ type: enums.SnapshotTarget, required: true }),
      targetId: t.globalID({ required: true, description: 'the Exceedance, GridPatrol or EnforcementCase' }),
      mediaId: t.string({ required: false, description: 'a media id from POST /media' }),
      url: t.string({ required: false, description: 'or the video platform’s URL of the picture' }),
      takenAt: t.field({ type: 'DateTime', required: true }),
    }),
  });
  const StatusOutcomeRef = builder.objectRef<CameraStatusOutcome>('CameraStatusOutcome').implement({
    fields: (t) => ({
      index: t.exposeInt('index'),
      code: t.exposeString('code'),
      outcome: t.field({
        type: builder.enumType('CameraStatusItemOutcome', {
          values: zhValues(
            {
              CHANGED: { description: 'recorded and announced' },
              UNCHANGED: { description: 'the camera already had this status, or a later report of it in the batch counts' },
              REJECTED: { description: 'not recorded: see reason' },
            } as const,
            { CHANGED: '已更新', UNCHANGED: '未变化', REJECTED: '已拒绝' },
          ),
        }),
        resolve: (i) => i.outcome,
      }),
      reason: t.string({ nullable: true, resolve: (i) => i.reason ?? null }),
    }),
  });
  const StatusReportRef = builder.objectRef<CameraStatusResult>('CameraStatusReport').implement({
    fields: (t) => ({
      changed: t.exposeInt('changed'),
      unchanged: t.exposeInt('unchanged'),
      rejected: t.exposeInt('rejected'),
      items: t.field({
        type: [StatusOutcomeRef],
        description: 'one per report, in input order',
        extensions: boundedList(MAX_STATUS_REPORTS),
        resolve: (r) => r.items,
      }),
    }),
  });
  const TARGET_TYPENAME = { EXCEEDANCE: 'Exceedance', PATROL: 'GridPatrol', CASE: 'EnforcementCase' } as const;

  builder.mutationFields((t) => ({
    createVideoSite: t.field({
      authScopes: { admin: true },
      type: VideoSiteRef,
      errors: { types: [ValidationError, NotFoundError, ConflictError] },
      args: { input: t.arg({ type: SiteInput, required: true }) },
      resolve: (_root, { input }, ctx) =>
        ctx.services.get(sourceServiceRef).video.createSite({ ...input, enterpriseUscc: input.enterpriseUscc ?? null, cellCode: input.cellCode ?? null }),
    }),
    createCamera: t.field({
      authScopes: { admin: true },
      type: CameraRef,
      errors: { types: [ValidationError, NotFoundError, ConflictError] },
      args: { input: t.arg({ type: CameraInput, required: true }) },
      resolve: (_root, { input }, ctx) =>
        ctx.services
          .get(sourceServiceRef)
          .video.createCamera({ code: input.code, siteCode: input.site, name: input.name, streamUrl: input.streamUrl, playUrl: input.playUrl ?? null }),
    }),
    setCameraPlayUrl: t.field({
      authScopes: { roles: ['admin', 'device'] },
      type: CameraRef,
      errors: { types: [ValidationError, NotFoundError, ForbiddenError] },
      description:
        'The video platform names the address a browser plays the camera from (null withdraws it); a device token only for the cameras it is bound to.',
      args: { code: t.arg.string({ required: true }), playUrl: t.arg.string({ required: false }) },
      resolve: (_root, args, ctx) => ctx.services.get(sourceServiceRef).video.setPlayUrl(args.code, args.playUrl ?? null, ctx.viewer),
    }),
    reportCameraStatus: t.field({
      authScopes: { roles: ['admin', 'device'] },
      type: StatusReportRef,
      errors: { types: [ValidationError] },
      description: `The video platform reports camera status (at most ${MAX_STATUS_REPORTS} at once); a change emits source.camera.wentOffline / cameOnline. A device token reports only the cameras it is bound to: each other report is refused on its own.`,
      args: { reports: t.arg({ type: [StatusInput], required: true }) },
      // a report whose code carries a NUL character is refused on its own (codes are checked by pattern)
      nulBytesCheckedPerItem: ['reports'],
      resolve: (_root, { reports }, ctx) =>
        ctx.services.get(sourceServiceRef).video.reportStatus(
          reports.map((r) => ({ code: r.code, status: r.status, at: r.at ?? null })),
          ctx.viewer,
        ),
    }),
    attachSnapshot: t.field({
      authScopes: { roles: [...STAFF] },
      type: SnapshotRef,
      errors: { types: [ValidationError, NotFoundError, ForbiddenError] },
      description: 'Attaches a camera snapshot as evidence to an exceedance, a patrol or a case.',
      args: { input: t.arg({ type: SnapshotInput, required: true }) },
      resolve: (_root, { input }, ctx) =>
        ctx.services.get(sourceServiceRef).video.attachSnapshot(ctx.viewer, {
          cameraId: idOf(input.camera, 'Camera', 'input.camera'),
          targetKind: input.target,
          targetId: idOf(input.targetId, TARGET_TYPENAME[input.target], 'input.targetId'),
          mediaId: input.mediaId ?? null,
          url: input.url ?? null,
          takenAt: input.takenAt,
        }),
    }),
  }));

  const EventRef = builder.objectRef<HubEvent<CameraStatusPayload>>('CameraStatusEvent').implement({
    fields: (t) => ({
      eventId: t.id({ description: 'outbox id: pass it as `since` after a reconnect', resolve: (e) => String(e.id) }),
      camera: t.field({ type: CameraRef, nullable: true, resolve: (e, _a, ctx) => cameraLoader(ctx).load(e.payload.cameraId) }),
      code: t.string({ resolve: (e) => e.payload.code }),
      siteCode: t.string({ resolve: (e) => e.payload.siteCode }),
      siteName: t.string({ resolve: (e) => e.payload.siteName }),
      status: t.field({ type: enums.ReportedCameraStatus, resolve: (e) => e.payload.status }),
      at: t.field({ type: 'DateTime', resolve: (e) => new Date(e.payload.at) }),
    }),
  });

  builder.subscriptionFields((t) => ({
    cameraStatusEvents: t.field({
      authScopes: { roles: [...STAFF] },
      type: EventRef,
      description: 'Cameras going offline and coming back, in the viewer’s cells. With `since`, every event after that id first.',
      args: { since: t.arg.id({ required: false }) },
      subscribe: (_root, args, ctx) =>
        subscribeEvents<CameraStatusPayload>(ctx, {
          topics: [...CAMERA_STATUS_TOPICS],
          since: parseSince(args.since),
          filter: (event) => enterpriseVisible(ctx.viewer, { uscc: event.payload.enterpriseUscc, cellCode: event.payload.cellCode }),
        }),
      resolve: (event) => event as HubEvent<CameraStatusPayload>,
    }),
  }));
  return { SnapshotRef };
}

export type VideoTypes = ReturnType<typeof registerVideoSchema>;
