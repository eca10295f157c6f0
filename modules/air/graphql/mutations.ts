import type { HubBuilder } from '../../../src/graphql/builder';
import { ConflictError, ValidationError } from '../../../src/errors';
import { airServiceRef } from '../public';
import { AirStationRef } from './refs';
import type { AirTypes } from './types';

/** Station administration. */
export function registerAirMutations(builder: HubBuilder, types: AirTypes): void {
  const CreateAirStationInput = builder.inputType('CreateAirStationInput', {
    fields: (t) => ({
      code: t.string({ required: true, description: 'station code; a national one is four digits and A (1431A)' }),
      name: t.string({ required: true }),
      level: t.field({ type: types.AirStationLevelEnum, required: true }),
      longitude: t.float({ required: false }),
      latitude: t.float({ required: false }),
      cellCode: t.string({ required: false, description: 'the grid cell it stands in' }),
      mn: t.string({ required: false, description: 'HJ 212 MN of its data logger; `AIR` and the zero-padded code when absent' }),
      devicePassword: t.string({ required: true, description: 'the logger’s HJ 212 access password; stored hashed' }),
    }),
  });

  builder.mutationFields((t) => ({
    createAirStation: t.field({
      authScopes: { admin: true },
      type: AirStationRef,
      description: 'Registers a station and its logger (an AIR_STATION monitor reporting hourly).',
      errors: { types: [ValidationError, ConflictError] },
      args: { input: t.arg({ type: CreateAirStationInput, required: true }) },
      resolve: (_root, { input }, ctx) =>
        ctx.services.get(airServiceRef).createStation({
          code: input.code,
          name: input.name,
          level: input.level,
          longitude: input.longitude ?? null,
          latitude: input.latitude ?? null,
          cellCode: input.cellCode ?? null,
          mn: input.mn ?? null,
          devicePassword: input.devicePassword,
        }),
    }),
  }));
}
