import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestHub, type TestHub } from '../../support/hub';
import { demoCells } from '../../../src/demo/district';
import { demoWaterStationMn } from '../../../modules/water/seed';

type Episode = { stationCode: string; status: string; breachHours: number; worstClass: string; currentClass: string; failingItems: { factor: string }[] };

describe.each(ENGINES)('water demo seed (%s)', (engine) => {
  let t: TestHub;
  let district: string;

  beforeAll(async () => {
    t = await startTestHub({ engine, env: { HUB_MODULES: 'water', HUB_SEED: 'true' } });
    district = await t.token({ roles: ['district'] });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('seeds a river intake and a reservoir with stations in village cells', async () => {
    const { body } = await t.graphql(
      `{ waterSources { edges { node { code waterbody targetClass stations { code cellCode mn monitor { kind ownerModule ownerId intervalSeconds } } } } } }`,
      {},
      district,
    );
    type Source = {
      code: string;
      waterbody: string;
      targetClass: string;
      stations: { code: string; cellCode: string; mn: string; monitor: { kind: string; ownerModule: string; ownerId: string; intervalSeconds: number } }[];
    };
    const sources = (body.data as { waterSources: { edges: { node: Source }[] } }).waterSources.edges.map((e) => e.node);
    expect(sources.map((s) => [s.code, s.waterbody, s.targetClass, s.stations.map((st) => st.code)])).toEqual([
      ['DW-DFQ', 'RIVER', 'II', ['DW-DFQ-01']],
      ['DW-LQH', 'LAKE', 'III', ['DW-LQH-01', 'DW-LQH-02']],
    ]);
    const villages = new Set(
      demoCells()
        .filter((c) => c.level === 3)
        .map((c) => c.code),
    );
    const stations = sources.flatMap((s) => s.stations);
    expect(stations.every((s) => villages.has(s.cellCode))).toBe(true);
    expect(stations.map((s) => s.mn)).toEqual([0, 1, 2].map(demoWaterStationMn));
    expect(stations.map((s) => s.monitor)).toEqual(
      stations.map((s) => ({ kind: 'WATER_STATION', ownerModule: 'water', ownerId: s.code, intervalSeconds: 3600 })),
    );
  });

  it('replays three days of history into episodes: the reservoir inlet breaches now and then, and now', async () => {
    const { body } = await t.graphql(
      `{ waterEpisodes(first: 20) { edges { node { stationCode status breachHours worstClass currentClass failingItems { factor } } } } }`,
      {},
      district,
    );
    const episodes = (body.data as { waterEpisodes: { edges: { node: Episode }[] } }).waterEpisodes.edges.map((e) => e.node);
    expect(episodes.map((e) => [e.stationCode, e.status, e.breachHours, e.worstClass])).toEqual([
      ['DW-LQH-02', 'OPEN', 3, 'V'],
      ['DW-LQH-02', 'CLOSED', 5, 'IV'],
      ['DW-LQH-02', 'CLOSED', 4, 'IV'],
    ]);
    expect(episodes[0]?.failingItems).toEqual([{ factor: 'w21011' }]);
    expect(episodes[1]?.failingItems.map((i) => i.factor)).toEqual(['w01009', 'w21003', 'w21011']);
  });

  it('has hourly results for the latest day of every station', async () => {
    const now = Date.now();
    const from = new Date(now - 24 * 3_600_000).toISOString();
    const to = new Date(now).toISOString();
    for (const station of ['DW-DFQ-01', 'DW-LQH-01', 'DW-LQH-02']) {
      const { body } = await t.graphql(
        `query ($s: String!, $from: DateTime!, $to: DateTime!) { waterQuality(station: $s, from: $from, to: $to) { class } }`,
        { s: station, from, to },
        district,
      );
      const points = (body.data as { waterQuality: { class: string }[] }).waterQuality;
      expect(points.length).toBeGreaterThanOrEqual(22);
      expect(points.every((p) => p.class !== null)).toBe(true);
    }
  });
});
