import type { Logger } from 'pino';
import type { StopFunction } from '../../../src/modules';
import type { EvaluationSummary } from './types';

/**
 * How often the evaluator looks for a newly completed hour: a breach is known within minutes of
 * its hour's data. The first look is one interval after start, which keeps start-up (and a demo
 * seed, which replays its own history) free of it.
 */
export const EVALUATION_INTERVAL_MS = 5 * 60_000;

/**
 * Water episodes are judged per hour on the whole sample (the class is the worst item), and the
 * monitoring core announces exceedances, not arriving values: so a timer evaluates each station's
 * latest complete hour. Runs never overlap; the evaluation is idempotent per station and hour, so
 * several hub instances may run it side by side.
 */
export function startEpisodeWatch(evaluate: (now: Date) => Promise<EvaluationSummary>, now: () => Date, logger: Logger): StopFunction {
  let running: Promise<void> | undefined;
  let stopped = false;
  const tick = (): void => {
    if (stopped || running) return;
    running = evaluate(now())
      .then((summary) => {
        if (summary.opened + summary.updated + summary.closed > 0) logger.info({ ...summary }, 'water episodes evaluated');
      })
      .catch((error: unknown) => logger.error({ err: error }, 'water episode evaluation failed; will retry on the next tick'))
      .finally(() => {
        running = undefined;
      });
  };
  const every = setInterval(tick, EVALUATION_INTERVAL_MS);
  every.unref();
  return async () => {
    stopped = true;
    clearInterval(every);
    await running;
  };
}
