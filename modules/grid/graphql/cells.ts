import type { HubBuilder } from '../../../src/graphql/builder';
import { NotFoundError, ValidationError } from '../../../src/errors';
import { pageOf } from '../../../src/graphql/pagination';
import { gridServiceRef } from '../public';
import type { GridEnums } from './enums';
import { idOf, orUndefined } from './ids';
import { ancestorsLoader, assistantsLoader, cellByCodeLoader, cellByIdLoader, childrenLoader, officersLoader } from './loaders';
import { GridCellRef, GridStaffRef } from './refs';
import { boundedList, limitArgument, limitedList, takeLimit } from '../../../src/graphql/cost/declare';
import { MAX_OFFICERS, MAX_RELATED } from '../service/cells';
import { GRID_LEVELS } from '../service/geojson';
import { loadNodes } from '../../../src/graphql/loaders';

/** The cell tree: public reading, administration by the district. */
/** A cell's children and assistants: unless asked, and at most. */
const RELATED_CELLS = { default: 50, max: MAX_RELATED } as const;

export function registerCellSchema(builder: HubBuilder, enums: GridEnums): void {
  builder.node(GridCellRef, {
    description: 'A grid cell: level 1 district area, level 2 town or street, level 3 village or community.',
    id: { resolve: (cell) => cell.id },
    loadMany: loadNodes(cellByIdLoader),
    isTypeOf: (value) => typeof value === 'object' && value !== null && 'code' in value && 'level' in value && 'parentCode' in value,
    fields: (t) => ({
      code: t.exposeString('code', { description: 'hierarchical: begins with the parent’s code' }),
      name: t.exposeString('name'),
      level: t.exposeInt('level'),
      parentCode: t.exposeString('parentCode', { nullable: true }),
      adminCode: t.exposeString('adminCode', {
        nullable: true,
        description:
          'the national 12-digit division code (统计用区划代码) of a town or village, by which province platforms name it; null for district areas and cells without one',
      }),
      parent: t.field({
        type: GridCellRef,
        nullable: true,
        resolve: (cell, _a, ctx) => (cell.parentCode ? cellByCodeLoader(ctx).load(cell.parentCode) : null),
      }),
      children: t.field({
        type: [GridCellRef],
        description: 'the cells one level down, in code order',
        args: { limit: t.arg.int(limitArgument(RELATED_CELLS)) },
        extensions: limitedList(RELATED_CELLS),
        resolve: async (cell, args, ctx) => takeLimit((await childrenLoader(ctx).load(cell.code)) ?? [], args.limit, RELATED_CELLS),
      }),
      ancestors: t.field({
        type: [GridCellRef],
        description: 'the cells above, from level 1 down to the parent',
        extensions: boundedList(GRID_LEVELS.length - 1),
        resolve: async (cell, _a, ctx) => (await ancestorsLoader(ctx).load(cell.code)) ?? [],
      }),
      boundary: t.field({ type: 'JSON', nullable: true, description: 'GeoJSON Polygon (WGS 84)', resolve: (cell) => cell.boundary }),
      centre: t.field({
        type: enums.GridPoint,
        nullable: true,
        resolve: (cell) => (cell.longitude !== null && cell.latitude !== null ? { longitude: cell.longitude, latitude: cell.latitude } : null),
      }),
      officers: t.field({
        type: [GridStaffRef],
        extensions: boundedList(MAX_OFFICERS),
        description: 'the officers responsible for the cell; staff only, empty for others (staff records are for staff)',
        resolve: async (cell, _a, ctx) => (await officersLoader(ctx).load(cell.code)) ?? [],
      }),
      assistants: t.field({
        type: [GridStaffRef],
        authScopes: { staff: true },
        unauthorizedResolver: () => [],
        description: 'active assistants answering for the cell (assigned to it or to a cell above); staff only, empty for others',
        args: { limit: t.arg.int(limitArgument(RELATED_CELLS)) },
        extensions: limitedList(RELATED_CELLS),
        resolve: async (cell, args, ctx) => takeLimit((await assistantsLoader(ctx).load(cell.code)) ?? [], args.limit, RELATED_CELLS),
      }),
    }),
  });

  // Upstream platforms join grid cells by their code.
  builder.asEntity(GridCellRef, {
    key: builder.selection<{ code: string }>('code'),
    resolveReference: (reference, ctx) => cellByCodeLoader(ctx).load(reference.code),
  });

  const CellFilter = builder.inputType('GridCellFilter', {
    fields: (t) => ({
      level: t.int({ required: false }),
      parentCode: t.string({ required: false }),
      under: t.string({ required: false, description: 'a cell and every cell under it' }),
      search: t.string({ required: false, description: 'part of the name or code' }),
    }),
  });

  builder.queryFields((t) => ({
    gridCell: t.field({
      type: GridCellRef,
      nullable: true,
      skipTypeScopes: true,
      description: 'One grid cell by code. Public.',
      args: { code: t.arg.string({ required: true }) },
      resolve: (_root, args, ctx) => (args.code.length <= 32 ? cellByCodeLoader(ctx).load(args.code) : null),
    }),
    gridCells: t.connection({
      type: GridCellRef,
      skipTypeScopes: true,
      description: 'Grid cells, filtered. Public.',
      args: { filter: t.arg({ type: CellFilter, required: false }) },
      resolve: async (_root, args, ctx) => {
        const filter = args.filter ?? {};
        if ((filter.search?.length ?? 0) > 100 || (filter.under?.length ?? 0) > 32)
          throw new ValidationError([{ path: 'filter', message: 'search at most 100 characters, codes at most 32' }]);
        const list = ctx.services.get(gridServiceRef).cells;
        const query = [
          {
            level: orUndefined(filter.level),
            parentCode: orUndefined(filter.parentCode),
            under: orUndefined(filter.under),
            search: orUndefined(filter.search),
          },
        ] as const;
        return pageOf(args, 'ascending', (window) => list.list(...query, window), { idOf: (cell) => cell.id, count: () => list.count(...query) });
      },
    }),
    gridGeoJson: t.field({
      type: 'JSON',
      skipTypeScopes: true,
      description:
        'One level of the grid as a GeoJSON FeatureCollection (WGS 84): each feature’s properties hold code, name, level and parent. Towns and areas without a boundary of their own are outlined from their villages. Also at GET /geo/grid.geojson?level=N. Public.',
      args: { level: t.arg.int({ required: true, description: '1 district areas, 2 towns and streets, 3 villages and communities' }) },
      resolve: (_root, args, ctx) => {
        if (!(GRID_LEVELS as readonly number[]).includes(args.level)) throw new ValidationError([{ path: 'level', message: 'must be 1, 2 or 3' }]);
        return ctx.services.get(gridServiceRef).geoJson(args.level);
      },
    }),
    locateGridCell: t.field({
      type: GridCellRef,
      nullable: true,
      skipTypeScopes: true,
      description: 'The level-3 cell whose boundary holds the point; null outside every boundary. Public.',
      args: { longitude: t.arg.float({ required: true }), latitude: t.arg.float({ required: true }) },
      resolve: (_root, args, ctx) => ctx.services.get(gridServiceRef).locate(args.longitude, args.latitude),
    }),
  }));

  const CellInput = builder.inputType('GridCellInput', {
    fields: (t) => ({
      code: t.string({ required: true, description: 'letters and digits; a child’s code extends its parent’s' }),
      name: t.string({ required: true }),
      parentCode: t.string({ required: false, description: 'none for a level-1 cell' }),
      adminCode: t.string({ required: false, description: 'the national 12-digit division code of a town or village; omitted: left as it is, null: removed' }),
      boundary: t.field({ type: 'JSON', required: false, description: 'GeoJSON Polygon, at most 16 rings and 5000 positions' }),
      longitude: t.float({ required: false }),
      latitude: t.float({ required: false }),
    }),
  });

  builder.mutationFields((t) => ({
    upsertGridCell: t.field({
      authScopes: { district: true },
      type: GridCellRef,
      description: 'Creates a cell, or updates its name, boundary and centre.',
      errors: { types: [ValidationError, NotFoundError] },
      args: { input: t.arg({ type: CellInput, required: true }) },
      resolve: (_root, { input }, ctx) =>
        ctx.services.get(gridServiceRef).cells.upsert({
          code: input.code,
          name: input.name,
          parentCode: input.parentCode ?? null,
          adminCode: input.adminCode,
          boundary: input.boundary ?? null,
          longitude: input.longitude ?? null,
          latitude: input.latitude ?? null,
        }),
    }),
    setGridCellOfficers: t.field({
      authScopes: { district: true },
      type: GridCellRef,
      description: 'Replaces the officers responsible for a cell (at most 10).',
      errors: { types: [ValidationError, NotFoundError] },
      args: { code: t.arg.string({ required: true }), officers: t.arg.globalIDList({ required: true }) },
      resolve: (_root, args, ctx) => {
        if (args.officers.length > 10) throw new ValidationError([{ path: 'officers', message: 'at most 10' }]);
        const ids = args.officers.map((id, index) => idOf(id, 'GridStaff', `officers.${index}`));
        return ctx.services.get(gridServiceRef).cells.setOfficers(args.code, ids);
      },
    }),
  }));
}
