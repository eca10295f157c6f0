/**
 * What the public may see. Each type carries only publishable fields: the service builds them
 * field by field from other modules' records, so a field added to those records never leaks here.
 */

export type PublicGranularity = 'HOUR' | 'DAY';

export interface PublicAirStation {
  code: string;
  name: string;
  /** NATIONAL, PROVINCE, CITY or DISTRICT */
  level: string;
  longitude: number | null;
  latitude: number | null;
}

export interface PublicAqi {
  granularity: PublicGranularity;
  /** start of the hour, or Asia/Shanghai midnight of the day */
  time: Date | null;
  day: string | null;
  aqi: number | null;
  level: number | null;
  categoryZh: string | null;
  categoryEn: string | null;
  color: string | null;
  primaryPollutants: string[];
  edition: string;
}

export interface PublicStationAir {
  station: PublicAirStation;
  /** null when the station measured nothing in the last day */
  quality: PublicAqi | null;
}

export interface PublicWaterStation {
  code: string;
  name: string;
  sourceCode: string;
  sourceName: string;
  granularity: PublicGranularity;
  /** the newest hour or day with a class; null when there is none in the window */
  time: Date | null;
  /** I, II, III, IV, V or WORSE_THAN_V */
  waterClass: string | null;
  targetClass: string;
  meetsTarget: boolean | null;
  /** 水质状况: 优, 良好, 轻度污染, 中度污染, 重度污染 */
  statusZh: string | null;
  statusEn: string | null;
}

export interface PublicEnterprise {
  id: number;
  uscc: string;
  name: string;
  industry: string;
  /** STATE, PROVINCE or CITY */
  controlLevel: string;
}

export interface PublicOutlet {
  id: number;
  code: string;
  name: string;
  /** WASTEWATER or FLUE_GAS */
  kind: string;
}

export interface PublicHourlyValue {
  hour: Date;
  /** mean of the hour's valid values; null when the hour had none */
  value: number | null;
}

export interface PublicOutletFactor {
  factor: string;
  /** the last 24 hours, oldest first; hours without data are left out */
  hourly: PublicHourlyValue[];
  /** null when the factor has no permit limit */
  compliance: PublicCompliance | null;
}

export interface PublicCompliance {
  from: Date;
  to: Date;
  expectedHours: number;
  validHours: number;
  exceedanceHours: number;
  /** compliant valid hours / valid hours; null without valid hours */
  complianceRate: number | null;
}

export interface PublicDecision {
  caseId: number;
  caseNumber: string;
  enterpriseUscc: string;
  enterpriseName: string;
  decision: string;
  penaltyYuan: number | null;
  decidedAt: Date;
  publishedAt: Date;
}
