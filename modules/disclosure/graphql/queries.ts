import type { HubBuilder } from '../../../src/graphql/builder';
import { NotFoundError, ValidationError } from '../../../src/errors';
import { pageOf, type PageArgs } from '../../../src/graphql/pagination';
import { disclosureServiceRef } from '../public';
import { MAX_PUBLIC_PAGE, MAX_WATER_STATIONS } from '../service/disclosure-service';
import type { DisclosureTypes } from './types';
import { boundedList, limitArgument, limitedList, takeLimit, SERIES_STEPS } from '../../../src/graphql/cost/declare';
import { MAX_HOURS } from '../../air/public';

/** Air stations a public list shows unless asked, and at most (a district has tens). */
const STATIONS = { default: 100, max: 500 } as const;

/** Anyone may call these: no token, no root scope. */
const open = { skipTypeScopes: true, authScopes: { public: true } } as const;

/** The public lists page by less than the internal ones. */
function publicPage(args: PageArgs): PageArgs {
  if (args.first != null && args.first > MAX_PUBLIC_PAGE) throw new ValidationError([{ path: 'first', message: `at most ${MAX_PUBLIC_PAGE}` }]);
  return args;
}

export function registerDisclosureQueries(builder: HubBuilder, types: DisclosureTypes): void {
  builder.queryFields((t) => ({
    publicAirQuality: t.field({
      ...open,
      type: [types.StationAirRef],
      description: 'Every air station’s newest hourly AQI. Public.',
      args: { limit: t.arg.int(limitArgument(STATIONS)) },
      extensions: limitedList(STATIONS),
      resolve: async (_root, args, ctx) => takeLimit(await ctx.services.get(disclosureServiceRef).airQualityNow(), args.limit, STATIONS),
    }),
    publicAirQualityHistory: t.field({
      ...open,
      type: [types.AqiRef],
      description: 'A station’s hourly (at most 31 days) or daily (at most 366 days) AQI over [from, to). Public.',
      errors: { types: [ValidationError, NotFoundError], dataField: { extensions: boundedList(MAX_HOURS) } },
      // the result's `data` holds one value per hour or day of the range
      extensions: {
        cost: { listSize: { timeRange: { from: 'from', to: 'to', step: 'granularity', steps: SERIES_STEPS }, max: MAX_HOURS, sizedFields: ['data'] } },
      },
      args: {
        station: t.arg.string({ required: true, description: 'station code' }),
        from: t.arg({ type: 'DateTime', required: true }),
        to: t.arg({ type: 'DateTime', required: true }),
        granularity: t.arg({ type: types.GranularityEnum, required: false, defaultValue: 'HOUR' }),
      },
      resolve: (_root, args, ctx) =>
        ctx.services
          .get(disclosureServiceRef)
          .airQualityHistory({ stationCode: args.station, from: args.from, to: args.to, granularity: args.granularity ?? 'HOUR' }),
    }),
    publicWaterQuality: t.field({
      ...open,
      type: [types.WaterStationRef],
      extensions: boundedList(MAX_WATER_STATIONS),
      description: 'Each drinking-water source station’s newest daily (or hourly) class against its target. Public.',
      args: { granularity: t.arg({ type: types.GranularityEnum, required: false, defaultValue: 'DAY' }) },
      resolve: (_root, args, ctx) => ctx.services.get(disclosureServiceRef).waterQualityNow(args.granularity ?? 'DAY'),
    }),
    publicEnterpriseDisclosure: t.field({
      ...open,
      type: types.EnterpriseRef,
      nullable: true,
      description: 'A key enterprise’s disclosed monitoring data; null for any other enterprise. Public.',
      errors: { types: [ValidationError] },
      args: { uscc: t.arg.string({ required: true }) },
      resolve: async (_root, args, ctx) => (await ctx.services.get(disclosureServiceRef).enterpriseByUscc(args.uscc)) ?? null,
    }),
    publicEnterprises: t.connection({
      ...open,
      type: types.EnterpriseRef,
      description: `Key enterprises (state-, province- and city-controlled), at most ${MAX_PUBLIC_PAGE} a page. Public.`,
      resolve: async (_root, args, ctx) => {
        const disclosure = ctx.services.get(disclosureServiceRef);
        return pageOf(publicPage(args), 'ascending', (window) => disclosure.enterprises(window), {
          idOf: (e) => e.id,
          count: () => disclosure.countEnterprises(),
        });
      },
    }),
    publicEnforcementDecisions: t.connection({
      ...open,
      type: types.DecisionRef,
      description: `Published enforcement decisions, newest first, at most ${MAX_PUBLIC_PAGE} a page. Public.`,
      resolve: async (_root, args, ctx) => {
        const disclosure = ctx.services.get(disclosureServiceRef);
        return pageOf(publicPage(args), 'descending', (window) => disclosure.decisions(window), {
          idOf: (d) => d.caseId,
          count: () => disclosure.countDecisions(),
        });
      },
    }),
  }));
}
