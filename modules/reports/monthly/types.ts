/** The monthly report (月报) as data: what the workbook and the printable page both render. */
import type { MonthSpan } from './period';

/** AQI days by level (1 优 ... 6 严重污染) of one station, or of the district, in one month. */
export interface AirMonth {
  code: string;
  name: string;
  /** days with a published AQI */
  daysWithAqi: number;
  /** days without one (too little data) */
  daysWithoutAqi: number;
  /** index 0 is level 1 (优) */
  byLevel: [number, number, number, number, number, number];
  /** 优良天数: levels 1 and 2 */
  goodDays: number;
  /** 优良率: good days / days with an AQI; null without any */
  goodRate: number | null;
  /** days each pollutant was primary (首要污染物); ties count for each */
  primary: Record<string, number>;
  /** each day's AQI and level, in day order; null where none */
  daily: { day: string; aqi: number | null; level: number | null }[];
}

export interface AirPart {
  stations: AirMonth[];
  /** the district: each day's AQI from the mean of the stations' daily concentrations */
  district: AirMonth;
  lastYear: { month: string; stations: AirMonth[]; district: AirMonth };
}

export interface WaterStationMonth {
  sourceCode: string;
  sourceName: string;
  stationCode: string;
  stationName: string;
  targetClass: string;
  /** each day's class in day order; null when the day had no result */
  classes: (string | null)[];
  daysJudged: number;
  daysMeetingTarget: number;
  /** days meeting the target / days judged; null when none was */
  meetingRate: number | null;
  worstClass: string | null;
}

export interface WaterPart {
  stations: WaterStationMonth[];
}

export interface LevelCompliance {
  controlLevel: string;
  enterprises: number;
  seriesJudged: number;
  expectedHours: number;
  validHours: number;
  validDataRate: number | null;
  exceedanceHours: number;
  compliantHours: number;
  complianceRate: number | null;
  episodes: number;
}

export interface ExceedanceHandling {
  id: number;
  enterpriseUscc: string | null;
  enterpriseName: string | null;
  monitorName: string | null;
  factor: string;
  openedAt: Date;
  closedAt: Date | null;
  peakValue: number;
  limitUpper: number | null;
  acknowledgedAt: Date | null;
  /** the inspection task the grid dispatched for it, and where it stands */
  taskStatus: string | null;
}

export interface SourcePart {
  byLevel: LevelCompliance[];
  exceedances: {
    total: number;
    closed: number;
    acknowledged: number;
    /** with an inspection task dispatched */
    withTask: number;
    /** whose task was verified */
    taskVerified: number;
    /** the newest, at most MAX_LISTED */
    listed: ExceedanceHandling[];
  };
}

export interface GridPart {
  tasksByType: { type: string; dispatched: number; verified: number; overdue: number }[];
  tasksByStatus: { status: string; count: number }[];
  tasks: number;
  patrols: number;
  media: number;
  /** the towns ranked by score */
  townRanking: { rank: number | null; code: string; name: string; assigned: number; completed: number; overdue: number; patrols: number; score: number }[];
  /** the best-scoring ranked assistants, at most TOP_ASSISTANTS */
  topAssistants: { rank: number; name: string; assigned: number; completed: number; patrols: number; score: number }[];
}

export interface CaseLine {
  caseNumber: string;
  enterpriseName: string | null;
  status: string;
  decision: string | null;
  penaltyYuan: number | null;
  openedAt: Date;
  decidedAt: Date | null;
}

export interface EnforcementPart {
  opened: number;
  decided: number;
  closed: number;
  /** decided in the month with a fine */
  penalties: number;
  penaltyYuan: number;
  /** cases opened or decided in the month, newest first, at most MAX_LISTED */
  listed: CaseLine[];
}

export interface MonthlyReport {
  period: MonthSpan;
  generatedAt: Date;
  /** null: the part's module is off, or the viewer may not read it */
  air: AirPart | null;
  water: WaterPart | null;
  source: SourcePart | null;
  grid: GridPart | null;
  enforcement: EnforcementPart | null;
}

/** Rows listed in detail per part; counts always cover everything. */
export const MAX_LISTED = 200;
export const TOP_ASSISTANTS = 10;
