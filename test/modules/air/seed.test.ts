import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDevicePassword } from '../../../src/demo/devices';
import { verifyDevicePassword } from '../../../src/monitoring/password';
import { monitoringServiceRef } from '../../../src/monitoring/public';
import { startTestHub, type TestHub } from '../../support/hub';
import { HOUR } from './support';

const NOW = new Date('2026-11-20T06:20:00Z');

describe('air demo seed (pglite)', () => {
  let th: TestHub;
  let district: string;
  beforeAll(async () => {
    th = await startTestHub({ now: () => NOW, env: { HUB_SEED: 'true', HUB_MODULES: 'air', INTERRUPTION_CHECK_SECONDS: '86400' } });
    district = await th.token({ roles: ['district'] });
  });
  afterAll(async () => th?.stop());

  it('seeds a national, a province, a city and district stations in village cells', async () => {
    const { body } = await th.graphql<{ airStations: { edges: { node: { code: string; level: string; cellCode: string; mn: string } }[] } }>(
      `{ airStations(first: 20) { edges { node { code level cellCode mn } } } }`,
      {},
      district,
    );
    const stations = body.data?.airStations.edges.map((e) => e.node) ?? [];
    expect(stations.map((s) => [s.code, s.level])).toEqual([
      ['1431A', 'NATIONAL'],
      ['510112S01', 'PROVINCE'],
      ['510112C01', 'CITY'],
      ['510112D01', 'DISTRICT'],
      ['510112D02', 'DISTRICT'],
      ['510112D03', 'DISTRICT'],
      ['510112D04', 'DISTRICT'],
    ]);
    for (const station of stations) expect(station.cellCode).toMatch(/^510112\d{8}$/);
    const monitor = await th.hub.services.get(monitoringServiceRef).deviceCredentials('AIR0000001431A');
    expect(monitor && (await verifyDevicePassword(demoDevicePassword('AIR0000001431A'), monitor.passwordHash))).toBe(true);
  });

  it('gives every station three days of hours, each day with a pollution episode', async () => {
    const newest = Math.floor(NOW.getTime() / HOUR) * HOUR - HOUR;
    const from = new Date(newest - 71 * HOUR);
    const { body } = await th.graphql<{ airQuality: { data: { time: string; aqi: number | null }[] } }>(
      `query($from: DateTime!, $to: DateTime!) { airQuality(station: "1431A", from: $from, to: $to, granularity: HOUR) {
         ... on QueryAirQualitySuccess { data { time aqi } } } }`,
      { from: from.toISOString(), to: new Date(newest + HOUR).toISOString() },
      district,
    );
    const hours = body.data?.airQuality.data ?? [];
    expect(hours).toHaveLength(72);
    // the daily calibration hour (04:00) is flagged invalid; every other hour has an AQI
    expect(hours.filter((h) => h.aqi === null)).toHaveLength(3);
    for (let day = 0; day < 3; day += 1) {
      const peak = Math.max(...hours.slice(day * 24, day * 24 + 24).map((h) => h.aqi ?? 0));
      expect(peak).toBeGreaterThan(100);
    }
    const latest = await th.graphql<{ latestAirQuality: { quality: { time: string } | null }[] }>(`{ latestAirQuality { quality { time } } }`, {}, district);
    expect(latest.body.data?.latestAirQuality.map((s) => s.quality?.time)).toEqual(Array(7).fill(new Date(newest).toISOString()));
    const episodes = await th.graphql<{ airEpisodes: { edges: { node: { threshold: number } }[] } }>(
      `{ airEpisodes(first: 100, filter: { station: "1431A" }) { edges { node { threshold } } } }`,
      {},
      district,
    );
    expect(episodes.body.data?.airEpisodes.edges.length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...(episodes.body.data?.airEpisodes.edges.map((e) => e.node.threshold) ?? []))).toBe(200);
  });
});
