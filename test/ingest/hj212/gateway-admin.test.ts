import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDataUpload, encodeSegment } from '../../../src/ingest/hj212/encode';
import { encodeFrame } from '../../../src/ingest/hj212/frame';
import { hj212GatewayRef } from '../../../src/ingest/hj212/service';
import type { Hj212Message } from '../../../src/ingest/hj212/message';
import { startTestHub, type TestHub } from '../../support/hub';
import { createMonitor } from '../../support/monitoring';
import { RawDevice } from './device-client';

const PW = '123456';
const STANDARD_FRAME = '##0101QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&1C80\r\n';

const SEND = `mutation($mn: String!, $c: Hj212CommandInput!) {
  sendHj212Command(mn: $mn, command: $c) {
    __typename
    ... on MutationSendHj212CommandSuccess { data { qn cn qnRtn exeRtn succeeded systemTime rtdIntervalSeconds data } }
    ... on Hj212CommandTimeoutError { message mn qnRtn }
    ... on Hj212DeviceNotConnectedError { message mn }
    ... on ValidationError { problems { path message } }
  }
}`;

type SendResult = {
  __typename: string;
  data?: {
    qn: string;
    cn: string;
    qnRtn: number | null;
    exeRtn: number | null;
    succeeded: boolean;
    systemTime: string | null;
    rtdIntervalSeconds: number | null;
    data: Record<string, string>;
  };
  mn?: string;
  qnRtn?: number | null;
  problems?: { path: string; message: string }[];
};

describe('HJ 212 gateway administration (pglite)', () => {
  let th: TestHub;
  let admin: string;
  let port: number;

  beforeAll(async () => {
    th = await startTestHub();
    admin = await th.token({ roles: ['admin'] });
    for (const mn of ['CMD001', 'CMD002', 'CMD2005', 'CMD003', 'CMD3015']) await createMonitor(th, admin, { mn, password: PW });
    port = th.hub.services.get(hj212GatewayRef).port as number;
  });
  afterAll(async () => {
    await th?.stop();
  });

  /** A device that has authenticated by sending one acknowledged upload. */
  async function connectedDevice(mn: string, flag = 5): Promise<RawDevice> {
    const device = await RawDevice.connect(port);
    device.upload({
      qn: '20240501080000001',
      st: '32',
      cn: '2011',
      pw: PW,
      mn,
      flag,
      dataTime: new Date('2024-05-01T00:00:00Z'),
      items: [{ code: 'w01018', values: { Rtd: 1 } }],
    });
    expect((await device.next()).cn).toBe('9014');
    return device;
  }

  const send = async (mn: string, command: Record<string, unknown>) => {
    const { body } = await th.graphql<{ sendHj212Command: SendResult }>(SEND, { mn, c: command }, admin);
    if (!body.data) throw new Error(JSON.stringify(body.errors));
    return body.data.sendHj212Command;
  };

  const reply = (command: Hj212Message, cn: string, cp: string, flag: number | undefined = 4) =>
    encodeFrame(
      encodeSegment({
        qn: command.qn as string,
        st: cn.startsWith('9') ? '91' : '32',
        cn,
        pw: PW,
        mn: command.mn,
        ...(flag === undefined ? {} : { flag }),
        cp,
      }),
    );

  it('sets the real-time interval and reports the device’s 9011 and 9012 answers', async () => {
    const device = await connectedDevice('CMD001');
    const pending = send('CMD001', { kind: 'SET_RTD_INTERVAL', rtdIntervalSeconds: 30 });
    const command = await device.next();
    expect(command).toMatchObject({ cn: '1062', st: '32', pw: PW, mn: 'CMD001', flag: 5, cpFields: { RtdInterval: '30' } });
    expect(command.qn).toMatch(/^\d{17}$/);
    device.write(reply(command, '9011', 'QnRtn=1') + reply(command, '9012', 'ExeRtn=1'));
    expect(await pending).toEqual({
      __typename: 'MutationSendHj212CommandSuccess',
      data: { qn: command.qn, cn: '1062', qnRtn: 1, exeRtn: 1, succeeded: true, systemTime: null, rtdIntervalSeconds: null, data: {} },
    });
    device.close();
  });

  it('reads the logger’s clock with 1011, and sets it with 1012', async () => {
    const device = await connectedDevice('CMD002');
    const reading = send('CMD002', { kind: 'GET_TIME' });
    const get = await device.next();
    expect(get.cn).toBe('1011');
    device.write(reply(get, '9011', 'QnRtn=1') + reply(get, '1011', 'SystemTime=20240501083015') + reply(get, '9012', 'ExeRtn=1'));
    const got = await reading;
    expect(got.data).toMatchObject({ cn: '1011', qnRtn: 1, exeRtn: 1, systemTime: '2024-05-01T00:30:15.000Z', data: { SystemTime: '20240501083015' } });

    const setting = send('CMD002', { kind: 'SET_TIME', systemTime: '2024-05-01T08:00:00+08:00' });
    const set = await device.next();
    expect(set).toMatchObject({ cn: '1012', cpFields: { SystemTime: '20240501080000' } });
    device.write(reply(set, '9011', 'QnRtn=2'));
    expect((await setting).data).toMatchObject({ cn: '1012', qnRtn: 2, exeRtn: null, succeeded: false });
    device.close();
  });

  it('asks a logger’s sampler to retain a sample (3015) and reports the bottle the device used', async () => {
    const device = await connectedDevice('CMD3015');
    const pending = send('CMD3015', { kind: 'RETAIN_SAMPLE', polId: 'w01018' });
    const command = await device.next();
    expect(command).toMatchObject({ cn: '3015', st: '32', mn: 'CMD3015', flag: 5, cpFields: { PolId: 'w01018' } });
    device.write(reply(command, '9011', 'QnRtn=1') + reply(command, '3015', 'DataTime=20240501083000;VaseNo=7') + reply(command, '9012', 'ExeRtn=1'));
    expect((await pending).data).toMatchObject({ cn: '3015', qnRtn: 1, exeRtn: 1, succeeded: true, data: { DataTime: '20240501083000', VaseNo: '7' } });

    const bare = send('CMD3015', { kind: 'RETAIN_SAMPLE' });
    const second = await device.next();
    expect(second.cn).toBe('3015');
    expect(second.cpFields).toEqual({});
    device.write(reply(second, '9011', 'QnRtn=1') + reply(second, '9012', 'ExeRtn=2'));
    expect((await bare).data).toMatchObject({ cn: '3015', qnRtn: 1, exeRtn: 2, succeeded: false, data: {} });

    expect(await send('CMD3015', { kind: 'RETAIN_SAMPLE', polId: 'w01018;x' })).toEqual({
      __typename: 'ValidationError',
      problems: [{ path: 'command.polId', message: 'must be 1-20 letters or digits' }],
    });
    device.close();
  });

  it('speaks to a 2005 device in its own edition and matches its answers carrying QN in CP', async () => {
    const device = await connectedDevice('CMD2005', 1);
    const pending = send('CMD2005', { kind: 'GET_RTD_INTERVAL' });
    const command = await device.next();
    expect(command).toMatchObject({ cn: '1061', flag: 1, edition: '2005' });
    const answer2005 = (cn: string, cp: string) => encodeFrame(encodeSegment({ st: '91', cn, pw: PW, mn: 'CMD2005', cp: `QN=${command.qn};${cp}` }));
    device.write(answer2005('9011', 'QnRtn=1'));
    device.write(encodeFrame(encodeSegment({ qn: command.qn as string, st: '32', cn: '1061', pw: PW, mn: 'CMD2005', cp: 'RtdInterval=60' })));
    device.write(answer2005('9012', 'ExeRtn=1'));
    expect((await pending).data).toMatchObject({ cn: '1061', qnRtn: 1, exeRtn: 1, rtdIntervalSeconds: 60, succeeded: true });
    device.close();
  });

  it('reports a device that does not answer, one that is not connected, and a request it cannot send', async () => {
    const device = await connectedDevice('CMD003');
    const silent = send('CMD003', { kind: 'GET_TIME', timeoutSeconds: 1 });
    const command = await device.next();
    expect(await silent).toMatchObject({ __typename: 'Hj212CommandTimeoutError', mn: 'CMD003', qnRtn: null });

    const half = send('CMD003', { kind: 'GET_TIME', timeoutSeconds: 1 });
    device.write(reply(await device.next(), '9011', 'QnRtn=1'));
    expect(await half).toMatchObject({ __typename: 'Hj212CommandTimeoutError', qnRtn: 1 });
    expect(command.cn).toBe('1011');

    expect(await send('NOTHERE', { kind: 'GET_TIME' })).toMatchObject({ __typename: 'Hj212DeviceNotConnectedError', mn: 'NOTHERE' });
    expect(await send('CMD003', { kind: 'SET_RTD_INTERVAL' })).toEqual({
      __typename: 'ValidationError',
      problems: [{ path: 'command.rtdIntervalSeconds', message: 'SET_RTD_INTERVAL needs 1-86400 seconds' }],
    });
    device.close();
  });

  it('sets the clock of a device that asks for it (1013)', async () => {
    const device = await connectedDevice('CMD003');
    device.write(encodeFrame(encodeSegment({ qn: '20240501080000009', st: '32', cn: '1013', pw: PW, mn: 'CMD003', flag: 5, cp: '' })));
    const command = await device.next();
    expect(command.cn).toBe('1012');
    expect(command.cpFields.SystemTime).toMatch(/^\d{14}$/);
    device.close();
  });

  it('checks a changed password at once, not against what it remembered', async () => {
    const device = await connectedDevice('CMD001');
    const { body } = await th.graphql<{ monitor: { id: string } }>(`{ monitor(mn: "CMD001") { id } }`, {}, admin);
    const changed = await th.graphql<{ updateMonitor: { __typename: string } }>(
      `mutation($id: ID!) { updateMonitor(id: $id, input: { password: "999999" }) { __typename } }`,
      { id: body.data?.monitor.id },
      admin,
    );
    expect(changed.body.data?.updateMonitor.__typename).toBe('MutationUpdateMonitorSuccess');
    const upload = (pw: string, qn: string) =>
      encodeFrame(
        buildDataUpload({
          qn,
          st: '32',
          cn: '2011',
          pw,
          mn: 'CMD001',
          dataTime: new Date('2024-05-01T00:01:00Z'),
          items: [{ code: 'w01018', values: { Rtd: 2 } }],
        }),
      );
    device.write(upload(PW, '20240501080100001'));
    expect(await device.next()).toMatchObject({ cn: '9011', cpFields: { QnRtn: '3' } });
    device.write(upload('999999', '20240501080100002'));
    expect(await device.next()).toMatchObject({ cn: '9014', qn: '20240501080100002' });
    device.close();
  });

  it('decodes a pasted frame for an administrator, password masked, and refuses anyone else', async () => {
    const query = `query($f: String!) { decodeHj212(frame: $f) {
      valid reason detail declaredLength actualLength crcFound crcExpected crcKind edition
      header { qn st cn pwMasked mn flag ackRequested pnum pno } cpFields dataTime
      items { code factor known name unit values { kind value } flag } } }`;
    const { body } = await th.graphql(query, { f: STANDARD_FRAME }, admin);
    expect(body.data).toEqual({
      decodeHj212: {
        valid: true,
        reason: null,
        detail: null,
        declaredLength: 101,
        actualLength: 101,
        crcFound: '1C80',
        crcExpected: '1C80',
        crcKind: 'hj212',
        edition: '2017',
        header: {
          qn: '20160801085857223',
          st: '32',
          cn: '1062',
          pwMasked: '10****',
          mn: '010000A8900016F000169DC0',
          flag: 5,
          ackRequested: true,
          pnum: null,
          pno: null,
        },
        cpFields: { RtdInterval: '30' },
        dataTime: null,
        items: [],
      },
    });

    const upload = encodeFrame(
      encodeSegment({ qn: '1', st: '32', cn: '2011', pw: 'secret', mn: 'X1', flag: 5, cp: 'DataTime=20240501080000;011-Rtd=12.5,011-Flag=N;zz9-Rtd=1' }),
    );
    const broken = upload.replace(/[0-9A-F]{4}\r\n$/, '0000\r\n');
    const decoded = await th.graphql<{
      decodeHj212: {
        valid: boolean;
        reason: string;
        header: { pwMasked: string };
        items: {
          code: string;
          factor: string;
          known: boolean;
          name: string | null;
          unit: string | null;
          values: { kind: string; value: number }[];
          flag: string | null;
        }[];
      };
    }>(query, { f: broken }, admin);
    expect(decoded.body.data?.decodeHj212).toMatchObject({ valid: false, reason: 'bad-crc', header: { pwMasked: 'se****' } });
    expect(decoded.body.data?.decodeHj212.items).toEqual([
      { code: '011', factor: 'w01018', known: true, name: '化学需氧量', unit: 'mg/L', values: [{ kind: 'Rtd', value: 12.5 }], flag: 'N' },
      { code: 'zz9', factor: 'zz9', known: false, name: null, unit: null, values: [{ kind: 'Rtd', value: 1 }], flag: null },
    ]);

    const enterprise = await th.token({ roles: ['enterprise'], enterprise: '91510112MA0000000X' });
    const refused = await th.graphql(query, { f: STANDARD_FRAME }, enterprise);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(refused.body.data ?? null).toBeNull();
    const mutation = await th.graphql(SEND, { mn: 'CMD001', c: { kind: 'GET_TIME' } }, enterprise);
    expect(mutation.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
