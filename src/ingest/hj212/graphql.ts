import type { HubBuilder } from '../../graphql/builder';
import { errorInterface } from '../../graphql/error-types';
import { ValidationError } from '../../errors';
import { CommandTimeoutError, DeviceNotConnectedError, type CommandResult } from './commands';
import type { DiagnosedHeader, DiagnosedItem, FrameDiagnosis } from './diagnose';
import type { ConnectedDevice } from './gateway';
import type { Hj212Facility } from './message';
import { hj212GatewayRef, MAX_COMMAND_TIMEOUT_SECONDS, type GatewayStatus } from './service';
import { boundedList, limitArgument, limitedList } from '../../graphql/cost/declare';

/** Items (and facilities) a diagnosed frame can show: a data segment of at most 4 KiB holds no more. */
const MAX_DIAGNOSED_ITEMS = 500;
/** Kinds of refusal the gateway counts (frame, parse, authentication, rate). */
const REJECTION_REASONS = 40;
/** Values one item carries: Rtd, Avg, Min, Max, Cou, ZsRtd, ZsAvg, ZsMin, ZsMax and the like. */
const ITEM_VALUE_KINDS = 16;

const CONNECTED_DEVICES = { default: 50, max: 500 } as const;
import { zhValues } from '../../graphql/zh';

const admin = { authScopes: { admin: true } } as const;

/** Administrators' view of the HJ 212 gateway: frame diagnosis, counters, device commands. */
export function registerHj212Schema(builder: HubBuilder): void {
  const HeaderRef = builder.objectRef<DiagnosedHeader>('Hj212Header').implement({
    fields: (t) => ({
      qn: t.exposeString('qn', { nullable: true, description: 'request id; absent in some 2005 frames' }),
      st: t.exposeString('st', { description: 'system code' }),
      cn: t.exposeString('cn', { description: 'command code' }),
      pwMasked: t.exposeString('pwMasked', { description: 'access password, all but the first two characters masked' }),
      mn: t.exposeString('mn'),
      flag: t.exposeInt('flag', { nullable: true }),
      ackRequested: t.exposeBoolean('ackRequested', { description: 'Flag bit A: the device waits for an answer' }),
      pnum: t.int({ nullable: true, description: 'packets in a split message', resolve: (h) => h.split?.pnum ?? null }),
      pno: t.int({ nullable: true, description: 'this packet’s number', resolve: (h) => h.split?.pno ?? null }),
    }),
  });
  const ItemValueRef = builder.objectRef<{ kind: string; value: number }>('Hj212ItemValue').implement({
    fields: (t) => ({
      kind: t.exposeString('kind', { description: 'Rtd, Avg, Min, Max, Cou, ZsRtd, ZsAvg, ZsMin or ZsMax' }),
      value: t.exposeFloat('value'),
    }),
  });
  const ItemRef = builder.objectRef<DiagnosedItem>('Hj212DataItem').implement({
    fields: (t) => ({
      code: t.exposeString('code', { description: 'factor code as sent (2017 code, 2005 alias or unknown)' }),
      factor: t.exposeString('factor', { description: 'the 2017 code the value is stored under' }),
      known: t.exposeBoolean('known', { description: 'the code is in the factor catalog' }),
      name: t.exposeString('name', { nullable: true }),
      unit: t.exposeString('unit', { nullable: true, description: 'the catalog’s default unit' }),
      values: t.field({
        type: [ItemValueRef],
        extensions: boundedList(ITEM_VALUE_KINDS, { computed: true }),
        resolve: (item) => Object.entries(item.values).map(([kind, value]) => ({ kind, value: value as number })),
      }),
      flag: t.exposeString('flag', { nullable: true, description: 'data flag (N, F, M, S, D, C, T, B)' }),
      unparsed: t.field({ type: 'JSON', nullable: true, description: 'values that are not numbers, as sent', resolve: (item) => item.unparsed ?? null }),
    }),
  });
  const FacilityRef = builder.objectRef<Hj212Facility>('Hj212Facility').implement({
    fields: (t) => ({
      id: t.exposeString('id'),
      runStatus: t.int({
        nullable: true,
        description: '0 off, 1 running, 2 calibrating, 3 maintenance, 4 alarm, 5 blowback',
        resolve: (f) => f.runStatus ?? null,
      }),
      runHours: t.float({ nullable: true, resolve: (f) => f.runHours ?? null }),
    }),
  });
  const DiagnosisRef = builder.objectRef<FrameDiagnosis>('Hj212Diagnosis').implement({
    description: 'What the gateway makes of one frame, by the same decoder and parser it runs on device traffic.',
    fields: (t) => ({
      valid: t.exposeBoolean('valid', { description: 'the gateway would accept the frame' }),
      reason: t.exposeString('reason', {
        nullable: true,
        description: 'why not: bad-header, bad-length, too-long, bad-crc, modbus-crc, bad-terminator, bad-encoding, missing-field, bad-field, bad-cp',
      }),
      detail: t.exposeString('detail', { nullable: true }),
      declaredLength: t.exposeInt('declaredLength', { nullable: true }),
      actualLength: t.exposeInt('actualLength', { nullable: true, description: 'UTF-8 bytes of the data segment' }),
      crcFound: t.exposeString('crcFound', { nullable: true }),
      crcExpected: t.exposeString('crcExpected', { nullable: true }),
      crcKind: t.exposeString('crcKind', { nullable: true, description: 'hj212, modbus-low-first or mismatch' }),
      edition: t.exposeString('edition', { nullable: true, description: '2005, 2017 or 2025' }),
      header: t.field({ type: HeaderRef, nullable: true, resolve: (d) => d.header ?? null }),
      cpFields: t.field({ type: 'JSON', description: 'non-factor CP fields (DataTime, QnRtn, ...)', resolve: (d) => d.cpFields }),
      dataTime: t.field({ type: 'DateTime', nullable: true, resolve: (d) => d.dataTime ?? null }),
      items: t.field({ extensions: boundedList(MAX_DIAGNOSED_ITEMS, { computed: true }), type: [ItemRef], resolve: (d) => d.items }),
      facilities: t.field({ extensions: boundedList(MAX_DIAGNOSED_ITEMS, { computed: true }), type: [FacilityRef], resolve: (d) => d.facilities }),
      unknownKeys: t.field({ type: 'JSON', description: 'whatever could not be mapped, kept as sent', resolve: (d) => d.unknownKeys }),
    }),
  });

  const RejectionRef = builder.objectRef<GatewayStatus['rejections'][number]>('Hj212Rejection').implement({
    fields: (t) => ({ reason: t.exposeString('reason'), count: t.exposeInt('count') }),
  });
  const ConnectedDeviceRef = builder.objectRef<ConnectedDevice>('Hj212ConnectedDevice').implement({
    fields: (t) => ({
      mn: t.exposeString('mn'),
      edition: t.exposeString('edition'),
      remoteAddress: t.exposeString('remoteAddress'),
      connectedAt: t.field({ type: 'DateTime', resolve: (d) => d.connectedAt }),
      lastFrameAt: t.field({ type: 'DateTime', nullable: true, resolve: (d) => d.lastFrameAt ?? null }),
      framesReceived: t.exposeInt('framesReceived'),
    }),
  });
  const StatsRef = builder.objectRef<GatewayStatus>('Hj212GatewayStats').implement({
    description: 'Counters of this hub instance’s gateway since it started.',
    fields: (t) => ({
      running: t.exposeBoolean('running'),
      port: t.exposeInt('port', { nullable: true }),
      since: t.field({ type: 'DateTime', resolve: (s) => s.since }),
      connectionsOpen: t.exposeInt('connectionsOpen'),
      connectionsTotal: t.exposeInt('connectionsTotal'),
      connectionsRefused: t.exposeInt('connectionsRefused', { description: 'beyond HJ212_MAX_CONNECTIONS with no unauthenticated connection to replace' }),
      connectionsIdleClosed: t.exposeInt('connectionsIdleClosed', { description: 'closed after HJ212_IDLE_TIMEOUT_SECONDS without a valid frame' }),
      connectionsAuthTimedOut: t.exposeInt('connectionsAuthTimedOut', { description: 'closed for not authenticating within HJ212_AUTH_TIMEOUT_SECONDS' }),
      connectionsEvicted: t.exposeInt('connectionsEvicted', { description: 'unauthenticated connections closed to make room for newer ones' }),
      connectionsUnauthenticated: t.exposeInt('connectionsUnauthenticated', { description: 'open connections on which no device has authenticated' }),
      devicesConnected: t.exposeInt('devicesConnected', { description: 'authenticated MNs with an open connection' }),
      framesAccepted: t.exposeInt('framesAccepted'),
      framesRejected: t.exposeInt('framesRejected'),
      framesIgnored: t.exposeInt('framesIgnored', { description: 'valid frames whose command the gateway does not act on (logged)' }),
      rejections: t.field({
        extensions: boundedList(REJECTION_REASONS, { computed: true }),
        type: [RejectionRef],
        description: 'refused frames by reason, most frequent first',
        resolve: (s) => s.rejections,
      }),
      acksSent: t.exposeInt('acksSent', { description: '9014 data acknowledgements' }),
      requestRepliesSent: t.exposeInt('requestRepliesSent', { description: '9011 replies refusing an unknown MN or a wrong PW' }),
      commandsSent: t.exposeInt('commandsSent'),
      readingsStored: t.exposeInt('readingsStored'),
      readingsDuplicate: t.exposeInt('readingsDuplicate', { description: 'retransmitted values already stored' }),
      readingsRejected: t.exposeInt('readingsRejected', { description: 'values the monitoring core refused (e.g. time in the future)' }),
      splitPacketsHeld: t.exposeInt('splitPacketsHeld'),
      splitMessagesCompleted: t.exposeInt('splitMessagesCompleted'),
      splitMessagesExpired: t.exposeInt('splitMessagesExpired'),
      splitMessagesPending: t.exposeInt('splitMessagesPending'),
      deviceStatesRecorded: t.exposeInt('deviceStatesRecorded', { description: '2021 facility status and 2081 restart reports' }),
      passwordChecks: t.exposeInt('passwordChecks', { description: 'device PWs checked against their stored hash (remembered results need none)' }),
      authLockouts: t.exposeInt('authLockouts', { description: 'MN and client address lockouts started after too many wrong PWs' }),
      connectedDevices: t.field({
        type: [ConnectedDeviceRef],
        description: 'devices connected now, most recently heard first',
        args: { limit: t.arg.int(limitArgument(CONNECTED_DEVICES)) },
        extensions: limitedList(CONNECTED_DEVICES),
        resolve: (_s, args, ctx) => ctx.services.get(hj212GatewayRef).connectedDevices(args.limit ?? CONNECTED_DEVICES.default),
      }),
    }),
  });

  const CommandKindEnum = builder.enumType('Hj212CommandKind', {
    values: zhValues(
      {
        GET_TIME: { description: 'CN 1011: read the logger’s clock' },
        SET_TIME: { description: 'CN 1012: set the logger’s clock (time calibration)' },
        GET_RTD_INTERVAL: { description: 'CN 1061: read the real-time upload interval' },
        SET_RTD_INTERVAL: { description: 'CN 1062: set the real-time upload interval' },
        RETAIN_SAMPLE: {
          description: 'CN 3015: have the sampler the logger controls retain a sample (超标留样); the bottle it used comes back as VaseNo in `data`',
        },
      } as const,
      {
        GET_RTD_INTERVAL: '提取实时数据间隔',
        GET_TIME: '提取现场机时间',
        RETAIN_SAMPLE: '超标留样',
        SET_RTD_INTERVAL: '设置实时数据间隔',
        SET_TIME: '设置现场机时间',
      },
    ),
  });
  const CommandInput = builder.inputType('Hj212CommandInput', {
    fields: (t) => ({
      kind: t.field({ type: CommandKindEnum, required: true }),
      systemTime: t.field({ type: 'DateTime', required: false, description: 'SET_TIME: defaults to the hub’s clock' }),
      rtdIntervalSeconds: t.int({ required: false, description: 'SET_RTD_INTERVAL: 1-86400' }),
      polId: t.string({
        required: false,
        description: 'GET_TIME/SET_TIME: the instrument, when the logger has several; RETAIN_SAMPLE: the pollutant the sample is for',
      }),
      timeoutSeconds: t.int({
        required: false,
        description: `how long to wait for the device’s answers; 1-${MAX_COMMAND_TIMEOUT_SECONDS}, default HJ212_COMMAND_TIMEOUT_SECONDS (15)`,
      }),
    }),
  });
  const CommandResultRef = builder.objectRef<CommandResult>('Hj212CommandResult').implement({
    fields: (t) => ({
      qn: t.exposeString('qn', { description: 'the request id the answers were matched by' }),
      cn: t.exposeString('cn'),
      qnRtn: t.exposeInt('qnRtn', {
        nullable: true,
        description: '9011: 1 ready, 2 refused, 3 bad PW, 4 bad MN, 5 bad ST, 6 bad Flag, 7 bad QN, 8 bad CN, 9 bad CRC, 100 unknown',
      }),
      exeRtn: t.exposeInt('exeRtn', { nullable: true, description: '9012: 1 ok, 2 failed, 3 bad condition, 4 timeout, 5 busy, 6 fault, 100 no data' }),
      succeeded: t.boolean({ resolve: (r) => r.qnRtn === 1 && r.exeRtn === 1 }),
      systemTime: t.field({ type: 'DateTime', nullable: true, description: 'GET_TIME: the logger’s clock', resolve: (r) => r.systemTime }),
      rtdIntervalSeconds: t.exposeInt('rtdIntervalSeconds', { nullable: true, description: 'GET_RTD_INTERVAL: the interval reported' }),
      data: t.field({ type: 'JSON', description: 'every CP field the device sent back', resolve: (r) => r.data }),
    }),
  });
  builder.objectType(DeviceNotConnectedError, {
    name: 'Hj212DeviceNotConnectedError',
    interfaces: [errorInterface(builder)],
    isTypeOf: (value) => value instanceof DeviceNotConnectedError,
    fields: (t) => ({ mn: t.exposeString('mn') }),
  });
  builder.objectType(CommandTimeoutError, {
    name: 'Hj212CommandTimeoutError',
    interfaces: [errorInterface(builder)],
    isTypeOf: (value) => value instanceof CommandTimeoutError,
    fields: (t) => ({
      mn: t.exposeString('mn'),
      qn: t.exposeString('qn'),
      qnRtn: t.exposeInt('qnRtn', { nullable: true, description: 'the 9011 answer, when one came in time' }),
    }),
  });

  builder.queryFields((t) => ({
    decodeHj212: t.field({
      ...admin,
      type: DiagnosisRef,
      description: 'Explains a frame pasted from a device log: valid or why not, lengths, CRC, header (PW masked) and data.',
      args: { frame: t.arg.string({ required: true }) },
      resolve: (_root, args, ctx) => ctx.services.get(hj212GatewayRef).decode(args.frame),
    }),
    hj212GatewayStats: t.field({
      ...admin,
      type: StatsRef,
      resolve: (_root, _args, ctx) => ctx.services.get(hj212GatewayRef).status(),
    }),
  }));

  builder.mutationFields((t) => ({
    sendHj212Command: t.field({
      ...admin,
      type: CommandResultRef,
      description: 'Sends a command to a device connected to this hub’s gateway and waits for its 9011/9012 answers.',
      errors: { types: [ValidationError, DeviceNotConnectedError, CommandTimeoutError] },
      args: { mn: t.arg.string({ required: true }), command: t.arg({ type: CommandInput, required: true }) },
      resolve: (_root, { mn, command }, ctx) => ctx.services.get(hj212GatewayRef).sendCommand(mn, command),
    }),
  }));
}
