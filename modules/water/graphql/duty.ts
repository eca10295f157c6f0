import { encodeGlobalID } from '@pothos/plugin-relay';
import type { HubBuilder } from '../../../src/graphql/builder';
import { dutyRefs } from '../../../src/monitoring/public';
import { waterServiceRef } from '../public';
import { MAX_DUTY_STATIONS } from '../service/duty';
import { boundedList } from '../../../src/graphql/cost/declare';

/** Drinking-water stations on the duty map. */
export function registerWaterDutyFields(builder: HubBuilder): void {
  const { summary: DutySummaryRef, map: DutyMapRef, point: DutyMapPointRef } = dutyRefs(builder);
  builder.objectFields(DutyMapRef, (t) => ({
    waterStations: t.field({
      type: [DutyMapPointRef],
      extensions: boundedList(MAX_DUTY_STATIONS),
      description: 'drinking-water stations: EXCEEDANCE while the source breaches its target class (two statements)',
      resolve: async (_root, _a, ctx) =>
        (await ctx.services.get(waterServiceRef).dutyPoints(ctx.viewer)).map((point) => ({ ...point, id: encodeGlobalID('WaterStation', point.id) })),
    }),
  }));
}
