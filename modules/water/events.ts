import { defineEvent } from '../../src/events/topics';
import type { Limit, LimitedClass, WaterClass, Waterbody } from './service/classify';

/** An item worse than the station's target class, as carried by episode events. */
export interface WaterFailingItem {
  factor: string;
  /** mg/L (fecal coliform per L), after any ug/L conversion */
  value: number;
  class: WaterClass;
  /** the target class's limit for the item */
  limit: Limit | null;
  /** 超标倍数: value / limit - 1, upper-bound items only */
  exceedanceMultiple: number | null;
}

/** What every water episode event carries: enough to filter, scope and display without a query. */
export interface WaterEpisodePayload {
  episodeId: number;
  stationCode: string;
  stationName: string;
  sourceCode: string;
  sourceName: string;
  cellCode: string;
  waterbody: Waterbody;
  /** class of the hour that caused the event */
  class: WaterClass;
  targetClass: LimitedClass;
  worstClass: WaterClass;
  /** the failing items of that hour; empty on close */
  failingItems: WaterFailingItem[];
  /** start of the evaluated hour (hourly values are stamped with the start of their hour) */
  hour: string;
  openedAt: string;
  closedAt: string | null;
  breachHours: number;
}

export const waterEpisodeOpened = defineEvent<WaterEpisodePayload>('water.episode.opened');
/** the class or the set of failing items changed while the episode stayed open */
export const waterEpisodeUpdated = defineEvent<WaterEpisodePayload>('water.episode.updated');
export const waterEpisodeClosed = defineEvent<WaterEpisodePayload>('water.episode.closed');
export const WATER_EPISODE_TOPICS = [waterEpisodeOpened, waterEpisodeUpdated, waterEpisodeClosed] as const;
