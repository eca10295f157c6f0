import { idempotencyRef } from '../../idempotency/store';
import type { HubBuilder } from '../../graphql/builder';
import { ConflictError, NotFoundError, ValidationError } from '../../errors';
import { idOf } from '../../graphql/ids';
import type { IngestResult } from '../ingest';
import { monitoringServiceRef } from '../public';
import type { MonitoringTypes } from './types';
import { ExceedanceRef, MonitorRef } from './refs';
import { boundedList } from '../../graphql/cost/declare';
import { zhValues } from '../../graphql/zh';

/** Ingest for devices and integrations; monitor and limit administration; acknowledgement. */
export function registerMonitoringMutations(builder: HubBuilder, types: MonitoringTypes): void {
  const ReadingInput = builder.inputType('ReadingInput', {
    fields: (t) => ({
      mn: t.string({ required: true, description: 'HJ 212 MN of the monitor' }),
      factor: t.string({ required: true, description: 'HJ 212 factor code (2017 or 2005; unknown codes are kept)' }),
      interval: t.field({ type: types.ReadingIntervalEnum, required: true }),
      time: t.field({ type: 'DateTime', required: true, description: 'measurement time, or the start of the period' }),
      value: t.float({ required: false }),
      converted: t.float({ required: false, description: 'value at reference O2 (HJ 212 -Zs)' }),
      flag: t.string({ required: false, description: 'HJ 212 data flag (N, F, M, S, D, C, T, B)' }),
      min: t.float({ required: false, description: 'minute, hour and day values: the period’s minimum (HJ 212 -Min)' }),
      max: t.float({ required: false, description: 'the period’s maximum (HJ 212 -Max)' }),
      cou: t.float({ required: false, description: 'the period’s cumulative flow or emission amount (HJ 212 -Cou)' }),
    }),
  });
  const IngestItemRef = builder.objectRef<IngestResult['items'][number]>('IngestItemOutcome').implement({
    fields: (t) => ({
      index: t.exposeInt('index'),
      outcome: t.field({
        type: builder.enumType('IngestOutcome', {
          values: zhValues(['ACCEPTED', 'DUPLICATE', 'REJECTED'] as const, { ACCEPTED: '已接收', DUPLICATE: '重复', REJECTED: '拒收' }),
        }),
        resolve: (i) => i.outcome,
      }),
      reason: t.string({ nullable: true, resolve: (i) => i.reason ?? null }),
    }),
  });
  const IngestResultRef = builder.objectRef<IngestResult>('IngestReport').implement({
    fields: (t) => ({
      accepted: t.exposeInt('accepted'),
      duplicates: t.exposeInt('duplicates', { description: 'already stored (a retransmission) or repeated in the batch' }),
      rejected: t.exposeInt('rejected'),
      episodesOpened: t.exposeInt('opened'),
      items: t.field({ extensions: boundedList(5000, { computed: true }), type: [IngestItemRef], resolve: (r) => r.items }),
    }),
  });

  const CreateMonitorInput = builder.inputType('CreateMonitorInput', {
    fields: (t) => ({
      mn: t.string({ required: true }),
      password: t.string({ required: true, description: 'HJ 212 PW; stored hashed' }),
      name: t.string({ required: true }),
      kind: t.field({ type: types.MonitorKindEnum, required: true }),
      ownerModule: t.string({ required: false }),
      ownerId: t.string({ required: false }),
      enterpriseUscc: t.string({ required: false }),
      cellCode: t.string({ required: false }),
      longitude: t.float({ required: false }),
      latitude: t.float({ required: false }),
      intervalSeconds: t.int({ required: true }),
    }),
  });
  const UpdateMonitorInput = builder.inputType('UpdateMonitorInput', {
    fields: (t) => ({
      password: t.string({ required: false }),
      name: t.string({ required: false }),
      kind: t.field({ type: types.MonitorKindEnum, required: false }),
      enterpriseUscc: t.string({ required: false }),
      cellCode: t.string({ required: false }),
      longitude: t.float({ required: false }),
      latitude: t.float({ required: false }),
      intervalSeconds: t.int({ required: false }),
    }),
  });
  const SetLimitInput = builder.inputType('SetLimitInput', {
    fields: (t) => ({
      monitor: t.globalID({ required: false, description: 'the monitor’s own limit; or give monitorKind' }),
      monitorKind: t.field({ type: types.MonitorKindEnum, required: false, description: 'default for every monitor of this kind' }),
      factor: t.string({ required: true }),
      period: t.field({ type: types.ReadingIntervalEnum, required: true }),
      basis: t.field({ type: types.LimitBasisEnum, required: false }),
      upper: t.float({ required: false }),
      lower: t.float({ required: false }),
      warningRatio: t.float({ required: false, description: 'warning at this share of the upper limit; default 0.8' }),
      standard: t.string({ required: false, description: 'e.g. GB 8978-1996 table 4 grade 1' }),
      validFrom: t.field({ type: 'DateTime', required: true }),
    }),
  });

  builder.mutationFields((t) => ({
    ingestReadings: t.field({
      authScopes: { roles: ['device', 'admin'] },
      type: IngestResultRef,
      description: 'Stores a batch of readings once each (a resent value changes nothing) and evaluates them.',
      errors: { types: [ValidationError, ConflictError] },
      args: {
        readings: t.arg({ type: [ReadingInput], required: true }),
        idempotencyKey: t.arg.string({
          required: false,
          description:
            'sent again with a retried batch: the same key returns the first answer (stored readings are unique anyway; this returns the same per-item outcomes)',
        }),
      },
      // an item with a NUL character is refused on its own (its MN, factor and flag are checked by pattern)
      nulBytesCheckedPerItem: ['readings'],
      resolve: (_root, args, ctx) => {
        const readings = args.readings.map((r) => ({
          mn: r.mn,
          factor: r.factor,
          interval: r.interval,
          time: r.time,
          value: r.value ?? null,
          converted: r.converted ?? null,
          flag: r.flag ?? null,
          min: r.min ?? null,
          max: r.max ?? null,
          cou: r.cou ?? null,
        }));
        return ctx.services.get(idempotencyRef).once(ctx.viewer, {
          operation: 'ingestReadings',
          key: args.idempotencyKey,
          input: readings,
          run: () => ctx.services.get(monitoringServiceRef).ingest(readings, ctx.viewer),
          save: (outcome) => outcome,
          load: async (outcome) => outcome,
        });
      },
    }),
    createMonitor: t.field({
      authScopes: { admin: true },
      type: MonitorRef,
      errors: { types: [ValidationError] },
      args: { input: t.arg({ type: CreateMonitorInput, required: true }) },
      resolve: (_root, { input }, ctx) =>
        ctx.services.get(monitoringServiceRef).createMonitor({
          mn: input.mn,
          password: input.password,
          name: input.name,
          kind: input.kind,
          ownerModule: input.ownerModule ?? null,
          ownerId: input.ownerId ?? null,
          enterpriseUscc: input.enterpriseUscc ?? null,
          cellCode: input.cellCode ?? null,
          longitude: input.longitude ?? null,
          latitude: input.latitude ?? null,
          intervalSeconds: input.intervalSeconds,
        }),
    }),
    updateMonitor: t.field({
      authScopes: { admin: true },
      type: MonitorRef,
      errors: { types: [ValidationError, NotFoundError] },
      args: { id: t.arg.globalID({ required: true }), input: t.arg({ type: UpdateMonitorInput, required: true }) },
      resolve: (_root, { id, input }, ctx) => {
        const patch: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(input)) if (value !== undefined && value !== null) patch[key] = value;
        return ctx.services.get(monitoringServiceRef).updateMonitor(idOf(id, 'Monitor', 'id'), patch);
      },
    }),
    setLimit: t.field({
      authScopes: { admin: true },
      type: types.LimitRef,
      description: 'Sets a limit from validFrom on; the limit in force before is kept for the readings it judged.',
      errors: { types: [ValidationError, NotFoundError] },
      args: { input: t.arg({ type: SetLimitInput, required: true }) },
      resolve: (_root, { input }, ctx) =>
        ctx.services.get(monitoringServiceRef).setLimit({
          monitorId: input.monitor ? idOf(input.monitor, 'Monitor', 'input.monitor') : null,
          monitorKind: input.monitorKind ?? null,
          factor: input.factor,
          period: input.period,
          basis: input.basis ?? 'RAW',
          upper: input.upper ?? null,
          lower: input.lower ?? null,
          warningRatio: input.warningRatio ?? 0.8,
          standard: input.standard ?? null,
          validFrom: input.validFrom,
        }),
    }),
    acknowledgeExceedance: t.field({
      authScopes: { staff: true },
      type: ExceedanceRef,
      errors: { types: [ValidationError, NotFoundError, ConflictError] },
      args: { id: t.arg.globalID({ required: true }), note: t.arg.string({ required: false }) },
      resolve: (_root, { id, note }, ctx) =>
        ctx.services.get(monitoringServiceRef).acknowledgeExceedance(ctx.viewer, idOf(id, 'Exceedance', 'id'), note ?? undefined),
    }),
  }));
}
