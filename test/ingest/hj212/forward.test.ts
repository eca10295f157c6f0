/**
 * Forwarding (数据转发) between two hubs over real TCP: a district hub forwards what its devices
 * upload to a city hub's gateway. The city goes down for a while as the district keeps storing;
 * when it is back, every reading arrives exactly once, in order per monitor, read from the district's
 * store a page at a time, and a monitor the city refuses is reported instead of retried. The city
 * stores what arrives (2041 run times, hourly -Min/-Max/-Cou) as it would from the device. A target
 * or a monitor added later gets what the targets file's rule says.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hj212GatewayRef } from '../../../src/ingest/hj212/service';
import { nextUploads } from '../../../src/ingest/hj212/forward/store';
import { createServerDatabase, ENGINES, startTestHub, type EngineName, type TestHub } from '../../support/hub';
import { createMonitor, eventually } from '../../support/monitoring';
import { RawDevice } from './device-client';

const BASE = new Date('2024-05-01T00:00:00Z');
const at = (minutes: number) => new Date(BASE.getTime() + minutes * 60_000);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

type TargetStatus = {
  connected: boolean;
  backlog: number;
  errors: number;
  lastError: string | null;
  acknowledgedCount: number;
  monitors: { mn: string; upstreamMn: string; state: string; refusedWith: number | null; backlog: number | null; lastAcknowledgedDataTime: string | null }[];
};

describe.each(ENGINES)('HJ 212 forwarding from a district hub to a city hub (%s)', (engine: EngineName) => {
  let dir: string;
  let cityPort: number;
  let cityDatabase: { url: string; drop: () => Promise<void> } | undefined;
  let districtDatabase: { url: string; drop: () => Promise<void> } | undefined;
  let city: TestHub | undefined;
  let district: TestHub;
  let admin: string;
  let device: RawDevice;
  let targetsFile: string;
  /** the city's global ids of its monitors */
  const cityIds: Record<string, string> = {};
  /** readings read from the district's store at once per monitor: smaller than the outage's backlog */
  const READ_ROWS = 10;
  const cityTarget = {
    name: 'city',
    host: '127.0.0.1',
    port: 0,
    pw: '111111',
    commands: ['2011', '2061', '2041', '2021', '2081'],
    monitors: [{ mn: 'FW0001', upstreamMn: 'CITYA1', upstreamPw: '654321' }, { mn: 'FW0002' }, { mn: 'FW0003', upstreamPw: 'wrong1' }] as Record<
      string,
      string
    >[],
  };

  const startCity = () =>
    startTestHub({
      engine,
      env: { HJ212_PORT: String(cityPort), ...(engine === 'pglite' ? { HUB_DATA_DIR: join(dir, 'city') } : {}) },
      ...(cityDatabase ? { databaseUrl: cityDatabase.url } : {}),
    });

  const startDistrict = async (targets: unknown[]) => {
    writeFileSync(targetsFile, JSON.stringify({ targets }));
    district = await startTestHub({
      engine,
      env: {
        HJ212_FORWARD_TARGETS_FILE: targetsFile,
        HJ212_FORWARD_ACK_TIMEOUT_SECONDS: '2',
        HJ212_FORWARD_READ_ROWS: String(READ_ROWS),
        ...(engine === 'pglite' ? { HUB_DATA_DIR: join(dir, 'district') } : {}),
      },
      ...(districtDatabase ? { databaseUrl: districtDatabase.url } : {}),
    });
    admin = await district.token({ roles: ['admin'] });
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'envhub-forward-'));
    cityPort = await freePort();
    cityTarget.port = cityPort;
    targetsFile = join(dir, 'targets.json');
    if (engine !== 'pglite') [cityDatabase, districtDatabase] = await Promise.all([createServerDatabase(engine), createServerDatabase(engine)]);
    city = await startCity();
    const cityAdmin = await city.token({ roles: ['admin'] });
    for (const [mn, password] of [
      ['CITYA1', '654321'],
      ['FW0002', '111111'],
      ['FW0003', '333333'],
      ['CITYA4', '444444'],
      ['LATE02', '222222'],
      ['NEW02', '555555'],
    ] as const) {
      cityIds[mn] = await createMonitor(city, cityAdmin, { mn, password });
    }

    await startDistrict([cityTarget]);
    for (const mn of ['FW0001', 'FW0002', 'FW0003', 'FW0004']) await createMonitor(district, admin, { mn, password: '123456' });
    device = await RawDevice.connect(district.hub.services.get(hj212GatewayRef).port as number);
    // monitors registered after the start are picked up within seconds
    await eventually(async () => (await status()).monitors.every((m) => m.state !== 'UNKNOWN_MONITOR'), 200);
  }, 180_000);

  afterAll(async () => {
    device?.close();
    await district?.stop();
    await city?.stop();
    await cityDatabase?.drop();
    await districtDatabase?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function status(name = 'city'): Promise<TargetStatus> {
    const { body } = await district.graphql<{ hj212ForwardTargets: (TargetStatus & { name: string })[] }>(
      `{ hj212ForwardTargets { name connected backlog errors lastError acknowledgedCount monitors { mn upstreamMn state refusedWith backlog lastAcknowledgedDataTime } } }`,
      {},
      admin,
    );
    const target = body.data?.hj212ForwardTargets.find((t) => t.name === name);
    if (!target) throw new Error(JSON.stringify(body));
    return target;
  }

  /** What the city's GraphQL gives of a monitor: a series of w01018, and 2041 run times. */
  async function cityGraphql<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    const hub = city as TestHub;
    const { body } = await hub.graphql<T>(query, variables, await hub.token({ roles: ['admin'] }));
    if (!body.data) throw new Error(JSON.stringify(body));
    return body.data;
  }
  const citySeries = (mn: string, interval: string) =>
    cityGraphql<{
      readings: { points: { time: string; value: number | null; flag: string | null; min: number | null; max: number | null; cou: number | null }[] } | null;
    }>(
      `query ($m: ID!, $i: ReadingInterval) { readings(monitor: $m, factor: "w01018", interval: $i, from: "2024-04-01T00:00:00Z", to: "2024-06-01T00:00:00Z") { points { time value flag min max cou } } }`,
      { m: cityIds[mn], i: interval },
    ).then((data) => data.readings?.points ?? []);
  const cityRunTimes = (mn: string) =>
    cityGraphql<{ monitor: { facilityRunTimes: { facility: string; day: string; runHours: number }[] } | null }>(
      `query ($mn: String!) { monitor(mn: $mn) { facilityRunTimes(from: "2024-04-01T00:00:00Z", to: "2024-06-01T00:00:00Z") { facility day runHours } } }`,
      { mn },
    ).then((data) => data.monitor?.facilityRunTimes ?? []);
  /** A monitor's 2021 status and 2081 restart as a hub's GraphQL shows them. */
  async function stateIn(hub: TestHub, mn: string): Promise<{ facilityStatus: unknown; restartedAt: string | null }> {
    const { body } = await hub.graphql<{ monitor: { facilityStatus: unknown; restartedAt: string | null } }>(
      `query ($mn: String!) { monitor(mn: $mn) { facilityStatus restartedAt } }`,
      { mn },
      await hub.token({ roles: ['admin'] }),
    );
    if (!body.data?.monitor) throw new Error(JSON.stringify(body));
    return body.data.monitor;
  }
  /** A 2021 status report, acknowledged by the district. */
  async function statusReport(mn: string, minute: number, facilities: { id: string; runStatus: number; runHours: number }[]): Promise<void> {
    device.upload({
      qn: `2024050107${String(minute).padStart(2, '0')}00001`,
      st: '32',
      cn: '2021',
      pw: '123456',
      mn,
      dataTime: at(minute),
      items: [],
      facilities,
    });
    expect((await device.next()).cn).toBe('9014');
  }
  /** A 2041 report of the day starting at `day` (Asia/Shanghai midnight), acknowledged by the district. */
  async function runTimeReport(mn: string, day: Date, hours: Record<string, number>): Promise<void> {
    device.upload({
      qn: `2024050200${String(day.getUTCDate()).padStart(2, '0')}00001`,
      st: '32',
      cn: '2041',
      pw: '123456',
      mn,
      dataTime: day,
      items: [],
      facilities: Object.entries(hours).map(([id, runHours]) => ({ id, runHours })),
    });
    expect((await device.next()).cn).toBe('9014');
  }

  /** Uploads one real-time value of a monitor and waits for the district's 9014. */
  async function upload(mn: string, minute: number): Promise<void> {
    device.upload({
      qn: `2024050108${String(minute).padStart(2, '0')}00001`,
      st: '32',
      cn: '2011',
      pw: '123456',
      mn,
      dataTime: at(minute),
      items: [{ code: 'w01018', values: { Rtd: 100 + minute }, flag: 'N' }],
    });
    expect((await device.next()).cn).toBe('9014');
  }

  /** A monitor's readings in the city, in the order the city stored them. */
  async function cityReadings(mn: string, interval = 'RTD') {
    return (city as TestHub).hub.db.query<{ time: Date | string; value: number; min: number | null; max: number | null; cou: number | null }>(
      `SELECT r.time, r.value, r.min, r.max, r.cou FROM monitoring_readings r JOIN monitoring_monitors m ON m.id = r.monitor_id
        WHERE m.mn = $1 AND r.factor = 'w01018' AND r.interval = $2 ORDER BY r.received_at, r.time`,
      [mn, interval],
    );
  }

  const expected = (minutes: number) => Array.from({ length: minutes }, (_, minute) => ({ time: at(minute).toISOString(), value: 100 + minute }));
  const shape = (rows: { time: Date | string; value: number }[]) => rows.map((r) => ({ time: new Date(r.time).toISOString(), value: r.value }));

  it('forwards every upload once, in order, through an outage of the city hub, the backlog a page at a time', async () => {
    const day1 = new Date('2024-04-30T16:00:00Z');
    const day2 = new Date('2024-05-01T16:00:00Z');
    for (let minute = 0; minute < 10; minute += 1) {
      await upload('FW0001', minute);
      await upload('FW0002', minute);
    }
    // an hourly value travels with its minimum, maximum, amount and flag; a 2041 report with its facilities
    device.upload({
      qn: '20240501090000001',
      st: '32',
      cn: '2061',
      pw: '123456',
      mn: 'FW0001',
      dataTime: at(0),
      items: [{ code: 'w01018', values: { Avg: 104.5, Min: 100, Max: 109, Cou: 2.5 }, flag: 'T' }],
    });
    expect((await device.next()).cn).toBe('9014');
    await runTimeReport('FW0001', day1, { SB1: 20.5, SB2: 3 });
    // state: the facilities' run status, and the logger's restart
    await statusReport('FW0001', 9, [
      { id: 'SB1', runStatus: 1, runHours: 12.5 },
      { id: 'SB2', runStatus: 0, runHours: 0 },
    ]);
    device.upload({ qn: '20240501080930001', st: '32', cn: '2081', pw: '123456', mn: 'FW0001', dataTime: at(9), items: [], times: { RestartTime: at(8) } });
    expect((await device.next()).cn).toBe('9014');
    await eventually(async () => (await cityReadings('CITYA1')).length === 10 && (await cityReadings('FW0002')).length === 10, 300);
    // the city stores them as from a device: read back through the city's GraphQL
    expect(await eventually(async () => (await citySeries('CITYA1', 'HOUR'))[0], 300)).toEqual({
      time: at(0).toISOString(),
      value: 104.5,
      flag: 'T',
      min: 100,
      max: 109,
      cou: 2.5,
    });
    expect(await eventually(async () => ((await cityRunTimes('CITYA1')).length === 2 ? cityRunTimes('CITYA1') : undefined), 300)).toEqual([
      { facility: 'SB1', day: day1.toISOString(), runHours: 20.5 },
      { facility: 'SB2', day: day1.toISOString(), runHours: 3 },
    ]);
    const districtState = await stateIn(district, 'FW0001');
    expect(districtState).toMatchObject({ restartedAt: at(8).toISOString(), facilityStatus: { time: at(9).toISOString() } });
    await eventually(async () => JSON.stringify(await stateIn(city as TestHub, 'CITYA1')) === JSON.stringify(districtState), 300);

    // everything acknowledged before the city goes: the backlog below is exactly what the outage holds back
    await eventually(async () => (await status()).backlog === 0, 300);
    await (city as TestHub).stop();
    city = undefined;
    for (let minute = 10; minute < 30; minute += 1) {
      await upload('FW0001', minute);
      await upload('FW0002', minute);
      // a run time report in the middle of the outage goes up between the readings stored around it
      if (minute === 20) await runTimeReport('FW0001', day2, { SB1: 24 });
      // a status superseded during the outage is not kept: the latest goes up
      if (minute === 21 || minute === 22) await statusReport('FW0001', minute, [{ id: 'SB1', runStatus: minute === 21 ? 3 : 4, runHours: 13 }]);
    }
    const down = await eventually(async () => {
      const s = await status();
      return !s.connected && s.backlog > 0 && s.errors > 0 ? s : undefined;
    }, 300);
    expect(down.lastError).not.toBeNull();
    expect(down.monitors.find((m) => m.mn === 'FW0001')?.backlog).toBe(21);
    // the backlog (20 readings and a report) is more than a page: one read holds a page of it, oldest first
    const fw0001 = (await district.hub.db.query<{ id: number }>(`SELECT id FROM monitoring_monitors WHERE mn = 'FW0001'`))[0]?.id as number;
    const page = await nextUploads(
      district.hub.db,
      'city',
      fw0001,
      { intervals: ['RTD', 'HOUR'], runTimes: true, facilityStatus: true, restarts: true },
      READ_ROWS,
    );
    expect(page.length).toBeLessThanOrEqual(READ_ROWS);
    expect(page.map((u) => u.time.toISOString())).toEqual(
      expected(20)
        .slice(10, 10 + page.length)
        .map((r) => r.time),
    );

    city = await startCity();
    await eventually(async () => (await cityReadings('CITYA1')).length === 30 && (await cityReadings('FW0002')).length === 30, 600);
    // stored in the city in the order the devices sent them, none twice, none lost
    expect(shape(await cityReadings('CITYA1'))).toEqual(expected(30));
    expect(shape(await cityReadings('FW0002'))).toEqual(expected(30));
    expect((await citySeries('CITYA1', 'RTD')).map((p) => ({ time: p.time, value: p.value }))).toEqual(expected(30));
    expect(await eventually(async () => ((await cityRunTimes('CITYA1')).length === 3 ? cityRunTimes('CITYA1') : undefined), 300)).toEqual([
      { facility: 'SB1', day: day2.toISOString(), runHours: 24 },
      { facility: 'SB1', day: day1.toISOString(), runHours: 20.5 },
      { facility: 'SB2', day: day1.toISOString(), runHours: 3 },
    ]);
    const latest = await stateIn(district, 'FW0001');
    expect(latest.facilityStatus).toMatchObject({ time: at(22).toISOString(), facilities: [{ id: 'SB1', runStatus: 4 }] });
    await eventually(async () => JSON.stringify(await stateIn(city as TestHub, 'CITYA1')) === JSON.stringify(latest), 300);
    const after = await eventually(async () => {
      const s = await status();
      return s.connected && s.backlog === 0 ? s : undefined;
    }, 300);
    const byMn = Object.fromEntries(after.monitors.map((m) => [m.mn, m]));
    expect(byMn.FW0001).toMatchObject({ upstreamMn: 'CITYA1', state: 'FORWARDING', backlog: 0, lastAcknowledgedDataTime: at(29).toISOString() });
    expect(byMn.FW0002).toMatchObject({ state: 'FORWARDING', backlog: 0, lastAcknowledgedDataTime: at(29).toISOString() });
  });

  it('reports a monitor the city refuses, and keeps forwarding the others', async () => {
    await upload('FW0003', 40);
    await upload('FW0001', 40);
    const refused = await eventually(async () => {
      const s = await status();
      const m = s.monitors.find((x) => x.mn === 'FW0003');
      return m?.state === 'REFUSED' ? m : undefined;
    }, 300);
    expect(refused.refusedWith).toBe(3);
    await eventually(async () => (await cityReadings('CITYA1')).length === 31, 300);
    expect(await cityReadings('FW0003')).toEqual([]);
    expect((await status()).lastError).toMatch(/FW0003 refused with QnRtn 3/);
  });
  it('gives a monitor added to a target what was stored since the target was first run, and a new target what its since says', async () => {
    // FW0004 is in no target yet: its uploads stay in the district
    for (let minute = 0; minute < 5; minute += 1) await upload('FW0004', minute);
    device.close();
    await district.stop();
    await startDistrict([
      { ...cityTarget, monitors: [...cityTarget.monitors, { mn: 'FW0004', upstreamMn: 'CITYA4', upstreamPw: '444444' }] },
      {
        name: 'late',
        host: '127.0.0.1',
        port: cityPort,
        commands: ['2011'],
        since: '2000-01-01T00:00:00Z',
        monitors: [{ mn: 'FW0002', upstreamMn: 'LATE02', upstreamPw: '222222' }],
      },
      // a 2005 platform: Flag 1 (edition bits 0, A set), acknowledged with the QN inside CP
      {
        name: 'fresh',
        host: '127.0.0.1',
        port: cityPort,
        edition: '2005',
        commands: ['2011'],
        monitors: [{ mn: 'FW0002', upstreamMn: 'NEW02', upstreamPw: '555555' }],
      },
    ]);
    device = await RawDevice.connect(district.hub.services.get(hj212GatewayRef).port as number);
    for (const name of ['city', 'late', 'fresh']) await eventually(async () => (await status(name)).monitors.every((m) => m.state !== 'UNKNOWN_MONITOR'), 200);
    await upload('FW0002', 50);
    await upload('FW0004', 50);

    const minutes = (rows: { time: Date | string }[]) => rows.map((r) => (new Date(r.time).getTime() - BASE.getTime()) / 60_000);
    // the city target was first run before FW0004's uploads: they go up, oldest first, with the new one
    await eventually(async () => (await cityReadings('CITYA4')).length === 6, 600);
    // since the year 2000: all FW0002 ever stored
    await eventually(async () => (await cityReadings('LATE02')).length === 31, 600);
    // no since: from the target's first run on; the 2005 edition's frames stored and acknowledged as well
    await eventually(async () => (await cityReadings('NEW02')).length === 1, 600);
    // FW0003 stays refused (and its upload unsent) after the restart too
    const settled = async (name: string) => (await status(name)).monitors.every((m) => m.state === 'REFUSED' || m.backlog === 0);
    await eventually(async () => (await settled('city')) && (await settled('late')) && (await settled('fresh')), 300);
    expect(minutes(await cityReadings('CITYA4'))).toEqual([0, 1, 2, 3, 4, 50]);
    expect(minutes(await cityReadings('LATE02'))).toEqual([...Array.from({ length: 30 }, (_, m) => m), 50]);
    expect(minutes(await cityReadings('NEW02'))).toEqual([50]);
    // what the city target had acknowledged before the restart is not sent again
    expect(minutes(await cityReadings('FW0002'))).toEqual([...Array.from({ length: 30 }, (_, m) => m), 50]);
    expect(minutes(await cityReadings('CITYA1'))).toEqual([...Array.from({ length: 30 }, (_, m) => m), 40]);
  });
});
