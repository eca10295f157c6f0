import type { Logger } from 'pino';
import type { Database } from '../../../src/db';
import type { EventBus } from '../../../src/events/bus';
import type { MonitoringService } from '../../../src/monitoring/public';
import type { AssessedItem, LimitedClass, ProtectionZone, SupplementaryResult, WaterClass, Waterbody } from './classify';
import type { WaterFailingItem } from '../events';

/** What the water service functions need: passed in, never imported as singletons. */
export interface WaterDeps {
  db: Database;
  bus: EventBus;
  logger: Logger;
  now: () => Date;
  /** looked up when used: the monitoring core binds its service before any module starts */
  monitoring: () => MonitoringService;
}

export interface WaterSource {
  id: number;
  code: string;
  name: string;
  waterbody: Waterbody;
  protectionZone: ProtectionZone | null;
  targetClass: LimitedClass;
  createdAt: Date;
}

export interface WaterStation {
  id: number;
  code: string;
  name: string;
  sourceId: number;
  cellCode: string;
  longitude: number | null;
  latitude: number | null;
  monitorId: number;
  mn: string;
  createdAt: Date;
}

/** A station with what evaluating it needs from its source. */
export interface StationForEvaluation extends WaterStation {
  sourceCode: string;
  sourceName: string;
  waterbody: Waterbody;
  targetClass: LimitedClass;
}

export type EpisodeStatus = 'OPEN' | 'CLOSED';

export interface WaterEpisode {
  id: number;
  stationId: number;
  stationCode: string;
  sourceCode: string;
  cellCode: string;
  status: EpisodeStatus;
  openedAt: Date;
  lastBreachAt: Date;
  closedAt: Date | null;
  breachHours: number;
  targetClass: LimitedClass;
  currentClass: WaterClass;
  worstClass: WaterClass;
  failingItems: WaterFailingItem[];
}

export type Granularity = 'HOUR' | 'DAY';

/** One item of a station result or a calculator answer. */
export interface QualityItem extends AssessedItem {
  /** hourly values averaged into a daily value; 1 for an hourly value; null for the calculator */
  sampleCount: number | null;
}

export interface WaterQualityPoint {
  /** start of the hour, or Asia/Shanghai midnight starting the day */
  time: Date;
  class: WaterClass | null;
  targetClass: LimitedClass;
  meetsTarget: boolean | null;
  items: QualityItem[];
  supplementary: SupplementaryResult[];
  /** DAY only: factors with values that day but too few valid hours for a daily value */
  incompleteFactors: string[];
}

export interface EvaluationSummary {
  /** start of the latest hour evaluated */
  hour: Date;
  /** station-hours applied (with data, and not applied before) */
  evaluated: number;
  opened: number;
  updated: number;
  closed: number;
}
