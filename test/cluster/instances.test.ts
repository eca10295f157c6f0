import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { encodeSegment } from '../../src/ingest/hj212/encode';
import { encodeFrame } from '../../src/ingest/hj212/frame';
import type { Hj212Message } from '../../src/ingest/hj212/message';
import { hj212GatewayRef } from '../../src/ingest/hj212/service';
import { createServerDatabase, SERVER_ENGINE, startTestHub, type TestHub } from '../support/hub';
import { createMonitor, ingest, setLimit } from '../support/monitoring';
import { eventually, RawDevice } from '../ingest/hj212/device-client';

const PW = '123456';
const METRICS_TOKEN = 'three-instances-metrics-token';
const SEND = `mutation($mn: String!, $c: Hj212CommandInput!) {
  sendHj212Command(mn: $mn, command: $c) {
    __typename
    ... on MutationSendHj212CommandSuccess { data { qn cn qnRtn exeRtn succeeded systemTime data } }
    ... on Hj212CommandTimeoutError { message mn qnRtn }
    ... on Hj212DeviceNotConnectedError { message mn }
  }
}`;
type SendResult = {
  __typename: string;
  message?: string;
  mn?: string;
  qnRtn?: number | null;
  data?: { qn: string; cn: string; qnRtn: number | null; exeRtn: number | null; succeeded: boolean; systemTime: string | null; data: Record<string, string> };
};

/**
 * Three hub instances on one database, as behind a load balancer: a device's TCP connection lands
 * on one of them, requests on any.
 */
describe(`three hub instances on one database (${SERVER_ENGINE})`, () => {
  let database: { url: string; drop: () => Promise<void> };
  const hubs: TestHub[] = [];
  let admin: string;
  let sql: postgres.Sql;
  const ids: Record<string, string> = {};
  /** the instances' shared clock: periodic jobs count their periods by it, and it moves only when a test says */
  let clock = Date.now();

  beforeAll(async () => {
    database = await createServerDatabase();
    // one signing secret, as a bureau configures every instance alike
    const env = {
      JWT_SECRET: randomBytes(24).toString('base64url'),
      HJ212_COMMAND_TIMEOUT_SECONDS: '5',
      INTERRUPTION_CHECK_SECONDS: '1',
      METRICS_TOKEN: METRICS_TOKEN,
    };
    for (let i = 0; i < 3; i += 1) hubs.push(await startTestHub({ engine: SERVER_ENGINE, databaseUrl: database.url, env, now: () => new Date(clock) }));
    admin = await (hubs[0] as TestHub).token({ roles: ['admin'] });
    for (const mn of ['ROUTE-1', 'ROUTE-2', 'RELAY-1'])
      ids[mn] = await createMonitor(hubs[0] as TestHub, admin, { mn, password: PW, cellCode: '51011201001001' });
    sql = postgres(database.url, { max: 1, onnotice: () => {} });
  });
  afterAll(async () => {
    await sql?.end();
    for (const hub of hubs) await hub.stop();
    await database?.drop();
  });

  const hub = (i: number) => hubs[i] as TestHub;
  const gatewayPort = (i: number) => hub(i).hub.services.get(hj212GatewayRef).port as number;
  const holder = async (mn: string) => (await sql<{ instance_id: string }[]>`SELECT instance_id FROM hub_device_sessions WHERE mn = ${mn}`)[0]?.instance_id;

  /** A logger that connects to instance `i` and authenticates with one acknowledged upload. */
  async function deviceOn(i: number, mn: string): Promise<RawDevice> {
    const device = await RawDevice.connect(gatewayPort(i));
    device.upload({
      qn: '20240501080000001',
      st: '32',
      cn: '2011',
      pw: PW,
      mn,
      flag: 5,
      dataTime: new Date('2024-05-01T00:00:00Z'),
      items: [{ code: 'w01018', values: { Rtd: 1 } }],
    });
    expect((await device.next()).cn).toBe('9014');
    await eventually(async () => ((await holder(mn)) === hub(i).hub.instanceId ? true : undefined));
    return device;
  }
  const send = async (i: number, mn: string, command: Record<string, unknown>): Promise<SendResult> => {
    const { body } = await hub(i).graphql<{ sendHj212Command: SendResult }>(SEND, { mn, c: command }, admin);
    if (!body.data) throw new Error(JSON.stringify(body.errors));
    return body.data.sendHj212Command;
  };
  const reply = (command: Hj212Message, cn: string, cp: string) =>
    encodeFrame(encodeSegment({ qn: command.qn as string, st: cn.startsWith('9') ? '91' : '32', cn, pw: PW, mn: command.mn, flag: 4, cp }));

  it('routes a command sent to any instance to the device on the instance holding its connection', async () => {
    const device = await deviceOn(1, 'ROUTE-1');
    // 1012 through the first instance, 3015 through the third: the device is on the second
    const setting = send(0, 'ROUTE-1', { kind: 'SET_TIME', systemTime: '2024-05-01T08:00:00+08:00' });
    const set = await device.next();
    expect(set).toMatchObject({ cn: '1012', mn: 'ROUTE-1', flag: 5, cpFields: { SystemTime: '20240501080000' } });
    device.write(reply(set, '9011', 'QnRtn=1') + reply(set, '9012', 'ExeRtn=1'));
    expect(await setting).toEqual({
      __typename: 'MutationSendHj212CommandSuccess',
      data: { qn: set.qn, cn: '1012', qnRtn: 1, exeRtn: 1, succeeded: true, systemTime: null, data: {} },
    });

    const retaining = send(2, 'ROUTE-1', { kind: 'RETAIN_SAMPLE', polId: 'w01018' });
    const retain = await device.next();
    expect(retain).toMatchObject({ cn: '3015', cpFields: { PolId: 'w01018' } });
    device.write(reply(retain, '9011', 'QnRtn=1') + reply(retain, '3015', 'VaseNo=7') + reply(retain, '9012', 'ExeRtn=1'));
    expect((await retaining).data).toMatchObject({ cn: '3015', qnRtn: 1, exeRtn: 1, succeeded: true, data: { VaseNo: '7' } });

    // 1011 reads the clock: the time the device reports comes back through the database
    const reading = send(0, 'ROUTE-1', { kind: 'GET_TIME' });
    const get = await device.next();
    device.write(reply(get, '9011', 'QnRtn=1') + reply(get, '1011', 'SystemTime=20240501083015') + reply(get, '9012', 'ExeRtn=1'));
    expect((await reading).data).toMatchObject({ cn: '1011', systemTime: '2024-05-01T00:30:15.000Z' });
    device.close();
  });

  it('reports a device that refuses, or does not answer, as if it were connected to the instance asked', async () => {
    const device = await deviceOn(2, 'ROUTE-2');
    const refused = send(0, 'ROUTE-2', { kind: 'SET_TIME' });
    const set = await device.next();
    device.write(reply(set, '9011', 'QnRtn=2'));
    expect((await refused).data).toMatchObject({ cn: '1012', qnRtn: 2, exeRtn: null, succeeded: false });

    const silent = send(1, 'ROUTE-2', { kind: 'GET_TIME', timeoutSeconds: 1 });
    const get = await device.next();
    device.write(reply(get, '9011', 'QnRtn=1'));
    expect(await silent).toMatchObject({ __typename: 'Hj212CommandTimeoutError', mn: 'ROUTE-2', qnRtn: 1 });
    device.close();
  });

  it('follows a device that reconnects to another instance, and says when no instance holds it', async () => {
    const first = await deviceOn(0, 'ROUTE-1');
    first.close();
    await eventually(async () => ((await holder('ROUTE-1')) === undefined ? true : undefined));
    expect(await send(1, 'ROUTE-1', { kind: 'GET_TIME' })).toEqual({
      __typename: 'Hj212DeviceNotConnectedError',
      mn: 'ROUTE-1',
      message: 'device ROUTE-1 is not connected to any hub instance',
    });

    const moved = await deviceOn(2, 'ROUTE-1');
    const reading = send(0, 'ROUTE-1', { kind: 'GET_TIME' });
    const get = await moved.next();
    moved.write(reply(get, '9011', 'QnRtn=1') + reply(get, '1011', 'SystemTime=20240501090000') + reply(get, '9012', 'ExeRtn=1'));
    expect((await reading).data).toMatchObject({ cn: '1011', succeeded: true });
    moved.close();
  });

  /** A counter summed over the three instances' /metrics. */
  const total = async (name: string, labels: Record<string, string>): Promise<number[]> =>
    Promise.all(
      hubs.map(async (th) => {
        const text = await (await fetch(`http://127.0.0.1:${th.hub.port}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
        const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
        const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && wanted.every((w) => l.includes(w)));
        return line ? Number(line.split(' ').pop()) : 0;
      }),
    );
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

  it('runs a periodic job once per period across the instances, whichever ticks first', async () => {
    const job = { worker: 'monitoring.interruption' };
    // every instance has ticked at least once in this period: one ran it, the others left it
    const ticked = await eventually(async () => {
      const [runs, skipped] = [await total('envhub_worker_runs_total', { ...job, outcome: 'ok' }), await total('envhub_worker_skipped_total', job)];
      return runs.every((r, i) => r + (skipped[i] ?? 0) >= 1) && sum(skipped) >= 2 ? runs : undefined;
    });
    expect(sum(ticked)).toBe(1);
    clock += 1000;
    const next = await eventually(async () => {
      const runs = await total('envhub_worker_runs_total', { ...job, outcome: 'ok' });
      return sum(runs) >= 2 ? runs : undefined;
    });
    expect(sum(next)).toBe(2);
  });

  it('hands each event to one instance’s worker', async () => {
    await setLimit(hub(0), admin, { monitorKind: 'WASTEWATER_OUTLET', factor: 'w01018', upper: 100 });
    const worker = { worker: 'grid.exceedance-dispatch', outcome: 'ok' };
    const before = sum(await total('envhub_worker_runs_total', worker));
    const report = await ingest(hub(1), admin, [{ mn: 'ROUTE-2', time: new Date(clock - 60_000), value: 180 }]);
    expect(report.episodesOpened).toBe(1);
    await eventually(async () =>
      (
        await sql<{ lag: string }[]>`SELECT (SELECT max(id) FROM hub_events) - last_event_id AS lag FROM hub_consumers WHERE name = 'grid.exceedance-dispatch'`
      )[0]?.lag === '0'
        ? true
        : undefined,
    );
    expect(sum(await total('envhub_worker_runs_total', worker)) - before).toBe(1);
  });

  it('stops accepting a device password on every instance once it is changed on one', async () => {
    const device = await deviceOn(1, 'RELAY-1');
    const changed = await hub(0).graphql<{ updateMonitor: { __typename: string } }>(
      'mutation($id: ID!) { updateMonitor(id: $id, input: { password: "new-secret-1" }) { __typename } }',
      { id: ids['RELAY-1'] },
      admin,
    );
    expect(changed.body.data?.updateMonitor.__typename).toBe('MutationUpdateMonitorSuccess');
    // the second instance checked the old password minutes ago and would trust it for a while
    const answer = await eventually(async () => {
      device.upload({
        qn: `2024050108${String(Date.now() % 10_000_000).padStart(7, '0')}`,
        st: '32',
        cn: '2011',
        pw: PW,
        mn: 'RELAY-1',
        flag: 5,
        dataTime: new Date(clock - 30_000),
        items: [{ code: 'w01018', values: { Rtd: 2 } }],
      });
      const reply = await device.next();
      return reply.cn === '9011' ? reply : undefined;
    });
    expect(answer.cpFields.QnRtn).toBe('3');
    device.close();
  });
});
