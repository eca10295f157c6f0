import { idempotencyRef } from '../../../src/idempotency/store';
import type { HubBuilder } from '../../../src/graphql/builder';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../../src/errors';
import { pageOf } from '../../../src/graphql/pagination';
import { gridServiceRef } from '../public';
import { MAX_MEDIA_PER_PATROL } from '../service/patrols';
import type { GridMedia, GridPatrol } from '../service/types';
import type { MediaLinks } from '../service/media';
import type { HubContext } from '../../../src/graphql/context';
import type { GridEnums } from './enums';
import { idOf, orUndefined } from './ids';
import { cellByCodeLoader, patrolLoader, patrolMediaLoader, staffLoader, taskLoader } from './loaders';
import { GridCellRef, GridPatrolRef, GridStaffRef, GridTaskRef } from './refs';
import { boundedList } from '../../../src/graphql/cost/declare';
import { loadNodes } from '../../../src/graphql/loaders';

const STAFF = ['admin', 'district', 'town', 'assistant'] as const;

/** One signature per media object of a response, so `url`, `thumbnailUrl` and `urlExpiresAt` always agree. */
const links = new WeakMap<GridMedia, MediaLinks>();
function linkOf(media: GridMedia, ctx: HubContext): MediaLinks {
  let link = links.get(media);
  if (!link) {
    link = ctx.services.get(gridServiceRef).media.links(media);
    links.set(media, link);
  }
  return link;
}

/** Patrol records and the media attached to them. */
export function registerPatrolSchema(builder: HubBuilder, enums: GridEnums): void {
  const GridMediaRef = builder.objectRef<GridMedia>('GridMedia').implement({
    description:
      'A photo or video uploaded with POST /media or a resumable upload; `url` loads it without a token (an `<img>` or `<video>` src), `thumbnailUrl` a small JPEG of a photo for lists.',
    fields: (t) => ({
      id: t.exposeID('id'),
      url: t.string({
        description:
          'signed path of the file on this hub, valid until `urlExpiresAt` (MEDIA_URL_TTL_SECONDS) without an Authorization header; Range requests work, so a video seeks. `/media/<id>` with a Bearer token works too',
        resolve: (m, _a, ctx) => linkOf(m, ctx).url,
      }),
      thumbnailUrl: t.string({
        nullable: true,
        description:
          'signed path of a JPEG of the photo at most 320 px on its longest side, for lists on a phone; valid until `urlExpiresAt`, like `url`. Null for a video. Made on its first request; a photo that cannot be decoded answers 422 THUMBNAIL_FAILED there, and `url` still serves it',
        resolve: (m, _a, ctx) => linkOf(m, ctx).thumbnailUrl,
      }),
      urlExpiresAt: t.field({
        type: 'DateTime',
        description: 'when `url` and `thumbnailUrl` stop working: query again for fresh ones',
        resolve: (m, _a, ctx) => linkOf(m, ctx).expiresAt,
      }),
      contentType: t.exposeString('contentType', { description: 'from the file’s content, not its name' }),
      size: t.exposeInt('size'),
      sha256: t.exposeString('sha256'),
      fileName: t.exposeString('fileName', { nullable: true }),
      uploadedAt: t.field({ type: 'DateTime', resolve: (m) => m.uploadedAt }),
    }),
  });

  const ChecklistRef = builder.objectRef<GridPatrol>('GridPatrolChecklist').implement({
    description: 'What the assistant checks on site.',
    fields: (t) => ({
      productionStatus: t.field({ type: enums.ProductionStatus, resolve: (p) => p.productionStatus }),
      dischargeStatus: t.field({ type: enums.DischargeStatus, resolve: (p) => p.dischargeStatus }),
      treatmentFacility: t.field({ type: enums.FacilityStatus, resolve: (p) => p.treatmentFacility }),
      hazardousWaste: t.field({ type: enums.HazardousWasteStatus, resolve: (p) => p.hazardousWaste }),
      findings: t.string({ nullable: true, resolve: (p) => p.findings }),
    }),
  });

  builder.node(GridPatrolRef, {
    description: 'A patrol record: checklist, notes, position, time and media.',
    id: { resolve: (p) => p.id },
    loadMany: loadNodes(patrolLoader),
    isTypeOf: (value) => typeof value === 'object' && value !== null && 'patrolledAt' in value && 'authorSubject' in value,
    fields: (t) => ({
      task: t.field({ type: GridTaskRef, nullable: true, resolve: (p, _a, ctx) => (p.taskId !== null ? taskLoader(ctx).load(p.taskId) : null) }),
      cellCode: t.exposeString('cellCode'),
      cell: t.field({ type: GridCellRef, nullable: true, resolve: (p, _a, ctx) => cellByCodeLoader(ctx).load(p.cellCode) }),
      author: t.field({ type: GridStaffRef, nullable: true, resolve: (p, _a, ctx) => (p.staffId !== null ? staffLoader(ctx).load(p.staffId) : null) }),
      authorName: t.exposeString('authorName', { nullable: true }),
      patrolledAt: t.field({ type: 'DateTime', resolve: (p) => p.patrolledAt }),
      position: t.field({ type: enums.GridPoint, resolve: (p) => ({ longitude: p.longitude, latitude: p.latitude }) }),
      targetUscc: t.exposeString('targetUscc', { nullable: true }),
      checklist: t.field({ type: ChecklistRef, resolve: (p) => p }),
      notes: t.exposeString('notes', { nullable: true }),
      media: t.field({
        extensions: boundedList(MAX_MEDIA_PER_PATROL),
        type: [GridMediaRef],
        description: `at most ${MAX_MEDIA_PER_PATROL}`,
        resolve: async (p, _a, ctx) => (await patrolMediaLoader(ctx).load(p.id)) ?? [],
      }),
    }),
  });

  const PatrolFilter = builder.inputType('GridPatrolFilter', {
    fields: (t) => ({
      cellCode: t.string({ required: false, description: 'a cell and every cell under it' }),
      task: t.globalID({ required: false }),
      author: t.globalID({ required: false }),
      mine: t.boolean({ required: false }),
      from: t.field({ type: 'DateTime', required: false }),
      to: t.field({ type: 'DateTime', required: false }),
    }),
  });
  const ChecklistInput = builder.inputType('GridPatrolChecklistInput', {
    fields: (t) => ({
      productionStatus: t.field({ type: enums.ProductionStatus, required: true }),
      dischargeStatus: t.field({ type: enums.DischargeStatus, required: true }),
      treatmentFacility: t.field({ type: enums.FacilityStatus, required: true }),
      hazardousWaste: t.field({ type: enums.HazardousWasteStatus, required: true }),
      findings: t.string({ required: false }),
    }),
  });
  const PatrolInput = builder.inputType('GridPatrolInput', {
    fields: (t) => ({
      task: t.globalID({ required: false, description: 'the task this patrol works on (its cell is the patrol’s)' }),
      cellCode: t.string({ required: false, description: 'found from the position when not given' }),
      patrolledAt: t.field({ type: 'DateTime', required: true }),
      longitude: t.float({ required: true }),
      latitude: t.float({ required: true }),
      targetUscc: t.string({ required: false }),
      checklist: t.field({ type: ChecklistInput, required: true }),
      notes: t.string({ required: false }),
      media: t.idList({ required: false, description: `ids returned by POST /media (your own uploads, at most ${MAX_MEDIA_PER_PATROL})` }),
      idempotencyKey: t.string({
        required: false,
        description:
          'made once per patrol by the app (e.g. a UUID) and sent again with every retry: the same key returns the patrol first recorded and records nothing more',
      }),
    }),
  });

  builder.queryFields((t) => ({
    gridPatrols: t.connection({
      authScopes: { roles: [...STAFF] },
      type: GridPatrolRef,
      description: 'Patrols in the viewer’s grid, newest first.',
      args: { filter: t.arg({ type: PatrolFilter, required: false }) },
      resolve: async (_root, args, ctx) => {
        const filter = args.filter ?? {};
        if ((filter.cellCode?.length ?? 0) > 32) throw new ValidationError([{ path: 'filter.cellCode', message: 'at most 32 characters' }]);
        const list = ctx.services.get(gridServiceRef).patrols;
        const query = [
          ctx.viewer,
          {
            cellCode: orUndefined(filter.cellCode),
            taskId: filter.task ? idOf(filter.task, 'GridTask', 'filter.task') : undefined,
            staffId: filter.author ? idOf(filter.author, 'GridStaff', 'filter.author') : undefined,
            mine: orUndefined(filter.mine),
            from: orUndefined(filter.from),
            to: orUndefined(filter.to),
          },
        ] as const;
        return pageOf(args, 'descending', (window) => list.list(...query, window), { idOf: (p) => p.id, count: () => list.count(...query) });
      },
    }),
  }));

  builder.mutationFields((t) => ({
    recordGridPatrol: t.field({
      authScopes: { roles: [...STAFF] },
      type: GridPatrolRef,
      description: 'Records a patrol in the viewer’s grid and attaches their uploads to it.',
      errors: { types: [ValidationError, NotFoundError, ForbiddenError, ConflictError] },
      args: { input: t.arg({ type: PatrolInput, required: true }) },
      resolve: (_root, { input }, ctx) => {
        if ((input.media?.length ?? 0) > MAX_MEDIA_PER_PATROL) throw new ValidationError([{ path: 'input.media', message: `at most ${MAX_MEDIA_PER_PATROL}` }]);
        const grid = ctx.services.get(gridServiceRef);
        const patrol = {
          taskId: input.task ? idOf(input.task, 'GridTask', 'input.task') : null,
          cellCode: input.cellCode ?? null,
          patrolledAt: input.patrolledAt,
          longitude: input.longitude,
          latitude: input.latitude,
          targetUscc: input.targetUscc ?? null,
          productionStatus: input.checklist.productionStatus,
          dischargeStatus: input.checklist.dischargeStatus,
          treatmentFacility: input.checklist.treatmentFacility,
          hazardousWaste: input.checklist.hazardousWaste,
          findings: input.checklist.findings ?? null,
          notes: input.notes ?? null,
          mediaIds: (input.media ?? []).map(String),
        };
        return ctx.services.get(idempotencyRef).once(ctx.viewer, {
          operation: 'recordGridPatrol',
          key: input.idempotencyKey,
          input: patrol,
          run: () => grid.patrols.record(ctx.viewer, patrol),
          save: (recorded) => recorded.id,
          load: async (id) => {
            const [recorded] = await grid.patrols.byIds(ctx.viewer, [id]);
            if (!recorded) throw new NotFoundError('GridPatrol', String(id));
            return recorded;
          },
        });
      },
    }),
  }));
}
