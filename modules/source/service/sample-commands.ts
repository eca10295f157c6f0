import { and, eq, isNull, lt, ne, or, sql } from 'drizzle-orm';
import { ConflictError, NotFoundError, ValidationError } from '../../../src/errors';
import {
  CommandTimeoutError,
  DeviceNotConnectedError,
  hj212GatewayRef,
  MAX_COMMAND_TIMEOUT_SECONDS,
  type CommandResult,
} from '../../../src/ingest/hj212/public';
import { sourceSamplerRetentions, sourceSamplers } from '../tables';
import { toRetention } from './samplers';
import type { SampleCommandStatus, SamplerRetention, SourceDeps } from './types';

/**
 * A PENDING send older than this no longer waits for its device (no command waits longer than the
 * gateway's maximum): the hub that sent it stopped before the answer, and a resend may go.
 */
const IN_FLIGHT_MS = MAX_COMMAND_TIMEOUT_SECONDS * 1000 + 10_000;
const POL_ID = /^[A-Za-z0-9]{1,20}$/;

type Outcome = {
  commandStatus: SampleCommandStatus;
  commandQn: string | null;
  qnRtn: number | null;
  exeRtn: number | null;
  deviceBottle: number | null;
  commandAnsweredAt: Date | null;
};

const UNANSWERED = { commandQn: null, qnRtn: null, exeRtn: null, deviceBottle: null, commandAnsweredAt: null } as const;

/** What the device's 9011/9012 answers (and its 3015 upload, if any) say about the retention. */
export function outcomeOf(result: CommandResult, answeredAt: Date): Outcome {
  const commandStatus: SampleCommandStatus = result.qnRtn !== 1 ? 'REFUSED' : result.exeRtn === 1 ? 'DONE' : 'FAILED';
  const vase = result.data.VaseNo;
  const deviceBottle = vase !== undefined && /^\d{1,4}$/.test(vase) ? Number(vase) : null;
  return { commandStatus, commandQn: result.qn, qnRtn: result.qnRtn, exeRtn: result.exeRtn, deviceBottle, commandAnsweredAt: answeredAt };
}

/** Sends 3015 through this hub's gateway; every way it can end is an outcome, never a throw. */
async function askDevice(deps: SourceDeps, mn: string, factor: string): Promise<Outcome> {
  try {
    const result = await deps.services.get(hj212GatewayRef).sendCommand(mn, { kind: 'RETAIN_SAMPLE', polId: POL_ID.test(factor) ? factor : null });
    return outcomeOf(result, deps.now());
  } catch (error) {
    if (error instanceof DeviceNotConnectedError) return { ...UNANSWERED, commandStatus: 'NOT_CONNECTED' };
    if (error instanceof CommandTimeoutError) return { ...UNANSWERED, commandStatus: 'TIMEOUT', commandQn: error.qn, qnRtn: error.qnRtn };
    deps.logger.error({ err: error, mn }, 'sample retention command could not be sent');
    return { ...UNANSWERED, commandStatus: 'FAILED' };
  }
}

/** Sends one attempt and records its outcome, unless a newer attempt has been made meanwhile. */
async function sendAttempt(
  deps: SourceDeps,
  retention: Pick<SamplerRetention, 'id' | 'commandAttempt' | 'factor'>,
  mn: string,
): Promise<SamplerRetention | undefined> {
  const outcome = await askDevice(deps, mn, retention.factor);
  const log = { retentionId: retention.id, mn, attempt: retention.commandAttempt, status: outcome.commandStatus, qnRtn: outcome.qnRtn, exeRtn: outcome.exeRtn };
  if (outcome.commandStatus === 'DONE') deps.logger.info(log, 'sampler retained the sample (3015)');
  else deps.logger.warn(log, 'sample retention command (3015) did not succeed');
  const [row] = await deps.db.orm
    .update(sourceSamplerRetentions)
    .set(outcome)
    .where(and(eq(sourceSamplerRetentions.id, retention.id), eq(sourceSamplerRetentions.commandAttempt, retention.commandAttempt)))
    .returning();
  return row ? toRetention(row) : undefined;
}

export interface SampleCommands {
  /** Sends the first 3015 of a retention born PENDING, without waiting for the device's answers. */
  dispatch(retention: SamplerRetention): void;
  /** Sends the 3015 of a retention again, to the sampler's logger now, and waits for the outcome. */
  resend(id: number): Promise<SamplerRetention>;
  /** Resolves once no send of this hub waits for a device. */
  settled(): Promise<void>;
}

/**
 * 3015 to the data logger that drives a sampler. The first send of a retention runs in the
 * background so the event worker does not wait out a device's timeout; the sends are tracked
 * so the module's stop can let them record their outcome before the database closes.
 */
export function createSampleCommands(deps: SourceDeps): SampleCommands {
  const inFlight = new Set<Promise<unknown>>();
  const track = <T>(work: Promise<T>): Promise<T> => {
    inFlight.add(work);
    const forget = () => inFlight.delete(work);
    work.then(forget, forget);
    return work;
  };

  const resend = async (id: number): Promise<SamplerRetention> => {
    const [current] = await deps.db.orm
      .select({ status: sourceSamplerRetentions.commandStatus, deviceMn: sourceSamplers.deviceMn })
      .from(sourceSamplerRetentions)
      .innerJoin(sourceSamplers, eq(sourceSamplers.id, sourceSamplerRetentions.samplerId))
      .where(eq(sourceSamplerRetentions.id, id));
    if (!current) throw new NotFoundError('SampleRetention', String(id));
    if (current.deviceMn === null) throw new ValidationError([{ path: 'id', message: 'the sampler has no data logger: set its deviceMn first' }]);
    if (current.status === 'DONE') throw new ConflictError('the device has already confirmed this retention');
    const now = deps.now();
    const table = sourceSamplerRetentions;
    // Claiming the attempt and checking that none is waiting is one statement: two resends at once send once.
    const [claimed] = await deps.db.orm
      .update(table)
      .set({ ...UNANSWERED, commandStatus: 'PENDING', commandAttempt: sql`${table.commandAttempt} + 1`, commandMn: current.deviceMn, commandSentAt: now })
      .where(
        and(
          eq(table.id, id),
          ne(table.commandStatus, 'DONE'),
          or(ne(table.commandStatus, 'PENDING'), isNull(table.commandSentAt), lt(table.commandSentAt, new Date(now.getTime() - IN_FLIGHT_MS))),
        ),
      )
      .returning();
    if (!claimed) throw new ConflictError('a 3015 for this retention is still waiting for the device, or the device has confirmed it');
    const recorded = await sendAttempt(deps, claimed, current.deviceMn);
    if (recorded) return recorded;
    const [row] = await deps.db.orm.select().from(table).where(eq(table.id, id));
    if (!row) throw new NotFoundError('SampleRetention', String(id));
    return toRetention(row);
  };

  return {
    dispatch: (retention) => {
      if (retention.commandStatus !== 'PENDING' || retention.commandMn === null) return;
      const mn = retention.commandMn;
      void track(
        sendAttempt(deps, retention, mn).catch((error: unknown) => {
          deps.logger.error({ err: error, retentionId: retention.id, mn }, 'sample retention command outcome not recorded');
        }),
      );
    },
    resend: (id) => track(resend(id)),
    settled: async () => {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
