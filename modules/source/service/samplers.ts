import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { rowsOf } from '../../../src/db';
import { ConflictError, NotFoundError, ValidationError, type FieldProblem } from '../../../src/errors';
import type { Viewer } from '../../../src/auth/viewer';
import { monitoringServiceRef, type ExceedanceEventPayload } from '../../../src/monitoring/public';
import { sampleRetained, type SampleRetainedPayload } from '../events';
import { sourceEnterprises, sourceOutlets, sourceSamplerRetentions, sourceSamplers } from '../tables';
import { checkEnterpriseUscc, enterprisesByUscc } from './enterprises';
import { groupBy } from './outlets';
import { enterpriseScope } from './scope';
import type { SampleCommandStatus, Sampler, SamplerRetention, SourceDeps } from './types';
import { MONITOR_MN } from '../../../src/validation';

/** Automatic samplers hold 24 bottles as a rule; the carousel starts over after the last. */
export const DEFAULT_BOTTLES = 24;

export interface SamplerInput {
  enterpriseUscc: string;
  outletCode: string;
  code: string;
  bottles?: number | null;
  /** MN of the HJ 212 data logger that drives the sampler: a registered monitor */
  deviceMn?: string | null;
}

export function toRetention(row: typeof sourceSamplerRetentions.$inferSelect): SamplerRetention {
  return { ...row, commandStatus: row.commandStatus as SampleCommandStatus };
}

/**
 * The logger named for a sampler must be registered with the monitoring core and be one of the
 * enterprise's own devices: a 3015 sent to another enterprise's logger would retain nothing here.
 */
async function checkDeviceMn(deps: SourceDeps, deviceMn: string, enterpriseUscc: string): Promise<void> {
  const monitor = await deps.services.get(monitoringServiceRef).monitorByMn(deviceMn);
  if (!monitor) throw new ValidationError([{ path: 'deviceMn', message: `no monitor ${deviceMn} is registered` }]);
  if (monitor.enterpriseUscc !== enterpriseUscc)
    throw new ValidationError([{ path: 'deviceMn', message: `monitor ${deviceMn} is not one of this enterprise's` }]);
}

export async function createSampler(deps: SourceDeps, input: SamplerInput): Promise<Sampler> {
  const problems: FieldProblem[] = [];
  checkEnterpriseUscc(problems, 'enterpriseUscc', input.enterpriseUscc);
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(input.code)) problems.push({ path: 'code', message: 'code must be 1-40 letters, digits, _ or -' });
  const bottles = input.bottles ?? DEFAULT_BOTTLES;
  if (!Number.isInteger(bottles) || bottles < 1 || bottles > 96) problems.push({ path: 'bottles', message: 'must be 1-96' });
  if (input.deviceMn != null && !MONITOR_MN.test(input.deviceMn)) problems.push({ path: 'deviceMn', message: 'MN must be 1-32 letters, digits, _ or -' });
  if (problems.length > 0) throw new ValidationError(problems);
  const [enterprise] = await enterprisesByUscc(deps, undefined, [input.enterpriseUscc]);
  if (!enterprise) throw new NotFoundError('Enterprise', input.enterpriseUscc);
  const [outlet] = await deps.db.orm
    .select()
    .from(sourceOutlets)
    .where(and(eq(sourceOutlets.enterpriseId, enterprise.id), eq(sourceOutlets.code, input.outletCode)));
  if (!outlet) throw new NotFoundError('Outlet', input.outletCode);
  if (outlet.kind !== 'WASTEWATER') throw new ValidationError([{ path: 'outletCode', message: 'samplers stand at wastewater outlets' }]);
  if (input.deviceMn != null) await checkDeviceMn(deps, input.deviceMn, enterprise.uscc);
  const [row] = await deps.db.orm
    .insert(sourceSamplers)
    .values({ enterpriseId: enterprise.id, outletId: outlet.id, code: input.code, bottles, deviceMn: input.deviceMn ?? null })
    .onConflictDoNothing()
    .returning();
  if (!row) throw new ConflictError(`sampler ${input.code} exists, or outlet ${input.outletCode} already has one`);
  return row;
}

/** Names (or, with null, forgets) the data logger that drives a sampler: for one connected after it was filed. */
export async function setSamplerDevice(deps: SourceDeps, code: string, deviceMn: string | null): Promise<Sampler> {
  if (deviceMn !== null && !MONITOR_MN.test(deviceMn)) throw new ValidationError([{ path: 'deviceMn', message: 'MN must be 1-32 letters, digits, _ or -' }]);
  const [sampler] = await deps.db.orm
    .select({ id: sourceSamplers.id, uscc: sourceEnterprises.uscc })
    .from(sourceSamplers)
    .innerJoin(sourceEnterprises, eq(sourceEnterprises.id, sourceSamplers.enterpriseId))
    .where(eq(sourceSamplers.code, code));
  if (!sampler) throw new NotFoundError('WaterSampler', code);
  if (deviceMn !== null) await checkDeviceMn(deps, deviceMn, sampler.uscc);
  const [row] = await deps.db.orm.update(sourceSamplers).set({ deviceMn }).where(eq(sourceSamplers.id, sampler.id)).returning();
  if (!row) throw new NotFoundError('WaterSampler', code);
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
    // With a logger, the retention is born PENDING as attempt 1: the caller sends that 3015 once
    // this transaction has committed, and only the insert that created the row gets here.
    const command = sampler.deviceMn === null ? {} : { commandStatus: 'PENDING', commandAttempt: 1, commandMn: sampler.deviceMn, commandSentAt: deps.now() };
    const [row] = await tx
      .insert(sourceSamplerRetentions)
      .values({
        samplerId: sampler.id,
        exceedanceId: episode.exceedanceId,
        bottleNumber,
        retainedAt: new Date(episode.at),
        factor: episode.factor,
        value: episode.value,
        ...command,
      })
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
  const rows = await deps.db.orm
    .select()
    .from(sourceSamplers)
    .where(inArray(sourceSamplers.enterpriseId, [...enterpriseIds]))
    .orderBy(asc(sourceSamplers.code));
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

/** Retentions by id in the viewer's scope: the viewer must see the sampler's enterprise. */
export async function retentionsByIds(deps: SourceDeps, viewer: Viewer, ids: readonly number[]): Promise<(SamplerRetention | undefined)[]> {
  if (ids.length === 0) return [];
  const rows = await deps.db.orm
    .select({ retention: sourceSamplerRetentions })
    .from(sourceSamplerRetentions)
    .innerJoin(sourceSamplers, eq(sourceSamplers.id, sourceSamplerRetentions.samplerId))
    .innerJoin(sourceEnterprises, eq(sourceEnterprises.id, sourceSamplers.enterpriseId))
    .where(
      and(
        inArray(sourceSamplerRetentions.id, [...ids]),
        enterpriseScope(viewer, { uscc: sql`${sourceEnterprises.uscc}`, cell: sql`${sourceEnterprises.cellCode}` }),
      ),
    );
  const byId = new Map(rows.map(({ retention }) => [retention.id, toRetention(retention)]));
  return ids.map((id) => byId.get(id));
}

/** The retention made for each episode, if any: the evidence field on an exceedance. */
export async function retentionsOfExceedances(deps: SourceDeps, exceedanceIds: readonly number[]): Promise<(SamplerRetention | undefined)[]> {
  if (exceedanceIds.length === 0) return [];
  const rows = await deps.db.orm
    .select()
    .from(sourceSamplerRetentions)
    .where(inArray(sourceSamplerRetentions.exceedanceId, [...exceedanceIds]));
  const byEpisode = new Map(rows.map((row) => [row.exceedanceId, toRetention(row)]));
  return exceedanceIds.map((id) => byEpisode.get(id));
}
