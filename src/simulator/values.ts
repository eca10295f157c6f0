/**
 * One simulated device's measurements: the daily cycle of its kind, noise, and now and then an
 * exceedance episode on one factor that swells and subsides over a few minutes.
 */

import type { UploadItem } from '../ingest/hj212/public';
import { dailyLevel, REFERENCE_O2, round, toReferenceO2, type FactorProfile, type KindProfile } from './profiles';

/** An episode on one factor; a forced one holds `plateau` times the usual value from its first minute. */
type Spell = { code: string; start: number; end: number; plateau?: number };

const O2_CODE = 'a19001';
/** Samples per period when averaging hourly and daily values. */
const PERIOD_SAMPLES = 12;

export class DeviceMeasurements {
  private spells: Spell[] = [];

  constructor(
    private readonly profile: KindProfile,
    private readonly random: () => number,
    private readonly edition2005: boolean,
  ) {}

  /**
   * Starts an exceedance episode now and then: on average one per `meanHoursBetween` hours of
   * running, lasting 5-25 minutes, on a factor that can exceed. Returns the factor when one starts.
   */
  maybeStartSpell(now: Date, elapsedSeconds: number, meanHoursBetween: number): string | undefined {
    const cutoff = now.getTime() - 26 * 3600_000;
    this.spells = this.spells.filter((spell) => spell.end > cutoff);
    const candidates = this.profile.factors.filter((factor) => factor.spike > 1);
    if (candidates.length === 0 || this.spells.some((spell) => spell.end > now.getTime())) return undefined;
    if (this.random() >= elapsedSeconds / (meanHoursBetween * 3600)) return undefined;
    const factor = candidates[Math.floor(this.random() * candidates.length)] as FactorProfile;
    const minutes = 5 + this.random() * 20;
    this.spells.push({ code: factor.code, start: now.getTime(), end: now.getTime() + minutes * 60_000 });
    return factor.code;
  }

  /**
   * Starts an episode now, strong enough to pass any permit limit from its first value (the demo's
   * showcase): the factor that swings most, held at twice its usual peak for `minutes`. Returns
   * the factor, or undefined when this device measures nothing that can exceed.
   */
  forceSpell(now: Date, minutes: number): string | undefined {
    const candidates = this.profile.factors.filter((factor) => factor.spike > 1).sort((a, b) => b.spike - a.spike);
    const factor = candidates[0];
    if (!factor) return undefined;
    this.spells = this.spells.filter((spell) => spell.end <= now.getTime());
    this.spells.push({ code: factor.code, start: now.getTime(), end: now.getTime() + minutes * 60_000, plateau: factor.spike * 2 });
    return factor.code;
  }

  private spikeOf(factor: FactorProfile, at: number): number {
    for (const spell of this.spells) {
      if (spell.code !== factor.code || at < spell.start || at >= spell.end) continue;
      if (spell.plateau) return spell.plateau;
      const progress = (at - spell.start) / (spell.end - spell.start);
      return 1 + (factor.spike - 1) * Math.sin(Math.PI * progress);
    }
    return 1;
  }

  private gaussian(): number {
    const u = Math.max(this.random(), 1e-9);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.random());
  }

  /** One measurement of every factor at a moment. */
  private sample(time: Date): Map<string, number> {
    const values = new Map<string, number>();
    for (const factor of this.profile.factors) {
      const level = dailyLevel(factor, time) * this.spikeOf(factor, time.getTime());
      values.set(factor.code, Math.max(0, level * (1 + factor.noise * this.gaussian())));
    }
    return values;
  }

  private codeOf(factor: FactorProfile): string {
    return this.edition2005 ? (factor.code2005 ?? factor.code) : factor.code;
  }

  /** A 2011 real-time upload's items. */
  realTimeItems(time: Date): UploadItem[] {
    const values = this.sample(time);
    const o2 = values.get(O2_CODE);
    return this.profile.factors.map((factor) => {
      const value = values.get(factor.code) ?? 0;
      const item: UploadItem = { code: this.codeOf(factor), values: { Rtd: round(value, factor.decimals) }, flag: 'N' };
      if (factor.converted && o2 !== undefined) item.values.ZsRtd = round(toReferenceO2(value, o2), factor.decimals);
      return item;
    });
  }

  /** Items of a 2061 or 2031 upload: mean, minimum and maximum over the period. */
  periodItems(start: Date, durationMs: number): UploadItem[] {
    const samples: Map<string, number>[] = [];
    for (let i = 0; i < PERIOD_SAMPLES; i++) samples.push(this.sample(new Date(start.getTime() + ((i + 0.5) * durationMs) / PERIOD_SAMPLES)));
    return this.profile.factors.map((factor) => {
      const series = samples.map((s) => s.get(factor.code) ?? 0);
      const mean = series.reduce((a, b) => a + b, 0) / series.length;
      const item: UploadItem = {
        code: this.codeOf(factor),
        values: { Avg: round(mean, factor.decimals), Min: round(Math.min(...series), factor.decimals), Max: round(Math.max(...series), factor.decimals) },
        flag: 'N',
      };
      if (factor.converted) {
        const converted = samples.map((s) => toReferenceO2(s.get(factor.code) ?? 0, s.get(O2_CODE) ?? REFERENCE_O2));
        item.values.ZsAvg = round(converted.reduce((a, b) => a + b, 0) / converted.length, factor.decimals);
      }
      return item;
    });
  }
}
