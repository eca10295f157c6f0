import type { HubBuilder } from '../../../src/graphql/builder';
import { ForbiddenError } from '../../../src/errors';
import { gridServiceRef } from '../public';
import { MAX_COVERAGE_ROWS, type CoverageGap, type CoverageReport } from '../service/coverage';
import { GridCellRef, GridStaffRef } from './refs';
import { boundedList } from '../../../src/graphql/cost/declare';

/** The "no blind spots" report. */
export function registerCoverageSchema(builder: HubBuilder): void {
  const GapRef = builder.objectRef<CoverageGap>('GridCoverageGap').implement({
    description: 'An entity of some module that lies in no level-3 cell.',
    fields: (t) => ({
      kind: t.exposeString('kind', { description: 'the registering module’s kind: `monitor`, `source`, ...' }),
      id: t.exposeString('id', { description: 'its key in that module (a monitor’s MN, an enterprise’s USCC)' }),
      name: t.exposeString('name'),
      cellCode: t.exposeString('cellCode', { nullable: true, description: 'the cell it names, when that is not a level-3 cell' }),
    }),
  });
  const CoverageRef = builder.objectRef<CoverageReport>('GridCoverage').implement({
    description: `Where the grid has gaps. Each list holds at most ${MAX_COVERAGE_ROWS} entries; the counts are exact.`,
    fields: (t) => ({
      complete: t.boolean({
        description: 'no gap of any kind',
        resolve: (r) => r.cellsWithoutAssistantCount + r.assistantsWithoutCellCount + r.entitiesWithoutCellCount === 0,
      }),
      cellsWithoutAssistant: t.field({
        extensions: boundedList(MAX_COVERAGE_ROWS),
        type: [GridCellRef],
        description: 'level-3 cells no active assistant answers for',
        resolve: (r) => r.cellsWithoutAssistant,
      }),
      cellsWithoutAssistantCount: t.exposeInt('cellsWithoutAssistantCount'),
      assistantsWithoutCell: t.field({
        extensions: boundedList(MAX_COVERAGE_ROWS),
        type: [GridStaffRef],
        description: 'active assistants with no current assignment',
        resolve: (r) => r.assistantsWithoutCell,
      }),
      assistantsWithoutCellCount: t.exposeInt('assistantsWithoutCellCount'),
      entitiesWithoutCell: t.field({
        extensions: boundedList(MAX_COVERAGE_ROWS),
        type: [GapRef],
        description: 'monitors, sources and other entities in no level-3 cell',
        resolve: (r) => r.entitiesWithoutCell,
      }),
      entitiesWithoutCellCount: t.exposeInt('entitiesWithoutCellCount'),
    }),
  });
  builder.queryFields((t) => ({
    gridCoverage: t.field({
      authScopes: { roles: ['admin', 'district', 'town'] },
      type: CoverageRef,
      description: 'Coverage gaps in the viewer’s grid (a town officer: their town).',
      errors: { types: [ForbiddenError] },
      resolve: (_root, _args, ctx) => ctx.services.get(gridServiceRef).coverage(ctx.viewer),
    }),
  }));
}
