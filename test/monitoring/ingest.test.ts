import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestHub, type EngineName, type TestHub } from '../support/hub';
import { createMonitor, ingest, setLimit } from '../support/monitoring';

const EXCEEDANCES = `query($filter: ExceedanceFilter) { exceedances(first: 50, filter: $filter) { edges { node {
  severity status peakValue openedAt closedAt lastOutAt limitUpper monitor { mn } } } } }`;
type Episode = {
  severity: string;
  status: string;
  peakValue: number;
  openedAt: string;
  closedAt: string | null;
  lastOutAt: string;
  limitUpper: number;
  monitor: { mn: string };
};

describe.each(ENGINES)('ingest and evaluation (%s)', (engine) => {
  let th: TestHub;
  let admin: string;
  let device: string;
  const day = (h: number, m = 0) => new Date(Date.UTC(2026, 5, 1, h, m));

  const episodes = async (mn: string): Promise<Episode[]> => {
    const { body } = await th.graphql<{ exceedances: { edges: { node: Episode }[] } }>(EXCEEDANCES, {}, admin);
    return (body.data?.exceedances.edges ?? [])
      .map((e) => e.node)
      .filter((e) => e.monitor.mn === mn)
      .reverse();
  };

  beforeAll(async () => {
    th = await startTestHub({ engine, env: { INGEST_BATCH_MAX: '50' } });
    admin = await th.token({ roles: ['admin'] });
    device = await th.token({
      roles: ['device'],
      sub: 'logger-gateway',
      mns: ['ING-1', 'ING-2', 'ING-3', 'ING-4', 'ING-5', 'ING-6', 'ING-7', 'NO-SUCH-MN', 'OTHER-1'],
    });
    for (const mn of ['ING-1', 'ING-2', 'ING-3', 'ING-4', 'ING-5'])
      await createMonitor(th, admin, { mn, cellCode: '51011201001001', enterpriseUscc: '91510112MA6CAAAAA1' });
    await setLimit(th, admin, { monitorKind: 'WASTEWATER_OUTLET', factor: 'w01018', upper: 100 });
  });
  afterAll(() => th.stop());

  it('stores a resent batch once and says so item by item', async () => {
    const batch = [0, 1, 2].map((m) => ({ mn: 'ING-1', time: day(1, m), value: 10 + m }));
    expect(await ingest(th, device, batch)).toMatchObject({ accepted: 3, duplicates: 0, rejected: 0 });
    const again = await ingest(th, device, [...batch, { mn: 'ING-1', time: day(1, 3), value: 20 }]);
    expect(again).toMatchObject({ accepted: 1, duplicates: 3, rejected: 0 });
    expect(again.items.map((i) => i.outcome)).toEqual(['DUPLICATE', 'DUPLICATE', 'DUPLICATE', 'ACCEPTED']);
    const { body } = await th.graphql<{ readings: { points: { value: number }[] } }>(
      `query($m: ID!) { readings(monitor: $m, factor: "w01018", interval: RTD, from: "2026-06-01T00:00:00Z", to: "2026-06-02T00:00:00Z") { points { value } } }`,
      { m: await monitorId(th, admin, 'ING-1') },
      admin,
    );
    expect(body.data?.readings.points.map((p) => p.value)).toEqual([10, 11, 12, 20]);
  });

  it('keeps the good items of a mixed batch and gives a reason for each bad one', async () => {
    const report = await ingest(th, device, [
      { mn: 'ING-2', time: day(2), value: 30 },
      { mn: 'NO-SUCH-MN', time: day(2), value: 30 },
      { mn: 'ING-2', time: day(2, 1), value: 31, flag: '!!' },
      { mn: 'ING-2', time: new Date(Date.now() + 3600_000), value: 32 },
      { mn: 'ING-2', time: day(2), value: 99 },
      { mn: 'ING-2', factor: 'bad code with spaces', time: day(2, 2), value: 33 },
      { mn: 'ING-2', factor: 'x99999', time: day(2, 3), value: 7 },
    ]);
    expect(report.items.map((i) => [i.outcome, i.reason])).toEqual([
      ['ACCEPTED', null],
      ['REJECTED', 'unknown monitor'],
      ['REJECTED', 'flag must be 1-2 letters or digits'],
      ['REJECTED', 'time is in the future'],
      ['DUPLICATE', null],
      ['REJECTED', 'factor code must be 1-32 letters, digits, _ or -'],
      ['ACCEPTED', null],
    ]);
  });

  it('fills a gap with late values, and tells a value stored behind its back from a new one', async () => {
    const points = async () => {
      const { body } = await th.graphql<{ readings: { points: { time: string; value: number }[] } }>(
        `query($m: ID!) { readings(monitor: $m, factor: "w01018", interval: RTD, from: "2026-06-01T00:00:00Z", to: "2026-06-02T00:00:00Z") { points { time value } } }`,
        { m: await monitorId(th, admin, 'ING-5') },
        admin,
      );
      return body.data?.readings.points.map((p) => p.value);
    };
    expect(
      await ingest(
        th,
        device,
        [0, 5].map((m) => ({ mn: 'ING-5', time: day(7, m), value: m })),
      ),
    ).toMatchObject({ accepted: 2 });
    // late: minutes 1-4 arrive after minute 5, one of them twice, next to a resent minute 5
    const late = await ingest(
      th,
      device,
      [1, 2, 5, 3, 2, 4].map((m) => ({ mn: 'ING-5', time: day(7, m), value: m })),
    );
    expect(late.items.map((i) => i.outcome)).toEqual(['ACCEPTED', 'ACCEPTED', 'DUPLICATE', 'ACCEPTED', 'DUPLICATE', 'ACCEPTED']);
    // a value written straight into the table (an import run around the hub) after the series' last one
    const [monitor] = await th.hub.db.query<{ id: number }>("SELECT id FROM monitoring_monitors WHERE mn = 'ING-5'");
    await th.hub.db.query("INSERT INTO monitoring_readings (time, monitor_id, factor, interval, value) VALUES ($1, $2, 'w01018', 'RTD', 6)", [
      day(7, 6).toISOString(),
      monitor?.id,
    ]);
    // over the limit: the refused insert takes the episode written behind it down too, and the rerun opens it once
    const around = await ingest(
      th,
      device,
      [6, 7].map((m) => ({ mn: 'ING-5', time: day(7, m), value: 160 + m })),
    );
    expect(around).toMatchObject({ accepted: 1, duplicates: 1, rejected: 0, episodesOpened: 1 });
    expect(around.items.map((i) => i.outcome)).toEqual(['DUPLICATE', 'ACCEPTED']);
    expect(await points()).toEqual([0, 1, 2, 3, 4, 5, 6, 167]);
    expect(await episodes('ING-5')).toMatchObject([{ openedAt: day(7, 7).toISOString(), peakValue: 167, status: 'OPEN' }]);
  });

  it('refuses an ingest from a role other than device or admin, and a batch over the size limit', async () => {
    const { body } = await th.graphql('mutation { ingestReadings(readings: []) { __typename } }', {}, await th.token({ roles: ['district'] }));
    expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const tooMany = Array.from({ length: 51 }, (_, i) => ({ mn: 'ING-2', factor: 'w01018', interval: 'RTD', time: day(5, i).toISOString(), value: 1 }));
    const big = await th.graphql<{ ingestReadings: { __typename: string; problems?: { message: string }[] } }>(
      'mutation($r: [ReadingInput!]!) { ingestReadings(readings: $r) { __typename ... on ValidationError { problems { path message } } } }',
      { r: tooMany },
      device,
    );
    expect(big.body.data?.ingestReadings).toEqual({
      __typename: 'ValidationError',
      problems: [{ path: 'readings', message: 'a batch holds at most 50 readings' }],
    });
  });

  it('opens, escalates and closes one episode, and stored-but-invalid data never opens one', async () => {
    await ingest(th, device, [
      { mn: 'ING-3', time: day(3, 0), value: 50 },
      { mn: 'ING-3', time: day(3, 1), value: 500, flag: 'C' },
      { mn: 'ING-3', time: day(3, 2), value: 500, flag: 'M' },
      { mn: 'ING-3', time: day(3, 3), value: 85 },
      { mn: 'ING-3', time: day(3, 4), value: 140 },
      { mn: 'ING-3', time: day(3, 5), value: 170 },
    ]);
    let list = await episodes('ING-3');
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ severity: 'EXCEEDANCE', status: 'OPEN', peakValue: 170, openedAt: day(3, 3).toISOString() });
    // out of order: a late high value inside the episode raises its peak; a late low one does not close it
    await ingest(th, device, [
      { mn: 'ING-3', time: day(3, 4), value: 140 },
      { mn: 'ING-3', time: day(3, 3), value: 85 },
    ]);
    await ingest(th, device, [
      { mn: 'ING-3', time: new Date(day(3, 4).getTime() + 30_000), value: 260 },
      { mn: 'ING-3', time: new Date(day(3, 3).getTime() + 30_000), value: 5 },
    ]);
    list = await episodes('ING-3');
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ status: 'OPEN', peakValue: 260 });
    await ingest(th, device, [{ mn: 'ING-3', time: day(3, 7), value: 60 }]);
    list = await episodes('ING-3');
    expect(list[0]).toMatchObject({ status: 'CLOSED', closedAt: day(3, 7).toISOString(), lastOutAt: day(3, 5).toISOString() });
  });

  it('judges each reading by the limit valid at its own time', async () => {
    const id = await monitorId(th, admin, 'ING-4');
    await setLimit(th, admin, { monitor: id, factor: 'w01018', upper: 200, validFrom: '2026-01-01T00:00:00Z' });
    await setLimit(th, admin, { monitor: id, factor: 'w01018', upper: 50, validFrom: '2026-06-01T04:00:00Z' });
    await ingest(th, device, [
      { mn: 'ING-4', time: day(3, 0), value: 150 },
      { mn: 'ING-4', time: day(3, 30), value: 100 },
      { mn: 'ING-4', time: day(4, 0), value: 20 },
      { mn: 'ING-4', time: day(4, 10), value: 70 },
    ]);
    const list = await episodes('ING-4');
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ openedAt: day(4, 10).toISOString(), limitUpper: 50, severity: 'EXCEEDANCE' });
    const { body } = await th.graphql<{ monitor: { limits: { upper: number; validFrom: string; validTo: string | null; defaultForKind: boolean }[] } }>(
      'query($id: ID!) { monitor(id: $id) { limits { upper validFrom validTo defaultForKind } } }',
      { id },
      admin,
    );
    expect(body.data?.monitor.limits.filter((l) => !l.defaultForKind)).toEqual([
      { upper: 50, validFrom: '2026-06-01T04:00:00.000Z', validTo: null, defaultForKind: false },
      { upper: 200, validFrom: '2026-01-01T00:00:00.000Z', validTo: '2026-06-01T04:00:00.000Z', defaultForKind: false },
    ]);
  });

  it('judges each monitor of one batch by its own limit or its kind default, and keeps the milliseconds', async () => {
    const own = await createMonitor(th, admin, { mn: 'ING-6' });
    await createMonitor(th, admin, { mn: 'ING-7' });
    await setLimit(th, admin, { monitor: own, factor: 'w01018', upper: 40 });
    const at = new Date(Date.UTC(2026, 5, 1, 6, 0, 0, 123));
    const report = await ingest(th, device, [
      { mn: 'ING-6', time: at, value: 60 },
      { mn: 'ING-7', time: at, value: 60 },
    ]);
    expect(report).toMatchObject({ accepted: 2, episodesOpened: 1 });
    expect(await episodes('ING-6')).toMatchObject([{ limitUpper: 40, severity: 'EXCEEDANCE', openedAt: at.toISOString() }]);
    // 60 is under the default's warning line (80 % of 100)
    expect(await episodes('ING-7')).toEqual([]);
    const { body } = await th.graphql<{ readings: { points: { time: string; value: number }[] } }>(
      `query($m: ID!) { readings(monitor: $m, factor: "w01018", interval: RTD, from: "2026-06-01T05:00:00Z", to: "2026-06-01T07:00:00Z") { points { time value } } }`,
      { m: own },
      admin,
    );
    expect(body.data?.readings.points).toEqual([{ time: '2026-06-01T06:00:00.123Z', value: 60 }]);
  });

  it('answers latestReadings for many monitors with a fixed number of statements', async () => {
    const ids = await Promise.all(['ING-1', 'ING-2', 'ING-3', 'ING-4', 'ING-5'].map((mn) => monitorId(th, admin, mn)));
    const count = async (monitors: string[]) => {
      const before = th.hub.db.statementCount();
      const { body } = await th.graphql<{ latestReadings: { monitor: { mn: string } }[] }>(
        'query($m: [ID!]!) { latestReadings(monitors: $m) { factor value monitor { mn } } }',
        { m: monitors },
        admin,
      );
      expect(body.errors).toBeUndefined();
      return th.hub.db.statementCount() - before;
    };
    expect(await count(ids)).toBe(await count(ids.slice(0, 1)));
  });

  it('shows an enterprise only its own monitors, and the public nothing', async () => {
    await createMonitor(th, admin, { mn: 'OTHER-1', enterpriseUscc: '91510112MA6CYYYYY9' });
    const own = await th.token({ roles: ['enterprise'], enterprise: '91510112MA6CYYYYY9' });
    const { body } = await th.graphql<{ monitors: { edges: { node: { mn: string } }[] } }>('{ monitors(first: 50) { edges { node { mn } } } }', {}, own);
    expect(body.data?.monitors.edges.map((e) => e.node.mn)).toEqual(['OTHER-1']);
    const episodesSeen = await th.graphql<{ exceedances: { edges: unknown[] } }>('{ exceedances { edges { node { id } } } }', {}, own);
    expect(episodesSeen.body.data?.exceedances.edges).toEqual([]);
    const anonymous = await th.graphql('{ exceedances { edges { node { id } } } }');
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

async function monitorId(th: TestHub, admin: string, mn: string): Promise<string> {
  const { body } = await th.graphql<{ monitor: { id: string } }>('query($mn: String) { monitor(mn: $mn) { id } }', { mn }, admin);
  if (!body.data?.monitor) throw new Error(`no monitor ${mn}`);
  return body.data.monitor.id;
}
