import type { HubBuilder } from '../../../src/graphql/builder';
import { ConflictError, NotFoundError, ValidationError } from '../../../src/errors';
import { waterServiceRef } from '../public';
import { DEFAULT_STATION_INTERVAL_SECONDS, MAX_STATIONS_PER_SOURCE } from '../service/registry';
import { WaterSourceRef, WaterStationRef } from './refs';
import type { WaterTypes } from './types';

/** Registering sources and stations: administrators only. */
export function registerWaterMutations(builder: HubBuilder, types: WaterTypes): void {
  const SourceInput = builder.inputType('CreateWaterSourceInput', {
    fields: (t) => ({
      code: t.string({ required: true }),
      name: t.string({ required: true }),
      waterbody: t.field({ type: types.WaterbodyEnum, required: true }),
      protectionZone: t.field({ type: types.ProtectionZoneEnum, required: false, description: 'FIRST -> target II, SECOND -> target III' }),
      targetClass: t.field({ type: types.WaterClassEnum, required: false, description: 'set explicitly; overrides the zone’s class' }),
    }),
  });
  const StationInput = builder.inputType('CreateWaterStationInput', {
    fields: (t) => ({
      code: t.string({ required: true, description: 'station code' }),
      name: t.string({ required: true }),
      source: t.string({ required: true, description: `source code (a source has at most ${MAX_STATIONS_PER_SOURCE} stations)` }),
      cellCode: t.string({ required: true, description: 'grid cell' }),
      longitude: t.float({ required: false }),
      latitude: t.float({ required: false }),
      mn: t.string({ required: true, description: 'HJ 212 MN of the analyser; registered with the monitoring core' }),
      devicePassword: t.string({ required: true, description: 'HJ 212 PW; stored hashed' }),
      intervalSeconds: t.int({ required: false, description: `reporting interval; default ${DEFAULT_STATION_INTERVAL_SECONDS} (hourly data)` }),
    }),
  });

  builder.mutationFields((t) => ({
    createWaterSource: t.field({
      authScopes: { admin: true },
      type: WaterSourceRef,
      errors: { types: [ValidationError, ConflictError] },
      args: { input: t.arg({ type: SourceInput, required: true }) },
      resolve: (_root, { input }, ctx) =>
        ctx.services.get(waterServiceRef).createWaterSource({
          code: input.code,
          name: input.name,
          waterbody: input.waterbody,
          protectionZone: input.protectionZone ?? null,
          targetClass: input.targetClass ?? null,
        }),
    }),
    createWaterStation: t.field({
      authScopes: { admin: true },
      type: WaterStationRef,
      errors: { types: [ValidationError, NotFoundError, ConflictError] },
      args: { input: t.arg({ type: StationInput, required: true }) },
      resolve: (_root, { input }, ctx) =>
        ctx.services.get(waterServiceRef).createWaterStation({
          code: input.code,
          name: input.name,
          sourceCode: input.source,
          cellCode: input.cellCode,
          longitude: input.longitude ?? null,
          latitude: input.latitude ?? null,
          mn: input.mn,
          devicePassword: input.devicePassword,
          intervalSeconds: input.intervalSeconds ?? null,
        }),
    }),
  }));
}
