import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDevicePassword } from '../../../src/demo/devices';
import { encodeSegment } from '../../../src/ingest/hj212/encode';
import { encodeFrame } from '../../../src/ingest/hj212/frame';
import type { Hj212Message } from '../../../src/ingest/hj212/message';
import { hj212GatewayRef } from '../../../src/ingest/hj212/service';
import { monitoringServiceRef, type ExceedanceEventPayload } from '../../../src/monitoring/public';
import { RawDevice, eventually } from '../../ingest/hj212/device-client';
import { RESULT_FIELDS, data, noErrors, permitWastewaterOutlet, startSourceHub, uscc, type SourceHub } from './support';
import { ENGINES } from '../../support/hub';

const MINUTE = 60_000;
const RETENTION = 'id bottleNumber factor commandStatus commandAttempts deviceMn commandQn qnRtn exeRtn deviceBottle commandSentAt commandAnsweredAt';

interface Retention {
  id: string;
  bottleNumber: number;
  factor: string;
  commandStatus: string;
  commandAttempts: number;
  deviceMn: string | null;
  commandQn: string | null;
  qnRtn: number | null;
  exeRtn: number | null;
  deviceBottle: number | null;
  commandSentAt: string | null;
  commandAnsweredAt: string | null;
}

/** Enterprises by serial: each has one wastewater outlet DW001 with logger `SC<serial>W` and a sampler driven by it. */
const ENTERPRISES = [1, 2, 3, 4, 5] as const;
/** How long the hub waits for a logger's answers here: long enough for the tests that answer, short for the one that does not. */
const COMMAND_TIMEOUT_SECONDS = 5;
const mnOf = (serial: number) => `SC${serial}W`;

describe.each(ENGINES)('3015 to the logger of a water sampler on %s', (engine) => {
  let s: SourceHub;
  let port: number;
  const start = new Date(Date.now() - 3 * 3_600_000);
  const at = (minutes: number) => new Date(start.getTime() + minutes * MINUTE);

  const retentionsOf = async (serial: number): Promise<Retention[]> => {
    const response = await s.hub.graphql(
      `query($u: String!) { enterprise(uscc: $u) { samplers { deviceMn retentions { ${RETENTION} } } } }`,
      { u: uscc(200 + serial) },
      s.tokens.district,
    );
    noErrors(response);
    const enterprise = (response.body.data as { enterprise: { samplers: { deviceMn: string | null; retentions: Retention[] }[] } }).enterprise;
    expect(enterprise.samplers[0]?.deviceMn).toBe(mnOf(serial));
    return enterprise.samplers[0]?.retentions ?? [];
  };
  /** The single retention of an enterprise's sampler once its command has come to `status`. */
  const retentionIn = (serial: number, status: string) =>
    eventually(async () => {
      const [retention] = await retentionsOf(serial);
      return retention?.commandStatus === status ? retention : undefined;
    });

  const resend = async (id: string, token = s.tokens.district) =>
    data<Retention & { __typename?: string; message?: string; problems?: { path: string; message: string }[] }>(
      await s.hub.graphql(
        `mutation($id: ID!) { resendSampleRetention(id: $id) { ${RESULT_FIELDS} ... on MutationResendSampleRetentionSuccess { data { ${RETENTION} } } } }`,
        { id },
        token,
      ),
      'resendSampleRetention',
    );

  /** A logger connected as `mn`: it has sent one acknowledged upload within the limit. */
  async function loggedIn(mn: string): Promise<RawDevice> {
    const device = await RawDevice.connect(port);
    upload(device, mn, 0, 60, '20990101000000001');
    expect((await device.next()).cn).toBe('9014');
    return device;
  }
  function upload(device: RawDevice, mn: string, minutes: number, cod: number, qn: string): void {
    device.upload({
      qn,
      st: '32',
      cn: '2011',
      pw: demoDevicePassword(mn),
      mn,
      flag: 5,
      dataTime: at(minutes),
      items: [{ code: 'w01018', values: { Rtd: cod } }],
    });
  }
  const answer = (command: Hj212Message, cn: string, cp: string) =>
    encodeFrame(
      encodeSegment({ qn: command.qn as string, st: cn.startsWith('9') ? '91' : '32', cn, pw: demoDevicePassword(command.mn), mn: command.mn, flag: 4, cp }),
    );
  const exceed = (serial: number) =>
    s.hub.hub.services.get(monitoringServiceRef).ingest([{ mn: mnOf(serial), factor: 'w01018', interval: 'RTD', time: at(1), value: 150, flag: 'N' }]);
  const commandsSent = () => s.hub.hub.services.get(hj212GatewayRef).status().commandsSent;

  beforeAll(async () => {
    s = await startSourceHub(engine, undefined, { HJ212_COMMAND_TIMEOUT_SECONDS: String(COMMAND_TIMEOUT_SECONDS) });
    port = s.hub.hub.services.get(hj212GatewayRef).port as number;
    const { enterprises } = s.source;
    for (const serial of ENTERPRISES) {
      const code = uscc(200 + serial);
      await enterprises.create({ uscc: code, name: `留样企业${serial}`, industry: '电镀', controlLevel: 'CITY', cellCode: 'G01001001' });
      const mn = mnOf(serial);
      await permitWastewaterOutlet(s.source, code, mn);
      const created = data<{ code: string; deviceMn: string }>(
        await s.hub.graphql(
          `mutation($input: CreateWaterSamplerInput!) { createWaterSampler(input: $input) { ${RESULT_FIELDS} ... on MutationCreateWaterSamplerSuccess { data { code deviceMn } } } }`,
          { input: { enterpriseUscc: code, outletCode: 'DW001', code: `LYC${serial}`, deviceMn: mn } },
          s.tokens.district,
        ),
        'createWaterSampler',
      );
      expect(created).toEqual({ code: `LYC${serial}`, deviceMn: mn });
    }
  }, 60_000);

  afterAll(async () => {
    await s?.hub.stop();
  });

  it('sends 3015 to the connected logger when an exceedance opens, and records its answers: DONE', async () => {
    const device = await loggedIn(mnOf(1));
    upload(device, mnOf(1), 1, 150, '20990101000000002');
    expect((await device.next()).cn).toBe('9014');
    const command = await device.next();
    expect(command).toMatchObject({ cn: '3015', st: '32', mn: mnOf(1), cpFields: { PolId: 'w01018' } });

    const [pending] = await retentionsOf(1);
    expect(pending).toMatchObject({
      bottleNumber: 1,
      factor: 'w01018',
      commandStatus: 'PENDING',
      commandAttempts: 1,
      deviceMn: mnOf(1),
      qnRtn: null,
      exeRtn: null,
    });
    const early = await resend(pending?.id as string);
    expect(early.__typename).toBe('ConflictError');

    device.write(answer(command, '9011', 'QnRtn=1') + answer(command, '3015', 'DataTime=20240501083000;VaseNo=5') + answer(command, '9012', 'ExeRtn=1'));
    const done = await retentionIn(1, 'DONE');
    expect(done).toMatchObject({ commandAttempts: 1, deviceMn: mnOf(1), commandQn: command.qn, qnRtn: 1, exeRtn: 1, deviceBottle: 5 });
    expect(done.commandSentAt).not.toBeNull();
    expect(done.commandAnsweredAt).not.toBeNull();

    const again = await resend(done.id);
    expect(again).toMatchObject({ __typename: 'ConflictError', message: 'the device has already confirmed this retention' });
    expect(device.pending).toBe(0);
    device.close();
  });

  it('sends nothing when the exceedance event is delivered again', async () => {
    const [event] = await s.hub.hub.db.query<{ payload: ExceedanceEventPayload | string }>(
      `SELECT payload FROM hub_events WHERE topic = 'monitoring.exceedance.opened' AND payload->>'mn' = '${mnOf(1)}' ORDER BY id LIMIT 1`,
    );
    const payload = (typeof event?.payload === 'string' ? JSON.parse(event.payload) : event?.payload) as ExceedanceEventPayload;
    expect(payload.mn).toBe(mnOf(1));
    const device = await loggedIn(mnOf(1));
    const sent = commandsSent();
    expect(await s.source.retainSample(payload)).toBeUndefined();
    expect(await s.source.retainSample(payload)).toBeUndefined();
    await s.source.samples.commandsSettled();
    expect(commandsSent()).toBe(sent);
    expect(device.pending).toBe(0);
    expect((await retentionsOf(1)).map((r) => [r.commandStatus, r.commandAttempts])).toEqual([['DONE', 1]]);
    device.close();
  });

  it('records NOT_CONNECTED when the logger is offline, and a resend once it is back makes it DONE', async () => {
    await exceed(2);
    const offline = await retentionIn(2, 'NOT_CONNECTED');
    expect(offline).toMatchObject({ commandAttempts: 1, deviceMn: mnOf(2), commandQn: null, qnRtn: null, commandAnsweredAt: null });

    const device = await loggedIn(mnOf(2));
    const resent = resend(offline.id);
    const command = await device.next();
    expect(command).toMatchObject({ cn: '3015', mn: mnOf(2), cpFields: { PolId: 'w01018' } });
    device.write(answer(command, '9011', 'QnRtn=1') + answer(command, '9012', 'ExeRtn=1'));
    expect(await resent).toMatchObject({
      id: offline.id,
      commandStatus: 'DONE',
      commandAttempts: 2,
      commandQn: command.qn,
      qnRtn: 1,
      exeRtn: 1,
      deviceBottle: null,
    });
    expect((await retentionsOf(2)).map((r) => r.commandStatus)).toEqual(['DONE']);
    device.close();
  });

  it('records REFUSED when the logger will not do it (9011 QnRtn 2), and FAILED when it cannot (9012 ExeRtn 2)', async () => {
    const device = await loggedIn(mnOf(3));
    await exceed(3);
    const command = await device.next();
    expect(command.cn).toBe('3015');
    device.write(answer(command, '9011', 'QnRtn=2'));
    const refused = await retentionIn(3, 'REFUSED');
    expect(refused).toMatchObject({ commandAttempts: 1, commandQn: command.qn, qnRtn: 2, exeRtn: null });
    expect(refused.commandAnsweredAt).not.toBeNull();

    const resent = resend(refused.id);
    const second = await device.next();
    expect(second.qn).not.toBe(command.qn);
    device.write(answer(second, '9011', 'QnRtn=1') + answer(second, '9012', 'ExeRtn=2'));
    expect(await resent).toMatchObject({ commandStatus: 'FAILED', commandAttempts: 2, qnRtn: 1, exeRtn: 2 });
    device.close();
  });

  it('records TIMEOUT when the logger does not answer in time, keeping what it did answer', async () => {
    const device = await loggedIn(mnOf(5));
    await exceed(5);
    const command = await device.next();
    expect(command.cn).toBe('3015');
    // no answer at all
    const silent = await retentionIn(5, 'TIMEOUT');
    expect(silent).toMatchObject({ commandAttempts: 1, commandQn: command.qn, qnRtn: null, exeRtn: null, commandAnsweredAt: null });

    // accepted (9011) but never carried out (no 9012)
    const resent = resend(silent.id);
    const second = await device.next();
    device.write(answer(second, '9011', 'QnRtn=1'));
    expect(await resent).toMatchObject({ commandStatus: 'TIMEOUT', commandAttempts: 2, commandQn: second.qn, qnRtn: 1, exeRtn: null });
    device.close();
  });

  it('lets the district resend, refuses anyone else, and needs a logger to send to', async () => {
    await exceed(4);
    const offline = await retentionIn(4, 'NOT_CONNECTED');
    const enterprise = await s.enterpriseToken(uscc(204));
    const refused = await s.hub.graphql(`mutation($id: ID!) { resendSampleRetention(id: $id) { __typename } }`, { id: offline.id }, enterprise);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const anonymous = await s.hub.graphql(`mutation($id: ID!) { resendSampleRetention(id: $id) { __typename } }`, { id: offline.id });
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    const cleared = await s.hub.graphql(
      `mutation { setWaterSamplerDevice(code: "LYC4") { ${RESULT_FIELDS} ... on MutationSetWaterSamplerDeviceSuccess { data { deviceMn } } } }`,
      {},
      s.tokens.district,
    );
    expect(data(cleared, 'setWaterSamplerDevice')).toEqual({ deviceMn: null });
    expect(await resend(offline.id)).toMatchObject({
      __typename: 'ValidationError',
      problems: [{ path: 'id', message: 'the sampler has no data logger: set its deviceMn first' }],
    });
    expect(await resend(Buffer.from('Camera:1').toString('base64'))).toMatchObject({
      __typename: 'ValidationError',
      problems: [{ path: 'id', message: 'not a SampleRetention id' }],
    });

    // the enterprise sees its own retention and where its command stands
    const own = await s.hub.graphql(`query($id: ID!) { node(id: $id) { ... on SampleRetention { commandStatus deviceMn } } }`, { id: offline.id }, enterprise);
    noErrors(own);
    expect(own.body.data).toEqual({ node: { commandStatus: 'NOT_CONNECTED', deviceMn: mnOf(4) } });
    const other = await s.hub.graphql(`query($id: ID!) { node(id: $id) { id } }`, { id: offline.id }, await s.enterpriseToken(uscc(203)));
    expect(other.body.data).toEqual({ node: null });
  });
});
