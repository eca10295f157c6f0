import type { Logger } from 'pino';
import type { Scheduler } from '../../../src/scheduler';
import type { EvaluationSummary } from './types';

/**
 * How often the evaluator looks for a newly completed hour: a breach is known within minutes of
 * its hour's data. The first look is one interval after start, which keeps start-up (and a demo
 * seed, which replays its own history) free of it.
 */
export const EVALUATION_INTERVAL_MS = 5 * 60_000;

/**
 * Water episodes are judged per hour on the whole sample (the class is the worst item), and the
 * monitoring core announces exceedances, not arriving values: so a periodic job evaluates each
 * station's latest complete hour, once per period across hub instances. The evaluation is
 * idempotent per station and hour besides.
 */
export function startEpisodeWatch(scheduler: Scheduler, evaluate: (now: Date) => Promise<EvaluationSummary>, now: () => Date, logger: Logger): void {
  scheduler.every({
    name: 'water.episodes',
    everyMs: EVALUATION_INTERVAL_MS,
    run: async () => {
      const summary = await evaluate(now());
      if (summary.opened + summary.updated + summary.closed > 0) logger.info({ ...summary }, 'water episodes evaluated');
    },
  });
}
