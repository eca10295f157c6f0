import { encodeGlobalID } from '@pothos/plugin-relay';
import type { HubBuilder } from '../../../src/graphql/builder';
import { dutyRefs } from '../../../src/monitoring/public';
import { airServiceRef } from '../public';
import { MAX_DUTY_STATIONS } from '../service/duty';
import { boundedList } from '../../../src/graphql/cost/declare';

/** Air stations on the duty map. */
export function registerAirDutyFields(builder: HubBuilder): void {
  const { summary: DutySummaryRef, map: DutyMapRef, point: DutyMapPointRef } = dutyRefs(builder);
  builder.objectFields(DutyMapRef, (t) => ({
    airStations: t.field({
      type: [DutyMapPointRef],
      extensions: boundedList(MAX_DUTY_STATIONS),
      description: 'air stations: EXCEEDANCE while an air episode (AQI above 100) is open (two statements)',
      resolve: async (_root, _a, ctx) =>
        (await ctx.services.get(airServiceRef).dutyPoints(ctx.viewer)).map((point) => ({ ...point, id: encodeGlobalID('AirStation', point.id) })),
    }),
  }));
}
