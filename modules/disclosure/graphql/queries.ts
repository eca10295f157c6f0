import type { HubBuilder } from '../../../src/graphql/builder';
import { NotFoundError, ValidationError } from '../../../src/graphql/errors';
import { readPage, toConnection, type PageArgs } from '../../../src/graphql/pagination';
import { disclosureServiceRef } from '../public';
import { MAX_PUBLIC_PAGE } from '../service';
import type { DisclosureTypes } from './types';

/** Anyone may call these: no token, no root scope. */
const open = { skipTypeScopes: true, authScopes: { public: true } } as const;

function publicPage(args: PageArgs): { limit: number; after: number | undefined } {
  if (args.first != null && args.first > MAX_PUBLIC_PAGE) throw new ValidationError([{ path: 'first', message: `at most ${MAX_PUBLIC_PAGE}` }]);
  return readPage(args);
}

export function registerDisclosureQueries(builder: HubBuilder, types: DisclosureTypes): void {
  builder.queryFields((t) => ({
    publicAirQuality: t.field({
      ...open,
      type: [types.StationAirRef],
      description: 'Every air station’s newest hourly AQI. Public.',
      resolve: (_root, _args, ctx) => ctx.services.get(disclosureServiceRef).airQualityNow(),
    }),
    publicAirQualityHistory: t.field({
      ...open,
      type: [types.AqiRef],
      description: 'A station’s hourly (at most 31 days) or daily (at most 366 days) AQI over [from, to). Public.',
      errors: { types: [ValidationError, NotFoundError] },
      args: {
        station: t.arg.string({ required: true, description: 'station code' }),
        from: t.arg({ type: 'DateTime', required: true }),
        to: t.arg({ type: 'DateTime', required: true }),
        granularity: t.arg({ type: types.GranularityEnum, required: false, defaultValue: 'HOUR' }),
      },
      resolve: (_root, args, ctx) =>
        ctx.services.get(disclosureServiceRef).airQualityHistory({ stationCode: args.station, from: args.from, to: args.to, granularity: args.granularity ?? 'HOUR' }),
    }),
    publicWaterQuality: t.field({
      ...open,
      type: [types.WaterStationRef],
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
        const page = publicPage(args);
        const disclosure = ctx.services.get(disclosureServiceRef);
        const rows = await disclosure.enterprises({ limit: page.limit + 1, afterId: page.after });
        return toConnection(rows, page.limit, (e) => e.id, page.after !== undefined, () => disclosure.countEnterprises());
      },
    }),
    publicEnforcementDecisions: t.connection({
      ...open,
      type: types.DecisionRef,
      description: `Published enforcement decisions, newest first, at most ${MAX_PUBLIC_PAGE} a page. Public.`,
      resolve: async (_root, args, ctx) => {
        const page = publicPage(args);
        const disclosure = ctx.services.get(disclosureServiceRef);
        const rows = await disclosure.decisions({ limit: page.limit + 1, beforeId: page.after });
        return toConnection(rows, page.limit, (d) => d.caseId, page.after !== undefined, () => disclosure.countDecisions());
      },
    }),
  }));
}
