import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { rowsOf } from '../../../src/db';
import { ConflictError, NotFoundError, ValidationError, type FieldProblem } from '../../../src/graphql/errors';
import type { ExceedanceEventPayload } from '../../../src/monitoring/public';
import { sampleRetained, type SampleRetainedPayload } from '../events';
import { sourceOutlets, sourceSamplerRetentions, sourceSamplers } from '../tables';
import { enterprisesByUscc } from './enterprises';
import { groupBy } from './outlets';
import type { Sampler, SamplerRetention, SourceDeps } from './types';

/** Automatic samplers hold 24 bottles as a rule; the carousel starts over after the last. */
export const DEFAULT_BOTTLES = 24;

export interface SamplerInput {
  enterpriseUscc: string;
  outletCode: string;
  code: string;
  bottles?: number | null;
}

function toRetention(row: typeof sourceSamplerRetentions.$inferSelect): SamplerRetention {
  return { id: row.id, samplerId: row.samplerId, exceedanceId: row.exceedanceId, bottleNumber: row.bottleNumber, retainedAt: row.retainedAt, factor: row.factor, value: row.value };
}

export async function createSampler(deps: SourceDeps, input: SamplerInput): Promise<Sampler> {
  const problems: FieldProblem[] = [];
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(input.code)) problems.push({ path: 'code', message: 'code must be 1-40 letters, digits, _ or -' });
  const bottles = input.bottles ?? DEFAULT_BOTTLES;
  if (!Number.isInteger(bottles) || bottles < 1 || bottles > 96) problems.push({ path: 'bottles', message: 'must be 1-96' });
  if (problems.length > 0) throw new ValidationError(problems);
  const [enterprise] = await enterprisesByUscc(deps, undefined, [input.enterpriseUscc]);
  if (!enterprise) throw new NotFoundError('Enterprise', input.enterpriseUscc);
  const [outlet] = await deps.db.orm
    .select()
    .from(sourceOutlets)
    .where(and(eq(sourceOutlets.enterpriseId, enterprise.id), eq(sourceOutlets.code, input.outletCode)));
  if (!outlet) throw new NotFoundError('Outlet', input.outletCode);
  if (outlet.kind !== 'WASTEWATER') throw new ValidationError([{ path: 'outletCode', message: 'samplers stand at wastewater outlets' }]);
  const [row] = await deps.db.orm.insert(sourceSamplers).values({ enterpriseId: enterprise.id, outletId: outlet.id, code: input.code, bottles }).onConflictDoNothing().returning();
  if (!row) throw new ConflictError(`sampler ${input.code} exists, or outlet ${input.outletCode} already has one`);
  return row;
}

/**
 * Records the sample the outlet's sampler retains when an exceedance episode at the outlet
 * reaches exceedance level. At most once per episode: the episode id is the retention's unique
 * key, so a redelivered event changes nothing. The bottle is the next in the carousel.
 *
 * Only real-time (RTD, MINUTE) episodes retain: the sampler bottles the water when the discharge
 * happens, and an hourly mean crossing the limit later is about water already bottled.
 */
export async function retainSample(deps: SourceDeps, episode: ExceedanceEventPayload): Promise<SamplerRetention | undefined> {
  if (episode.ownerModule !== 'source' || episode.ownerId === null || episode.severity !== 'EXCEEDANCE') return undefined;
  if (episode.interval !== 'RTD' && episode.interval !== 'MINUTE') return undefined;
  if (episode.monitorKind !== 'WASTEWATER_OUTLET' && episode.monitorKind !== 'HEAVY_METAL_ANALYSER') return undefined;
  const outletId = Number(episode.ownerId);
  if (!Number.isSafeInteger(outletId)) return undefined;
  const [sampler] = await deps.db.orm.select().from(sourceSamplers).where(eq(sourceSamplers.outletId, outletId));
  if (!sampler) return undefined;
  return deps.bus.transaction(async (tx, emit) => {
    // Serialises retentions per sampler so two episodes at once never take the same bottle.
    await tx.execute(sql`SELECT id FROM source_samplers WHERE id = ${sampler.id} FOR UPDATE`);
    const [count] = await rowsOf<{ n: number | string }>(tx, sql`SELECT count(*) AS n FROM source_sampler_retentions WHERE sampler_id = ${sampler.id}`);
    const bottleNumber = (Number(count?.n ?? 0) % sampler.bottles) + 1;
    const [row] = await tx
      .insert(sourceSamplerRetentions)
      .values({ samplerId: sampler.id, exceedanceId: episode.exceedanceId, bottleNumber, retainedAt: new Date(episode.at), factor: episode.factor, value: episode.value })
      .onConflictDoNothing({ target: sourceSamplerRetentions.exceedanceId })
      .returning();
    if (!row) return undefined;
    const payload: SampleRetainedPayload = {
      retentionId: row.id,
      samplerCode: sampler.code,
      enterpriseUscc: episode.enterpriseUscc ?? '',
      cellCode: episode.cellCode,
      exceedanceId: episode.exceedanceId,
      bottleNumber,
      retainedAt: row.retainedAt.toISOString(),
    };
    emit(sampleRetained, payload);
    return toRetention(row);
  });
}

export async function samplersOfEnterprises(deps: SourceDeps, enterpriseIds: readonly number[]): Promise<Sampler[][]> {
  if (enterpriseIds.length === 0) return [];
  const rows = await deps.db.orm.select().from(sourceSamplers).where(inArray(sourceSamplers.enterpriseId, [...enterpriseIds])).orderBy(asc(sourceSamplers.code));
  return groupBy(enterpriseIds, rows, (row) => row.enterpriseId);
}

/** The newest 50 retentions of each sampler: one statement. */
export async function retentionsOfSamplers(deps: SourceDeps, samplerIds: readonly number[]): Promise<SamplerRetention[][]> {
  if (samplerIds.length === 0) return [];
  const rows = await deps.db.orm
    .select()
    .from(sourceSamplerRetentions)
    .where(inArray(sourceSamplerRetentions.samplerId, [...samplerIds]))
    .orderBy(sql`${sourceSamplerRetentions.retainedAt} DESC`, sql`${sourceSamplerRetentions.id} DESC`);
  return groupBy(samplerIds, rows.map(toRetention), (row) => row.samplerId).map((list) => list.slice(0, 50));
}

/** The retention made for each episode, if any: the evidence field on an exceedance. */
export async function retentionsOfExceedances(deps: SourceDeps, exceedanceIds: readonly number[]): Promise<(SamplerRetention | undefined)[]> {
  if (exceedanceIds.length === 0) return [];
  const rows = await deps.db.orm.select().from(sourceSamplerRetentions).where(inArray(sourceSamplerRetentions.exceedanceId, [...exceedanceIds]));
  const byEpisode = new Map(rows.map((row) => [row.exceedanceId, toRetention(row)]));
  return exceedanceIds.map((id) => byEpisode.get(id));
}
