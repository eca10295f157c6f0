/**
 * Forwarding (数据转发) between two hubs over real TCP: a district hub forwards what its devices
 * upload to a city hub's gateway. The city goes down for a while as the district keeps storing;
 * when it is back, every reading arrives exactly once, in order per monitor, and a monitor the city
 * refuses is reported instead of retried.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hj212GatewayRef } from '../../../src/ingest/hj212/service';
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
  let city: TestHub | undefined;
  let district: TestHub;
  let admin: string;
  let device: RawDevice;

  const startCity = () =>
    startTestHub({
      engine,
      env: { HJ212_PORT: String(cityPort), ...(engine === 'pglite' ? { HUB_DATA_DIR: join(dir, 'city') } : {}) },
      ...(cityDatabase ? { databaseUrl: cityDatabase.url } : {}),
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'envhub-forward-'));
    cityPort = await freePort();
    if (engine !== 'pglite') cityDatabase = await createServerDatabase(engine);
    city = await startCity();
    const cityAdmin = await city.token({ roles: ['admin'] });
    await createMonitor(city, cityAdmin, { mn: 'CITYA1', password: '654321' });
    await createMonitor(city, cityAdmin, { mn: 'FW0002', password: '111111' });
    await createMonitor(city, cityAdmin, { mn: 'FW0003', password: '333333' });

    const targets = join(dir, 'targets.json');
    writeFileSync(
      targets,
      JSON.stringify({
        targets: [
          {
            name: 'city',
            host: '127.0.0.1',
            port: cityPort,
            pw: '111111',
            commands: ['2011', '2061'],
            monitors: [{ mn: 'FW0001', upstreamMn: 'CITYA1', upstreamPw: '654321' }, { mn: 'FW0002' }, { mn: 'FW0003', upstreamPw: 'wrong1' }],
          },
        ],
      }),
    );
    district = await startTestHub({ engine, env: { HJ212_FORWARD_TARGETS_FILE: targets, HJ212_FORWARD_ACK_TIMEOUT_SECONDS: '2' } });
    admin = await district.token({ roles: ['admin'] });
    for (const mn of ['FW0001', 'FW0002', 'FW0003']) await createMonitor(district, admin, { mn, password: '123456' });
    device = await RawDevice.connect(district.hub.services.get(hj212GatewayRef).port as number);
    // monitors registered after the start are picked up within seconds; forwarding starts from then
    await eventually(async () => (await status()).monitors.every((m) => m.state !== 'UNKNOWN_MONITOR'), 200);
  }, 180_000);

  afterAll(async () => {
    device?.close();
    await district?.stop();
    await city?.stop();
    await cityDatabase?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function status(): Promise<TargetStatus> {
    const { body } = await district.graphql<{ hj212ForwardTargets: TargetStatus[] }>(
      `{ hj212ForwardTargets { connected backlog errors lastError acknowledgedCount monitors { mn upstreamMn state refusedWith backlog lastAcknowledgedDataTime } } }`,
      {},
      admin,
    );
    const target = body.data?.hj212ForwardTargets[0];
    if (!target) throw new Error(JSON.stringify(body));
    return target;
  }

  /** Uploads one real-time value of a monitor and waits for the district's 9014. */
  async function upload(mn: string, minute: number): Promise<void> {
    device.upload({ qn: `2024050108${String(minute).padStart(2, '0')}00001`, st: '32', cn: '2011', pw: '123456', mn, dataTime: at(minute), items: [{ code: 'w01018', values: { Rtd: 100 + minute }, flag: 'N' }] });
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

  it('forwards every upload once, in order, through an outage of the city hub', async () => {
    for (let minute = 0; minute < 10; minute += 1) {
      await upload('FW0001', minute);
      await upload('FW0002', minute);
    }
    // an hourly value travels with its minimum, maximum and amount
    device.upload({ qn: '20240501090000001', st: '32', cn: '2061', pw: '123456', mn: 'FW0001', dataTime: at(0), items: [{ code: 'w01018', values: { Avg: 104.5, Min: 100, Max: 109, Cou: 2.5 } }] });
    expect((await device.next()).cn).toBe('9014');
    await eventually(async () => (await cityReadings('CITYA1')).length === 10 && (await cityReadings('FW0002')).length === 10, 300);
    expect(await eventually(async () => (await cityReadings('CITYA1', 'HOUR'))[0], 300)).toMatchObject({ value: 104.5, min: 100, max: 109, cou: 2.5 });

    await (city as TestHub).stop();
    city = undefined;
    for (let minute = 10; minute < 30; minute += 1) {
      await upload('FW0001', minute);
      await upload('FW0002', minute);
    }
    const down = await eventually(async () => {
      const s = await status();
      return !s.connected && s.backlog > 0 && s.errors > 0 ? s : undefined;
    }, 300);
    expect(down.lastError).not.toBeNull();

    city = await startCity();
    await eventually(async () => (await cityReadings('CITYA1')).length === 30 && (await cityReadings('FW0002')).length === 30, 600);
    // stored in the city in the order the devices sent them, none twice, none lost
    expect(shape(await cityReadings('CITYA1'))).toEqual(expected(30));
    expect(shape(await cityReadings('FW0002'))).toEqual(expected(30));
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
});
