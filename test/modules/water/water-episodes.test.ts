import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestHub, type TestHub } from '../../support/hub';
import { WATER_EPISODE_TOPICS, waterServiceRef, type WaterEpisodePayload, type WaterService } from '../../../modules/water/public';
import { connectWs, collect } from '../../support/ws';
import { createFixture, LAKE_MN, localHour } from './fixture';

const MINUTES_5 = 5 * 60_000;
/** The evaluator's clock: five minutes into local hour `h`, so hour h - 1 is the latest complete one. */
const at = (h: number): Date => new Date(localHour(h).getTime() + MINUTES_5);

const EPISODES = `query ($filter: WaterEpisodeFilter) {
  waterEpisodes(first: 10, filter: $filter) {
    edges { node {
      stationCode sourceCode cellCode status openedAt lastBreachAt closedAt breachHours targetClass currentClass worstClass
      failingItems { factor class exceedanceMultiple }
      station { code }
    } }
  }
}`;

describe.each(ENGINES)('water episodes (%s)', (engine) => {
  let t: TestHub;
  let water: WaterService;
  let district: string;
  const topics = WATER_EPISODE_TOPICS.map((topic) => topic.name);
  const events = async () =>
    (await t.hub.bus.readPage(0, Number.MAX_SAFE_INTEGER, topics)).map((e) => ({ topic: e.topic, payload: e.payload as WaterEpisodePayload }));

  beforeAll(async () => {
    t = await startTestHub({ engine, env: { HUB_MODULES: 'water' } });
    district = await t.token({ roles: ['district'] });
    await createFixture(t, await t.token({ roles: ['admin'] }));
    water = t.hub.services.get(waterServiceRef);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('opens on a breach, updates when the class changes, closes on recovery, once per hour', async () => {
    // hour 9 is within the class II target: nothing to open; the lake station has no data
    expect(await water.evaluateWaterEpisodes(at(10))).toEqual({ hour: localHour(9), evaluated: 1, opened: 0, updated: 0, closed: 0 });
    expect(await events()).toEqual([]);

    expect(await water.evaluateWaterEpisodes(at(11))).toMatchObject({ hour: localHour(10), evaluated: 1, opened: 1 });
    // the same hour again changes nothing
    expect(await water.evaluateWaterEpisodes(at(11))).toMatchObject({ evaluated: 0, opened: 0, updated: 0, closed: 0 });
    expect(await water.evaluateWaterEpisodes(at(12))).toMatchObject({ hour: localHour(11), evaluated: 1, updated: 1 });
    expect(await water.evaluateWaterEpisodes(at(13))).toMatchObject({ hour: localHour(12), evaluated: 1, closed: 1 });
    // an older hour after a newer one is not applied
    expect(await water.evaluateWaterEpisodes(at(12))).toMatchObject({ evaluated: 0, opened: 0 });

    const seen = await events();
    expect(seen.map((e) => [e.topic, e.payload.class, e.payload.worstClass, e.payload.hour, e.payload.breachHours])).toEqual([
      ['water.episode.opened', 'IV', 'IV', localHour(10).toISOString(), 1],
      ['water.episode.updated', 'V', 'V', localHour(11).toISOString(), 2],
      ['water.episode.closed', 'II', 'V', localHour(12).toISOString(), 2],
    ]);
    const opened = seen[0]?.payload;
    expect(opened).toMatchObject({
      stationCode: 'T-RIV-01',
      sourceCode: 'T-RIV',
      cellCode: '51011202002001',
      targetClass: 'II',
      waterbody: 'RIVER',
      closedAt: null,
    });
    expect(opened?.failingItems.map((i) => [i.factor, i.class, i.exceedanceMultiple])).toEqual([
      ['w01009', 'IV', null],
      ['w21003', 'III', 0.5],
      ['w21011', 'IV', 1.5],
    ]);
    expect(seen[1]?.payload.failingItems.map((i) => [i.factor, i.class, i.exceedanceMultiple])).toEqual([['w20120', 'V', 5]]);
    expect(seen[2]?.payload).toMatchObject({ failingItems: [], closedAt: localHour(12).toISOString() });
    expect(new Set(seen.map((e) => e.payload.episodeId)).size).toBe(1);

    const { body } = await t.graphql(EPISODES, { filter: { station: 'T-RIV-01' } }, district);
    expect(body.data).toEqual({
      waterEpisodes: {
        edges: [
          {
            node: {
              stationCode: 'T-RIV-01',
              sourceCode: 'T-RIV',
              cellCode: '51011202002001',
              status: 'CLOSED',
              openedAt: localHour(10).toISOString(),
              lastBreachAt: localHour(11).toISOString(),
              closedAt: localHour(12).toISOString(),
              breachHours: 2,
              targetClass: 'II',
              currentClass: 'V',
              worstClass: 'V',
              failingItems: [{ factor: 'w20120', class: 'V', exceedanceMultiple: 5 }],
              station: { code: 'T-RIV-01' },
            },
          },
        ],
      },
    });
  });

  it('keeps a steady breach open without repeating itself every hour', async () => {
    const before = (await events()).length;
    // hours 13-23 were missed: caught up (within target), then hour 24 opens
    expect(await water.evaluateWaterEpisodes(at(25))).toEqual({ hour: localHour(24), evaluated: 12, opened: 1, updated: 0, closed: 0 });
    expect(await water.evaluateWaterEpisodes(at(26))).toMatchObject({ hour: localHour(25), evaluated: 1, opened: 0, updated: 0, closed: 0 });
    const added = (await events()).slice(before);
    expect(added.map((e) => [e.topic, e.payload.class, e.payload.failingItems.map((i) => i.factor)])).toEqual([['water.episode.opened', 'III', ['w01019']]]);

    const open = await t.graphql(EPISODES, { filter: { status: 'OPEN' } }, district);
    const nodes = (open.body.data as { waterEpisodes: { edges: { node: Record<string, unknown> }[] } }).waterEpisodes.edges.map((e) => e.node);
    expect(nodes).toHaveLength(1);
    expect(nodes[0]).toMatchObject({
      status: 'OPEN',
      openedAt: localHour(24).toISOString(),
      lastBreachAt: localHour(25).toISOString(),
      breachHours: 2,
      closedAt: null,
      currentClass: 'III',
    });
    const station = await t.graphql(`{ waterStation(code: "T-RIV-01") { openEpisode { status breachHours } } }`, {}, district);
    expect(station.body.data).toEqual({ waterStation: { openEpisode: { status: 'OPEN', breachHours: 2 } } });
  });

  it('lists episodes newest first and keeps them to the viewer’s cells', async () => {
    const all = await t.graphql(`{ waterEpisodes { edges { node { status openedAt } } } }`, {}, district);
    expect(
      (all.body.data as { waterEpisodes: { edges: { node: { status: string; openedAt: string } }[] } }).waterEpisodes.edges.map((e) => [
        e.node.status,
        e.node.openedAt,
      ]),
    ).toEqual([
      ['OPEN', localHour(24).toISOString()],
      ['CLOSED', localHour(10).toISOString()],
    ]);
    const elsewhere = await t.token({ roles: ['assistant'], cells: ['51011210013'] });
    expect((await t.graphql(`{ waterEpisodes { edges { node { status } } } }`, {}, elsewhere)).body.data).toEqual({ waterEpisodes: { edges: [] } });
    const here = await t.token({ roles: ['assistant'], cells: ['51011202002'] });
    const mine = (await t.graphql(`{ waterEpisodes { edges { node { status } } } }`, {}, here)).body.data as { waterEpisodes: { edges: unknown[] } };
    expect(mine.waterEpisodes.edges).toHaveLength(2);
  });

  it('delivers episode events over the subscription, replaying with since, to the viewer’s cells only', async () => {
    const admin = await t.token({ roles: ['admin'] });
    const query = `subscription { waterEpisodeEvents(since: "0") { kind stationCode sourceCode class targetClass hour failingItems { factor class exceedanceMultiple } episode { status } } }`;
    type Event = {
      kind: string;
      stationCode: string;
      class: string;
      targetClass: string;
      hour: string;
      failingItems: { factor: string; class: string; exceedanceMultiple: number | null }[];
      episode: { status: string } | null;
    };
    const districtWs = connectWs(t.hub.port, district);
    const lakeWs = connectWs(t.hub.port, await t.token({ roles: ['assistant'], cells: ['51011210013'] }));
    try {
      const all = collect<{ waterEpisodeEvents: Event }>(districtWs.client, query);
      const lakeOnly = collect<{ waterEpisodeEvents: Event }>(lakeWs.client, query);
      await all.until(4);
      expect(all.received.map((r) => r.data?.waterEpisodeEvents.kind)).toEqual(['OPENED', 'UPDATED', 'CLOSED', 'OPENED']);

      // the lake station (class III target) gets TP 0.08: class IV in a reservoir
      const lake = ['w01001:7.5', 'w01009:6.5', 'w01019:3', 'w21003:0.3', 'w21011:0.08'].map((pair) => {
        const [factor, value] = pair.split(':');
        return { mn: LAKE_MN, factor, interval: 'HOUR', time: localHour(30).toISOString(), value: Number(value) };
      });
      const ingest = await t.graphql(`mutation ($r: [ReadingInput!]!) { ingestReadings(readings: $r) { __typename } }`, { r: lake }, admin);
      expect(ingest.body.data).toEqual({ ingestReadings: { __typename: 'MutationIngestReadingsSuccess' } });
      // the river catches up on hours 26-30 of its unchanged class III spell (no event); the lake's breach opens
      expect(await water.evaluateWaterEpisodes(at(31))).toMatchObject({ evaluated: 6, opened: 1, updated: 0, closed: 0 });

      await all.until(5);
      await lakeOnly.until(1);
      expect(all.received.map((r) => r.data?.waterEpisodeEvents.stationCode)).toEqual(['T-RIV-01', 'T-RIV-01', 'T-RIV-01', 'T-RIV-01', 'T-LAKE-01']);
      expect(lakeOnly.received.map((r) => r.data?.waterEpisodeEvents)).toEqual([
        {
          kind: 'OPENED',
          stationCode: 'T-LAKE-01',
          sourceCode: 'T-LAKE',
          class: 'IV',
          targetClass: 'III',
          hour: localHour(30).toISOString(),
          failingItems: [{ factor: 'w21011', class: 'IV', exceedanceMultiple: 0.6 }],
          episode: { status: 'OPEN' },
        },
      ]);
      all.dispose();
      lakeOnly.dispose();
    } finally {
      await districtWs.dispose();
      await lakeWs.dispose();
    }
  });
});
