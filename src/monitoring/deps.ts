import type { Logger } from 'pino';
import type { Config } from '../config';
import type { Database } from '../db';
import type { EventBus } from '../events/bus';

/** What the monitoring service functions need: passed in, never imported as singletons. */
export interface MonitoringDeps {
  db: Database;
  bus: EventBus;
  logger: Logger;
  now: () => Date;
  settings: Config['monitoring'];
  /** told when a monitor's credentials or identity change (the gateway drops its cache) */
  onMonitorChanged?: (mn: string) => void;
  /** told of every ingest batch (the metrics) */
  observe?: { ingested(result: { accepted: number; duplicates: number; rejected: number }, seconds: number): void };
}
