/**
 * Log lines for events that come in floods (connections refused, replaced, timed out): the first
 * of each kind in a minute goes out at the given level with how many were logged quietly since the
 * last, the rest at debug. The counters carry the totals; the log shows that it is happening.
 */

import type { Logger } from 'pino';

type Level = 'info' | 'warn';

export class Notices {
  private readonly last = new Map<string, { at: number; quiet: number }>();

  constructor(
    private readonly logger: Logger,
    private readonly intervalMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  note(kind: string, level: Level, details: Record<string, unknown>, message: string): void {
    const now = this.now();
    const seen = this.last.get(kind);
    if (seen && now - seen.at < this.intervalMs) {
      seen.quiet += 1;
      this.logger.debug(details, message);
      return;
    }
    this.last.set(kind, { at: now, quiet: 0 });
    this.logger[level]({ ...details, ...(seen && seen.quiet > 0 ? { moreSinceLastLogged: seen.quiet } : {}) }, message);
  }
}
