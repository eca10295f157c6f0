import type { HubBuilder } from '../../../src/graphql/builder';
import type { HubContext } from '../../../src/graphql/context';
import { limitArgument, limitedList, takeLimit } from '../../../src/graphql/cost/declare';
import { ValidationError } from '../../../src/errors';
import { defineLoader } from '../../../src/graphql/loaders';
import { zhValues } from '../../../src/graphql/zh';
import { monitoringServiceRef, type AmountPeriod, type EmissionTotal } from '../../../src/monitoring/public';
import type { Outlet } from '../service/types';
import { EnterpriseRef } from './refs';
import { outletMonitorsLoader, outletsLoader } from './loaders';
import type { EnterpriseRecordTypes } from './types';

/** Days of a year, or months of ten years: what one emissionTotals field may list. */
const TOTALS = { default: 31, max: 366 } as const;

type TotalsArgs = { factor: string; period: AmountPeriod; from: Date; to: Date; limit: number };

/**
 * Totals of many outlets or enterprises asked with the same arguments: one statement. Keys are
 * the arguments and the owner (`outlet:12`) with its monitors, as JSON.
 */
const totalsLoader = defineLoader<string, EmissionTotal[]>(async (ctx, keys) => {
  const byArgs = new Map<string, { args: TotalsArgs; groups: { key: string; monitorIds: number[] }[] }>();
  for (const key of keys) {
    const { args, owner, monitorIds } = JSON.parse(key) as { args: TotalsArgs & { from: string; to: string }; owner: string; monitorIds: number[] };
    const argsKey = JSON.stringify(args);
    let entry = byArgs.get(argsKey);
    if (!entry) byArgs.set(argsKey, (entry = { args: { ...args, from: new Date(args.from), to: new Date(args.to) }, groups: [] }));
    entry.groups.push({ key, monitorIds });
  }
  const found = new Map<string, EmissionTotal[]>();
  await Promise.all(
    [...byArgs.values()].map(async ({ args, groups }) => {
      const totals = await ctx.services.get(monitoringServiceRef).emissionTotals({ ...args, groups });
      for (const [key, list] of totals) found.set(key, list);
    }),
  );
  return keys.map((key) => found.get(key) ?? []);
});

async function outletMonitorIds(ctx: HubContext, outletIds: readonly number[]): Promise<number[]> {
  const lists = await outletMonitorsLoader(ctx).loadMany(outletIds);
  return [...new Set(lists.flatMap((list) => (Array.isArray(list) ? list.map((m) => m.monitorId) : [])))].sort((a, b) => a - b);
}

/** Emission totals (排放量) from the -Cou of hourly and daily uploads, on outlets and enterprises. */
export function registerEmissionTotals(builder: HubBuilder, { OutletRef }: Pick<EnterpriseRecordTypes, 'OutletRef'>): void {
  const PeriodEnum = builder.enumType('EmissionPeriod', { values: zhValues(['DAY', 'MONTH'] as const, { DAY: '日', MONTH: '月' }) });
  const TotalRef = builder.objectRef<EmissionTotal>('EmissionTotal').implement({
    description: 'The amount of one factor discharged in one day or month (HJ 212 -Cou summed).',
    fields: (t) => ({
      start: t.field({ type: 'DateTime', description: 'Asia/Shanghai midnight of the day, or of the month’s first day', resolve: (x) => x.start }),
      factor: t.exposeString('factor'),
      amount: t.exposeFloat('amount'),
      unit: t.exposeString('unit', { nullable: true, description: 'from the factor catalogue (Factor.amountUnit): m3 for flows, kg or g for pollutants' }),
      days: t.exposeInt('days', {
        description: 'monitor-days that reported an amount: a day of one monitor counts its daily -Cou, or its hours’ when it sent no daily one',
      }),
    }),
  });

  const resolveTotals = async (
    ctx: HubContext,
    owner: string,
    monitorIds: number[],
    args: { factor: string; period: AmountPeriod; from: Date; to: Date; limit?: number | null },
  ) => {
    if (!(args.to > args.from)) throw new ValidationError([{ path: 'to', message: 'to must be after from' }]);
    const limit = args.limit ?? TOTALS.default;
    takeLimit([], limit, TOTALS);
    if (monitorIds.length === 0) return [];
    const key = JSON.stringify({
      args: { factor: args.factor, period: args.period, from: args.from.toISOString(), to: args.to.toISOString(), limit },
      owner,
      monitorIds,
    });
    return (await totalsLoader(ctx).load(key)) ?? [];
  };

  builder.objectField(OutletRef, 'emissionTotals', (t) =>
    t.field({
      type: [TotalRef],
      description: 'what the outlet discharged per day or month (its monitors’ -Cou), periods starting in [from, to), earliest first',
      args: {
        factor: t.arg.string({ required: true, description: 'HJ 212-2017 factor code, e.g. w01018 (COD) or w00000 (flow)' }),
        period: t.arg({ type: PeriodEnum, required: true }),
        from: t.arg({ type: 'DateTime', required: true }),
        to: t.arg({ type: 'DateTime', required: true }),
        limit: t.arg.int(limitArgument(TOTALS)),
      },
      extensions: limitedList(TOTALS),
      resolve: async (o: Outlet, args, ctx) => resolveTotals(ctx, `outlet:${o.id}`, await outletMonitorIds(ctx, [o.id]), args),
    }),
  );

  builder.objectField(EnterpriseRef, 'emissionTotals', (t) =>
    t.field({
      type: [TotalRef],
      description: 'what the enterprise discharged per day or month over all its outlets, periods starting in [from, to), earliest first',
      args: {
        factor: t.arg.string({ required: true, description: 'HJ 212-2017 factor code, e.g. w01018 (COD) or w00000 (flow)' }),
        period: t.arg({ type: PeriodEnum, required: true }),
        from: t.arg({ type: 'DateTime', required: true }),
        to: t.arg({ type: 'DateTime', required: true }),
        limit: t.arg.int(limitArgument(TOTALS)),
      },
      extensions: limitedList(TOTALS),
      resolve: async (e, args, ctx) => {
        const outlets = (await outletsLoader(ctx).load(e.id)) ?? [];
        return resolveTotals(
          ctx,
          `enterprise:${e.id}`,
          await outletMonitorIds(
            ctx,
            outlets.map((o) => o.id),
          ),
          args,
        );
      },
    }),
  );
}
