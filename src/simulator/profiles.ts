/**
 * What each kind of demo device measures and how its values move over a day: a daily cycle around
 * a base level, noise, and the factor an exceedance episode pushes up. Levels are typical of a
 * Chengdu suburban district: treated industrial wastewater, gas-fired boiler stacks, urban air
 * stations (ug/m3, CO mg/m3), river and reservoir stations.
 */

import type { MonitorKind } from '../monitoring/public';
import { bureauHourOfDay } from '../time';

export type FactorProfile = {
  /** HJ 212-2017 code */
  code: string;
  /** HJ/T 212-2005 code, sent by 2005-edition devices */
  code2005?: string;
  base: number;
  /** relative swing of the daily cycle */
  amplitude: number;
  /** local hour (Asia/Shanghai) of the daily maximum */
  peakHour: number;
  /** relative standard deviation of one measurement */
  noise: number;
  decimals: number;
  /** sent with -ZsRtd/-ZsAvg: the value at the reference O2 content */
  converted?: boolean;
  /** how far an exceedance episode multiplies the value; 1: this factor never exceeds */
  spike: number;
};

export type KindProfile = {
  /** HJ 212 system code the device reports under */
  st: string;
  factors: readonly FactorProfile[];
  /** real-time (2011) uploads; stations report hourly values only */
  realTime: boolean;
  /** treatment facilities reported in 2021 status */
  facilities: number;
};

/** Reference O2 content (%) of gas-fired boilers, GB 13271-2014. */
export const REFERENCE_O2 = 3.5;

const f = (
  code: string,
  code2005: string | undefined,
  base: number,
  amplitude: number,
  peakHour: number,
  noise: number,
  decimals: number,
  spike: number,
  converted = false,
): FactorProfile => ({
  code,
  ...(code2005 === undefined ? {} : { code2005 }),
  base,
  amplitude,
  peakHour,
  noise,
  decimals,
  spike,
  ...(converted ? { converted } : {}),
});

export const KIND_PROFILES: Readonly<Partial<Record<MonitorKind, KindProfile>>> = {
  WASTEWATER_OUTLET: {
    st: '32',
    realTime: true,
    facilities: 1,
    factors: [
      f('w01018', '011', 38, 0.35, 14, 0.08, 1, 3.2),
      f('w21003', '060', 2.6, 0.3, 15, 0.1, 2, 4),
      f('w01001', '001', 7.3, 0.03, 14, 0.01, 2, 1.3),
      f('w00000', 'B01', 14, 0.5, 13, 0.1, 2, 1),
    ],
  },
  FLUE_GAS_OUTLET: {
    st: '31',
    realTime: true,
    facilities: 1,
    factors: [
      f('a21026', '02', 12, 0.2, 11, 0.1, 1, 6, true),
      f('a21002', '03', 95, 0.2, 11, 0.08, 1, 2.6, true),
      f('a34013', '01', 4.5, 0.25, 11, 0.12, 2, 4, true),
      f('a19001', 'S01', 5.2, 0.05, 3, 0.03, 2, 1),
      f('a00000', 'B02', 6.5, 0.35, 11, 0.06, 2, 1),
    ],
  },
  HEAVY_METAL_ANALYSER: {
    st: '32',
    realTime: true,
    facilities: 1,
    factors: [
      f('w20120', '027', 12, 0.2, 14, 0.1, 2, 6),
      f('w20115', '022', 1.6, 0.2, 14, 0.1, 3, 6),
      f('w20111', '020', 0.12, 0.2, 14, 0.1, 4, 6),
      f('w20119', '026', 9, 0.2, 14, 0.1, 2, 6),
      f('w20117', '024', 6, 0.2, 14, 0.1, 2, 8),
    ],
  },
  WATER_SAMPLER: { st: '32', realTime: false, facilities: 1, factors: [] },
  AIR_STATION: {
    st: '22',
    realTime: false,
    facilities: 0,
    factors: [
      f('a21026', undefined, 9, 0.3, 11, 0.12, 0, 3),
      f('a21004', undefined, 32, 0.35, 20, 0.12, 0, 2.6),
      f('a21005', undefined, 0.75, 0.25, 8, 0.1, 2, 2.2),
      f('a05024', undefined, 70, 0.6, 15, 0.12, 0, 2.8),
      f('a34002', undefined, 68, 0.25, 22, 0.12, 0, 2.8),
      f('a34004', undefined, 42, 0.3, 23, 0.12, 0, 3),
    ],
  },
  WATER_STATION: {
    st: '21',
    realTime: false,
    facilities: 0,
    factors: [
      f('w01001', '001', 7.6, 0.02, 15, 0.01, 2, 1.25),
      f('w01009', undefined, 7.8, 0.15, 15, 0.04, 2, 1),
      f('w01019', undefined, 3.2, 0.05, 14, 0.06, 2, 2.6),
      f('w21003', '060', 0.32, 0.1, 14, 0.08, 3, 5),
      f('w21011', '101', 0.09, 0.1, 14, 0.08, 3, 4),
    ],
  },
};

/** Hours since local midnight, fractional. */
export const localHour = bureauHourOfDay;

/** The noiseless level of a factor at a moment: base with its daily cycle. */
export function dailyLevel(factor: FactorProfile, time: Date): number {
  return factor.base * (1 + factor.amplitude * Math.cos((2 * Math.PI * (localHour(time) - factor.peakHour)) / 24));
}

/** Flue gas at the reference O2 content: C_ref = C x (21 - O2_ref) / (21 - O2_measured). */
export function toReferenceO2(value: number, o2: number): number {
  return (value * (21 - REFERENCE_O2)) / (21 - Math.min(o2, 19.5));
}

export function round(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.round(Math.max(0, value) * scale) / scale;
}
