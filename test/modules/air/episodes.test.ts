import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { airServiceRef } from '../../../modules/air/public';
import { ENGINES, startTestHub, type TestHub } from '../../support/hub';
import { collect, connectWs } from '../../support/ws';
import { at, createStation, HOUR, hourly, ingestAsDevice, type HourValues } from './support';

const START = at('2026-06-01 08:00');
const hourAt = (k: number): string => new Date(START.getTime() + k * HOUR).toISOString();
/** Evaluation five minutes after hour k ended. */
const afterHour = (k: number): Date => new Date(START.getTime() + (k + 1) * HOUR + 5 * 60_000);

const BACKGROUND = { PM10: 40, SO2: 5, NO2: 20, CO: 0.4, O3: 60 };
// hourly PM2.5 and the 2026 hourly AQI it gives: 80, 110, 210, 230, 60, 128, then a partial hour
const HOURS: HourValues[] = [
  { ...BACKGROUND, PM2_5: 50 },
  { ...BACKGROUND, PM2_5: 70 },
  { ...BACKGROUND, PM2_5: 160 },
  { ...BACKGROUND, PM2_5: 180 },
  { ...BACKGROUND, PM2_5: 40 },
  { ...BACKGROUND, PM2_5: 90 },
  { NO2: 20 },
];

const EPISODE_EVENTS = `subscription($since: ID) { airEpisodeEvents(since: $since) {
  kind hour stationCode stationName cellCode aqi level color primaryPollutants threshold edition
  station { code } episode { status } } }`;

type EventResult = {
  airEpisodeEvents: {
    kind: string;
    hour: string;
    stationCode: string;
    aqi: number;
    level: number;
    primaryPollutants: string[];
    threshold: number;
    edition: string;
    station: { code: string } | null;
    episode: { status: string } | null;
    cellCode: string;
    color: string;
    stationName: string;
  };
};

describe.each(ENGINES)('air episodes on %s', (engine) => {
  let th: TestHub;
  let district: string;

  beforeAll(async () => {
    th = await startTestHub({ engine, env: { HUB_MODULES: 'air', INTERRUPTION_CHECK_SECONDS: '86400' } });
    const admin = await th.token({ roles: ['admin'] });
    district = await th.token({ roles: ['district'] });
    const station = await createStation(th, admin, { code: '510112P01', name: '西河区控站', cellCode: '51011206007002' });
    await ingestAsDevice(
      th,
      hourly(station.mn, START, HOURS.length, (k) => HOURS[k] ?? null),
    );
  });
  afterAll(async () => th?.stop());

  const evaluate = (now: Date, options?: { since: Date }) => th.hub.services.get(airServiceRef).evaluateAirEpisodes(now, options);

  it('opens, escalates and closes episodes hour by hour, once per hour', async () => {
    expect(await evaluate(afterHour(0))).toEqual({ evaluated: 1, opened: 0, escalated: 0, closed: 0 });
    // two instances evaluating the same hour at once open one episode
    const [a, b] = await Promise.all([evaluate(afterHour(1)), evaluate(afterHour(1))]);
    expect((a?.opened ?? 0) + (b?.opened ?? 0)).toBe(1);
    expect(await evaluate(afterHour(1))).toEqual({ evaluated: 1, opened: 0, escalated: 0, closed: 0 });
    expect(await evaluate(afterHour(2))).toEqual({ evaluated: 1, opened: 0, escalated: 1, closed: 0 });
    expect(await evaluate(afterHour(3))).toEqual({ evaluated: 1, opened: 0, escalated: 0, closed: 0 });
    expect(await evaluate(afterHour(4))).toEqual({ evaluated: 1, opened: 0, escalated: 0, closed: 1 });
    expect(await evaluate(afterHour(5))).toEqual({ evaluated: 1, opened: 1, escalated: 0, closed: 0 });
    // an hour with pollutants missing and no AQI says nothing: the episode stays open
    expect(await evaluate(afterHour(6))).toEqual({ evaluated: 0, opened: 0, escalated: 0, closed: 0 });

    const { body } = await th.graphql<{ airEpisodes: { edges: { node: Record<string, unknown> }[] } }>(
      `{ airEpisodes(first: 10) { edges { node { station { code } stationCode cellCode status threshold openedHour lastHour closedHour
         lastAqi peakAqi peakHour peakPrimaryPollutants edition } } } }`,
      {},
      district,
    );
    expect(body.data?.airEpisodes.edges.map((e) => e.node)).toEqual([
      {
        station: { code: '510112P01' },
        stationCode: '510112P01',
        cellCode: '51011206007002',
        status: 'OPEN',
        threshold: 100,
        openedHour: hourAt(5),
        lastHour: hourAt(5),
        closedHour: null,
        lastAqi: 128,
        peakAqi: 128,
        peakHour: hourAt(5),
        peakPrimaryPollutants: ['PM2_5'],
        edition: 'HJ633_2026',
      },
      {
        station: { code: '510112P01' },
        stationCode: '510112P01',
        cellCode: '51011206007002',
        status: 'CLOSED',
        threshold: 200,
        openedHour: hourAt(1),
        lastHour: hourAt(4),
        closedHour: hourAt(4),
        lastAqi: 60,
        peakAqi: 230,
        peakHour: hourAt(3),
        peakPrimaryPollutants: ['PM2_5'],
        edition: 'HJ633_2026',
      },
    ]);
    const open = await th.graphql<{ airEpisodes: { edges: unknown[] } }>(`{ airEpisodes(filter: { status: OPEN }) { edges { node { id } } } }`, {}, district);
    expect(open.body.data?.airEpisodes.edges).toHaveLength(1);
  });

  it('publishes opened, escalated and closed events that a dashboard replays after a reconnect', async () => {
    const ws = connectWs(th.hub.port, district);
    try {
      const stream = collect<EventResult>(ws.client, EPISODE_EVENTS, { since: '0' });
      await stream.until(4);
      stream.dispose();
      const events = stream.received.map((r) => r.data?.airEpisodeEvents);
      expect(events.map((e) => [e?.kind, e?.hour, e?.aqi, e?.level, e?.threshold, e?.primaryPollutants])).toEqual([
        ['OPENED', hourAt(1), 110, 3, 100, ['PM2_5']],
        ['ESCALATED', hourAt(2), 210, 5, 200, ['PM2_5']],
        ['CLOSED', hourAt(4), 60, 2, 200, ['PM2_5']],
        ['OPENED', hourAt(5), 128, 3, 100, ['PM2_5']],
      ]);
      expect(events[0]).toMatchObject({
        stationCode: '510112P01',
        stationName: '西河区控站',
        cellCode: '51011206007002',
        color: '#FF7E00',
        edition: 'HJ633_2026',
        station: { code: '510112P01' },
        episode: { status: 'CLOSED' },
      });
    } finally {
      await ws.dispose();
    }
  });

  it('keeps episode events from an enterprise account', async () => {
    const enterprise = await th.token({ roles: ['enterprise'], enterprise: '91510112MA6CXXXX0X' });
    const ws = connectWs(th.hub.port, enterprise);
    try {
      const stream = collect<EventResult>(ws.client, EPISODE_EVENTS, { since: '0' });
      await stream.until(1);
      const first = stream.received[0] as { errors?: { extensions?: { code?: string } }[] } | undefined;
      const ended = stream.ended as { error?: { extensions?: { code?: string } }[] } | undefined;
      const code = first?.errors?.[0]?.extensions?.code ?? ended?.error?.[0]?.extensions?.code;
      expect(code).toBe('FORBIDDEN');
      stream.dispose();
    } finally {
      await ws.dispose();
    }
  });

  it('replays a history hour by hour from `since`, leaving hours already evaluated alone', async () => {
    const admin = await th.token({ roles: ['admin'] });
    const station = await createStation(th, admin, { code: '510112P02' });
    await ingestAsDevice(
      th,
      hourly(station.mn, START, HOURS.length, (k) => HOURS[k] ?? null),
    );
    // both stations' six hours with an AQI are evaluated; only the new station's change anything
    expect(await evaluate(afterHour(6), { since: START })).toEqual({ evaluated: 12, opened: 2, escalated: 1, closed: 1 });
    expect(await evaluate(afterHour(6), { since: START })).toEqual({ evaluated: 12, opened: 0, escalated: 0, closed: 0 });
    const { body } = await th.graphql<{ airEpisodes: { edges: { node: { status: string; peakAqi: number } }[] } }>(
      `{ airEpisodes(filter: { station: "510112P02" }) { edges { node { status peakAqi } } } }`,
      {},
      district,
    );
    expect(body.data?.airEpisodes.edges.map((e) => [e.node.status, e.node.peakAqi])).toEqual([
      ['OPEN', 128],
      ['CLOSED', 230],
    ]);
  });
});
