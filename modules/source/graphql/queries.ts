import type { HubBuilder, HubTypes } from '../../../src/graphql/builder';
import { NotFoundError, ValidationError } from '../../../src/errors';
import { pageOf } from '../../../src/graphql/pagination';
import { sourceServiceRef } from '../public';
import { MAX_COMPLIANCE_DAYS, MAX_SUMMARY_DAYS, type ComplianceFigures, type ComplianceReport, type LevelSummary } from '../service/compliance';

type Figures = Omit<ComplianceFigures, 'worstValue' | 'worstAt'>;
import type { SourceEnums } from './enums';
import { orUndefined } from './ids';
import { enterpriseByUsccLoader, primeEnterpriseOutlets } from './loaders';
import { fieldsAt, selects } from '../../../src/graphql/selection';
import { monitoringServiceRef } from '../../../src/monitoring/public';
import { EnterpriseRef } from './refs';
import { boundedList } from '../../../src/graphql/cost/declare';
import { CONTROL_LEVELS } from '../service/types';
import type { EnterpriseColumn } from '../service/enterprises';

/** Everyone who reads enterprise files; row scope narrows what each sees. */
export const SOURCE_READERS = ['admin', 'district', 'town', 'assistant', 'enterprise', 'upstream'] as const;

/**
 * The columns of its own row each Enterprise field reads (the keys, `id`, `uscc` and
 * `controlLevel`, always come). A page reads only what its selection needs; a field not named
 * here (one another module adds, or one that reads the row whole) makes it read every column.
 */
const ENTERPRISE_FIELD_COLUMNS: Readonly<Record<string, readonly EnterpriseColumn[]>> = {
  __typename: [],
  id: [],
  uscc: [],
  controlLevel: [],
  name: ['name'],
  industry: ['industry'],
  address: ['address'],
  location: ['longitude', 'latitude'],
  cellCode: ['cellCode'],
  cell: ['cellCode'],
  status: ['status'],
  // relations read by the enterprise's keys
  exceedances: [],
  permits: [],
  outlets: [],
  facilities: [],
  hazardousWaste: [],
  riskSources: [],
  documents: [],
  inspections: [],
  cases: [],
  samplers: [],
};

/** The columns a page's selection needs; undefined (every column) when a field is not known to need only some. */
export function enterpriseColumnsFor(fields: ReadonlySet<string>): EnterpriseColumn[] | undefined {
  const columns = new Set<EnterpriseColumn>();
  for (const field of fields) {
    if (!Object.hasOwn(ENTERPRISE_FIELD_COLUMNS, field)) return undefined;
    for (const column of ENTERPRISE_FIELD_COLUMNS[field] as readonly EnterpriseColumn[]) columns.add(column);
  }
  return [...columns];
}

export function registerSourceQueries(builder: HubBuilder, enums: SourceEnums): void {
  const readers = { authScopes: { roles: [...SOURCE_READERS] } } as const;

  const EnterpriseFilter = builder.inputType('EnterpriseFilter', {
    fields: (t) => ({
      cell: t.string({ required: false, description: 'a grid cell and every cell under it' }),
      controlLevel: t.field({ type: enums.ControlLevel, required: false }),
      industry: t.string({ required: false }),
      search: t.string({ required: false, description: 'part of the name or the USCC' }),
    }),
  });

  const figures = <T extends Figures>(t: PothosSchemaTypes.ObjectFieldBuilder<HubTypes, T>) => ({
    expectedHours: t.int({ resolve: (r) => r.expectedHours }),
    validHours: t.int({ description: 'hours with a valid hourly value', resolve: (r) => r.validHours }),
    validDataRate: t.float({ nullable: true, description: 'valid hours / expected hours', resolve: (r) => r.validDataRate }),
    exceedanceHours: t.int({ description: 'valid hours whose mean broke the limit valid at that hour', resolve: (r) => r.exceedanceHours }),
    compliantHours: t.int({ resolve: (r) => r.compliantHours }),
    complianceRate: t.float({ nullable: true, description: '达标率: compliant valid hours / valid hours', resolve: (r) => r.complianceRate }),
  });

  const ReportRef = builder.objectRef<ComplianceReport>('OutletCompliance').implement({
    description: 'Compliance of one outlet factor over a period, judged on hourly means.',
    fields: (t) => ({
      ...figures(t),
      enterpriseUscc: t.exposeString('enterpriseUscc'),
      outletCode: t.exposeString('outletCode'),
      factor: t.exposeString('factor'),
      from: t.field({ type: 'DateTime', resolve: (r) => r.from }),
      to: t.field({ type: 'DateTime', resolve: (r) => r.to }),
      basis: t.field({ type: enums.LimitBasis, nullable: true, description: 'the basis of the limit judged; null without a limit', resolve: (r) => r.basis }),
      episodes: t.exposeInt('episodes', { description: 'exceedance episodes of hourly means opened in the period' }),
      worstValue: t.exposeFloat('worstValue', { nullable: true, description: 'the hourly mean furthest out against its limit' }),
      worstAt: t.field({ type: 'DateTime', nullable: true, resolve: (r) => r.worstAt }),
      source: t.exposeString('source', { description: '`continuous-aggregate`, `on-the-fly` or `raw` (converted values)' }),
    }),
  });

  const SummaryRef = builder.objectRef<LevelSummary>('ComplianceByControlLevel').implement({
    fields: (t) => ({
      ...figures(t),
      controlLevel: t.field({ type: enums.ControlLevel, resolve: (s) => s.controlLevel }),
      enterprises: t.exposeInt('enterprises'),
      seriesJudged: t.exposeInt('seriesJudged', { description: 'permit-limited outlet factors judged' }),
      episodes: t.exposeInt('episodes'),
    }),
  });

  builder.queryFields((t) => ({
    enterprise: t.field({
      ...readers,
      type: EnterpriseRef,
      nullable: true,
      description: 'One enterprise’s whole file by USCC; null when unknown or outside the viewer’s scope.',
      args: { uscc: t.arg.string({ required: true }) },
      resolve: (_root, args, ctx) => enterpriseByUsccLoader(ctx).load(args.uscc.slice(0, 18)),
    }),
    enterprises: t.connection({
      ...readers,
      type: EnterpriseRef,
      description: 'Enterprises the viewer sees, in registration order.',
      args: { filter: t.arg({ type: EnterpriseFilter, required: false }) },
      resolve: async (_root, args, ctx, info) => {
        const filter = args.filter ?? {};
        const list = ctx.services.get(sourceServiceRef).enterprises;
        const query = [
          ctx.viewer,
          {
            cellCode: orUndefined(filter.cell),
            controlLevel: orUndefined(filter.controlLevel),
            industry: orUndefined(filter.industry),
            search: orUndefined(filter.search),
          },
        ] as const;
        const withOutlets = selects(info, ['edges', 'node', 'outlets']);
        const columns = enterpriseColumnsFor(fieldsAt(info, ['edges', 'node']));
        const monitorColumns = withOutlets
          ? ctx.services.get(monitoringServiceRef).monitorColumnsFor(fieldsAt(info, ['edges', 'node', 'outlets', 'monitors']))
          : undefined;
        return pageOf(
          args,
          'ascending',
          async (window) => {
            if (!withOutlets) return list.list(...query, window, columns);
            // the outlets (with their links and monitors) are read in the page's own statement
            const files = await list.listWithOutlets(...query, window, columns, monitorColumns);
            for (const { enterprise, outlets } of files) primeEnterpriseOutlets(ctx, enterprise, outlets);
            return files.map((file) => file.enterprise);
          },
          { idOf: (e) => e.id, count: () => list.count(...query) },
        );
      },
    }),
    outletCompliance: t.field({
      ...readers,
      type: ReportRef,
      errors: { types: [ValidationError, NotFoundError] },
      description: `Valid-data rate, hours in exceedance, episodes, compliance rate and worst value of one outlet factor over [from, to) (at most ${MAX_COMPLIANCE_DAYS} days).`,
      args: {
        enterpriseUscc: t.arg.string({ required: true }),
        outletCode: t.arg.string({ required: true }),
        factor: t.arg.string({ required: true, description: 'HJ 212 factor code' }),
        from: t.arg({ type: 'DateTime', required: true }),
        to: t.arg({ type: 'DateTime', required: true }),
      },
      resolve: (_root, args, ctx) => ctx.services.get(sourceServiceRef).compliance.outlet(ctx.viewer, args),
    }),
    complianceSummary: t.field({
      authScopes: { roles: ['admin', 'district', 'town', 'upstream'] },
      type: [SummaryRef],
      errors: { types: [ValidationError], dataField: { extensions: boundedList(CONTROL_LEVELS.length) } },
      description: `The compliance of the enterprises the viewer sees, by control level, over [from, to) (at most ${MAX_SUMMARY_DAYS} days).`,
      args: { from: t.arg({ type: 'DateTime', required: true }), to: t.arg({ type: 'DateTime', required: true }) },
      resolve: (_root, args, ctx) => ctx.services.get(sourceServiceRef).compliance.summary(ctx.viewer, args),
    }),
  }));
}
