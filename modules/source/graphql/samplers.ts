import type { HubBuilder } from '../../../src/graphql/builder';
import { ConflictError, NotFoundError, ValidationError } from '../../../src/errors';
import { ExceedanceRef } from '../../../src/monitoring/public';
import { sourceServiceRef } from '../public';
import type { SourceEnums } from './enums';
import { idOf } from './ids';
import { retentionOfExceedanceLoader, retentionsLoader, sampleRetentionLoader } from './loaders';
import { SampleRetentionRef } from './refs';
import type { Sampler } from '../service/types';
import { limitArgument, limitedList, takeLimit } from '../../../src/graphql/cost/declare';
import { loadNodes } from '../../../src/graphql/loaders';

/** Water samplers at wastewater outlets, the samples they retain, and the 3015 that tells their logger. */
/** A sampler's retentions: the newest 10 unless asked, at most the 50 kept at hand. */
const RETENTIONS = { default: 10, max: 50 } as const;

export function registerSamplerSchema(builder: HubBuilder, enums: SourceEnums) {
  builder.node(SampleRetentionRef, {
    description: 'A water sample the outlet’s sampler retained for an exceedance episode, and the HJ 212 3015 sent to its data logger.',
    id: { resolve: (r) => r.id },
    loadMany: loadNodes(sampleRetentionLoader),
    isTypeOf: (value) => typeof value === 'object' && value !== null && 'bottleNumber' in value && 'commandStatus' in value,
    fields: (t) => ({
      bottleNumber: t.exposeInt('bottleNumber', { description: 'the bottle by the hub’s count of the carousel' }),
      retainedAt: t.field({ type: 'DateTime', resolve: (r) => r.retainedAt }),
      factor: t.exposeString('factor'),
      value: t.exposeFloat('value', { nullable: true, description: 'the value that opened the episode' }),
      exceedanceId: t.exposeInt('exceedanceId'),
      commandStatus: t.field({ type: enums.SampleCommandStatus, resolve: (r) => r.commandStatus }),
      commandAttempts: t.int({ description: 'how many times the 3015 was sent; 0 without a logger', resolve: (r) => r.commandAttempt }),
      deviceMn: t.exposeString('commandMn', { nullable: true, description: 'the data logger the last 3015 went to' }),
      commandQn: t.exposeString('commandQn', { nullable: true, description: 'the request id of the last 3015' }),
      qnRtn: t.exposeInt('qnRtn', { nullable: true, description: '9011: 1 ready, 2 refused, 3 bad PW, ... 100 unknown' }),
      exeRtn: t.exposeInt('exeRtn', { nullable: true, description: '9012: 1 ok, 2 failed, 3 bad condition, 4 timeout, 5 busy, 6 fault, 100 no data' }),
      deviceBottle: t.exposeInt('deviceBottle', { nullable: true, description: 'the bottle the device reported filling (VaseNo)' }),
      commandSentAt: t.field({ type: 'DateTime', nullable: true, resolve: (r) => r.commandSentAt }),
      commandAnsweredAt: t.field({ type: 'DateTime', nullable: true, resolve: (r) => r.commandAnsweredAt }),
    }),
  });

  const WaterSamplerRef = builder.objectRef<Sampler>('WaterSampler').implement({
    description: 'An automatic water sampler (留样器) at a wastewater outlet.',
    fields: (t) => ({
      code: t.exposeString('code'),
      bottles: t.exposeInt('bottles'),
      outletId: t.exposeInt('outletId'),
      deviceMn: t.exposeString('deviceMn', { nullable: true, description: 'MN of the HJ 212 data logger that drives it; a retention sends it 3015' }),
      retentions: t.field({
        type: [SampleRetentionRef],
        description: 'the newest 50',
        args: { limit: t.arg.int(limitArgument(RETENTIONS)) },
        extensions: limitedList(RETENTIONS),
        resolve: async (s, args, ctx) => takeLimit(await ((await retentionsLoader(ctx).load(s.id)) ?? []), args.limit, RETENTIONS),
      }),
    }),
  });

  builder.objectField(ExceedanceRef, 'sampleRetention', (t) =>
    t.field({
      type: SampleRetentionRef,
      nullable: true,
      description: 'the sample an enterprise’s sampler retained for this episode, if any',
      resolve: (e, _a, ctx) => retentionOfExceedanceLoader(ctx).load(e.id),
    }),
  );

  const SamplerInput = builder.inputType('CreateWaterSamplerInput', {
    fields: (t) => ({
      enterpriseUscc: t.string({ required: true }),
      outletCode: t.string({ required: true, description: 'a wastewater outlet of the enterprise' }),
      code: t.string({ required: true }),
      bottles: t.int({ required: false, description: 'bottles in the carousel, 1-96; default 24' }),
      deviceMn: t.string({
        required: false,
        description: 'MN of the enterprise’s data logger that drives the sampler, usually the outlet’s wastewater monitor',
      }),
    }),
  });

  const editors = { authScopes: { district: true } } as const;
  const errors = { types: [ValidationError, NotFoundError, ConflictError] };

  builder.mutationFields((t) => ({
    createWaterSampler: t.field({
      ...editors,
      type: WaterSamplerRef,
      errors,
      args: { input: t.arg({ type: SamplerInput, required: true }) },
      resolve: (_root, { input }, ctx) => ctx.services.get(sourceServiceRef).registry.createSampler(input),
    }),
    setWaterSamplerDevice: t.field({
      ...editors,
      type: WaterSamplerRef,
      errors,
      description: 'Names the data logger that drives a sampler (3015 goes to it), or with null forgets it.',
      args: { code: t.arg.string({ required: true }), deviceMn: t.arg.string({ required: false }) },
      resolve: (_root, { code, deviceMn }, ctx) => ctx.services.get(sourceServiceRef).registry.setSamplerDevice(code, deviceMn ?? null),
    }),
    resendSampleRetention: t.field({
      ...editors,
      type: SampleRetentionRef,
      errors,
      description: 'Sends the retention’s 3015 again to the sampler’s data logger (it was offline or did not answer) and waits for the outcome.',
      args: { id: t.arg.globalID({ required: true }) },
      resolve: (_root, { id }, ctx) => ctx.services.get(sourceServiceRef).samples.resendCommand(idOf(id, 'SampleRetention', 'id')),
    }),
  }));

  return { WaterSamplerRef };
}

export type SamplerTypes = ReturnType<typeof registerSamplerSchema>;
