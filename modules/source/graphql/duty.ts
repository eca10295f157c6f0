import { encodeGlobalID } from '@pothos/plugin-relay';
import type { HubBuilder } from '../../../src/graphql/builder';
import { dutyRefs } from '../../../src/monitoring/public';
import { sourceServiceRef } from '../public';
import { MAX_DUTY_POINTS, type SourcePoint } from '../service/duty';
import { boundedList } from '../../../src/graphql/cost/declare';

const asPoint = (typename: string) => (point: SourcePoint) => ({ ...point, id: encodeGlobalID(typename, point.id) });

/** Enterprises and video sites on the duty map; cameras online and offline on its panel. */
export function registerSourceDutyFields(builder: HubBuilder): void {
  const { summary: DutySummaryRef, map: DutyMapRef, point: DutyMapPointRef } = dutyRefs(builder);
  const CameraCountsRef = builder.objectRef<{ online: number; offline: number; unknown: number }>('DutyCameraCounts').implement({
    fields: (t) => ({
      online: t.exposeInt('online'),
      offline: t.exposeInt('offline'),
      unknown: t.exposeInt('unknown', { description: 'not reported by the video platform yet' }),
    }),
  });
  builder.objectFields(DutySummaryRef, (t) => ({
    cameras: t.field({
      type: CameraCountsRef,
      description: 'cameras at the sites the viewer sees, by status (one statement)',
      resolve: (_root, _a, ctx) => ctx.services.get(sourceServiceRef).duty.cameraCounts(ctx.viewer),
    }),
  }));
  builder.objectFields(DutyMapRef, (t) => ({
    enterprises: t.field({
      type: [DutyMapPointRef],
      extensions: boundedList(MAX_DUTY_POINTS),
      description: 'located enterprises (code: USCC), coloured by their outlets’ monitors (two statements)',
      resolve: async (_root, _a, ctx) => (await ctx.services.get(sourceServiceRef).duty.enterprisePoints(ctx.viewer)).map(asPoint('Enterprise')),
    }),
    videoSites: t.field({
      type: [DutyMapPointRef],
      extensions: boundedList(MAX_DUTY_POINTS),
      description: 'video sites: OFFLINE when every camera is (one statement)',
      resolve: async (_root, _a, ctx) => (await ctx.services.get(sourceServiceRef).duty.videoSitePoints(ctx.viewer)).map(asPoint('VideoSite')),
    }),
  }));
}
