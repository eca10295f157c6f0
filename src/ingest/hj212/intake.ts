/**
 * What happens to one frame: parse, match answers to pending commands, authenticate the device,
 * store what it reports, answer it. Every refusal is counted by reason and logged; nothing from an
 * unauthenticated device is stored; an acknowledgement goes out only once the data is committed.
 */

import type { Logger } from 'pino';
import type { MonitoringService } from '../../monitoring/public';
import type { DeviceAuthenticator, DeviceIdentity } from './auth';
import type { IngestBatcher } from './batcher';
import type { DeviceConnection } from './connection';
import type { GatewayCounters, RejectReason } from './counters';
import { COMMAND_REPLY_CNS } from './commands';
import { buildAck, buildRequestReply, QN_RTN } from './encode';
import type { DecodedFrame } from './frame';
import type { Hj212Message } from './message';
import { parseSegment } from './message';
import { facilityStatusOf, INTERVAL_BY_CN, readingsOf, restartTimeOf, runTimesOf } from './readings';
import type { SplitIntake } from './splits';

export type IntakeDeps = {
  counters: GatewayCounters;
  authenticator: DeviceAuthenticator;
  batcher: IngestBatcher;
  splits: SplitIntake;
  monitoring: Pick<MonitoringService, 'recordDeviceState' | 'recordFacilityRunTimes'>;
  logger: Logger;
  now: () => Date;
  /** A device authenticated on a connection: the gateway routes commands for its MN there. */
  bind: (connection: DeviceConnection, message: Hj212Message, device: DeviceIdentity) => void;
  /** A device asked for its clock to be set (1013). */
  calibrateClock: (mn: string) => void;
};

/** 9011 QnRtn for a refused frame: a locked-out MN or address is refused as such, not as a wrong PW. */
const REFUSAL_RTN = { 'unknown-mn': QN_RTN.badMn, 'bad-pw': QN_RTN.badPassword, 'auth-locked': QN_RTN.refused } as const;

const STORED_CNS: ReadonlySet<string> = new Set(['2011', '2051', '2061', '2031', '2021', '2041', '2081']);

/** Device logs may end up in tickets: never write a PW out in clear. */
function maskPw(raw: string | undefined): string | undefined {
  return raw?.replace(/(PW=)[^;&]*/gi, '$1***');
}

export function createFrameIntake(deps: IntakeDeps) {
  const { counters, logger } = deps;

  function refuse(connection: DeviceConnection, reason: RejectReason, details: Record<string, unknown>): void {
    counters.reject(reason);
    const level = connection.firstTime(reason) ? 'warn' : 'debug';
    connection.logger[level]({ reason, ...details }, 'hj212 frame refused');
  }

  function acknowledge(connection: DeviceConnection, message: Hj212Message): void {
    const ack = buildAck(message);
    if (ack !== undefined && connection.send(ack)) counters.acksSent += 1;
  }

  async function recordState(
    connection: DeviceConnection,
    device: DeviceIdentity,
    state: Parameters<MonitoringService['recordDeviceState']>[1],
  ): Promise<boolean> {
    try {
      await deps.monitoring.recordDeviceState(device.monitorId, state);
      counters.deviceStatesRecorded += 1;
      return true;
    } catch (error) {
      counters.reject('state-failed');
      connection.logger.error({ err: error, mn: device.mn }, 'hj212 device state could not be recorded');
      return false;
    }
  }

  /** Stores a whole (reassembled) message; true once it is committed. */
  async function store(connection: DeviceConnection, message: Hj212Message, device: DeviceIdentity): Promise<boolean> {
    const interval = INTERVAL_BY_CN[message.cn];
    if (interval !== undefined) {
      const mapped = readingsOf(message, device.monitorId, interval);
      if (!mapped.ok) {
        refuse(connection, 'missing-datatime', { mn: device.mn, cn: message.cn, qn: message.qn });
        return false;
      }
      if (mapped.unmapped.length > 0 || Object.keys(message.unknownKeys).length > 0) {
        connection.logger.debug(
          { mn: device.mn, cn: message.cn, unmapped: mapped.unmapped, unknownKeys: message.unknownKeys },
          'hj212 values kept out of readings',
        );
      }
      try {
        const outcome = await deps.batcher.submit(mapped.readings);
        counters.readingsStored += outcome.accepted;
        counters.readingsDuplicate += outcome.duplicates;
        counters.readingsRejected += outcome.rejected;
        if (outcome.rejected > 0) {
          // Acknowledged all the same: a resent frame would be refused for the same reason forever.
          const level = connection.firstTime('readings-rejected') ? 'warn' : 'debug';
          connection.logger[level](
            { mn: device.mn, cn: message.cn, rejected: outcome.rejected, reasons: outcome.reasons },
            'hj212 readings refused by the monitoring core',
          );
        }
        return true;
      } catch (error) {
        counters.reject('ingest-failed');
        connection.logger.error({ err: error, mn: device.mn, cn: message.cn, qn: message.qn }, 'hj212 readings could not be stored: not acknowledged');
        return false;
      }
    }
    if (message.cn === '2021') return recordState(connection, device, { facilityStatus: facilityStatusOf(message) });
    if (message.cn === '2081') {
      const restartedAt = restartTimeOf(message);
      if (!restartedAt) {
        refuse(connection, 'missing-datatime', { mn: device.mn, cn: message.cn, qn: message.qn });
        return false;
      }
      return recordState(connection, device, { restartedAt });
    }
    // 2041 daily facility run time
    if (!message.dataTime) {
      refuse(connection, 'missing-datatime', { mn: device.mn, cn: message.cn, qn: message.qn });
      return false;
    }
    try {
      await deps.monitoring.recordFacilityRunTimes(device.monitorId, message.dataTime, runTimesOf(message));
      counters.deviceStatesRecorded += 1;
      return true;
    } catch (error) {
      counters.reject('state-failed');
      connection.logger.error({ err: error, mn: device.mn }, 'hj212 facility run time could not be recorded');
      return false;
    }
  }

  async function handleUpload(connection: DeviceConnection, message: Hj212Message, device: DeviceIdentity): Promise<void> {
    if (!message.split) {
      if (await store(connection, message, device)) {
        counters.framesAccepted += 1;
        acknowledge(connection, message);
      }
      return;
    }
    const outcome = await deps.splits.receive(message, (whole) => store(connection, whole, device));
    if (outcome.held) counters.splitPacketsHeld += 1;
    if (outcome.completed) counters.splitMessagesCompleted += 1;
    if (outcome.dropped.length > 0) {
      counters.splitMessagesExpired += outcome.dropped.length;
      logger.warn({ dropped: outcome.dropped }, 'hj212 incomplete split messages dropped to make room');
    }
    if (outcome.acknowledge) {
      counters.framesAccepted += 1;
      acknowledge(connection, message);
    }
  }

  return async function handleFrame(connection: DeviceConnection, frame: DecodedFrame): Promise<void> {
    if (!frame.ok) {
      refuse(connection, frame.reason, { detail: frame.detail, raw: maskPw(frame.raw) });
      return;
    }
    const parsed = parseSegment(frame.segment);
    if (!parsed.ok) {
      refuse(connection, `parse-${parsed.reason}`, { detail: parsed.detail, raw: maskPw(frame.raw) });
      return;
    }
    const message = parsed.message;
    connection.lastFrameAt = deps.now();
    if (connection.commands.take(message)) {
      counters.framesAccepted += 1;
      connection.heardValidFrame();
      return;
    }
    if (COMMAND_REPLY_CNS.has(message.cn)) {
      counters.framesIgnored += 1;
      connection.logger.debug({ mn: message.mn, cn: message.cn, qn: message.qn }, 'hj212 answer to no pending command');
      return;
    }

    const source = {
      address: connection.addressKey,
      session: connection.devices.get(message.mn)?.pw === message.pw,
      wanted: () => connection.isOpen,
    };
    const auth = await connection.whileChecking(() => deps.authenticator.verify(message.mn, message.pw, source));
    if (!connection.isOpen) {
      // Nobody is there to answer: the device resends what it did not see acknowledged.
      counters.reject('connection-closed');
      return;
    }
    if (!auth.ok) {
      if (auth.reason === 'connection-closed') {
        counters.reject('connection-closed');
        return;
      }
      refuse(connection, auth.reason, { mn: message.mn, cn: message.cn, qn: message.qn });
      // A lockout is answered once per connection: a flood of guesses gets no flood of replies.
      if (message.ackRequested && (auth.reason !== 'auth-locked' || connection.firstTime('auth-locked-answered'))) {
        const reply = buildRequestReply(message, REFUSAL_RTN[auth.reason]);
        if (connection.send(reply)) counters.requestRepliesSent += 1;
      }
      return;
    }
    deps.bind(connection, message, auth.device);
    connection.heardValidFrame();

    if (STORED_CNS.has(message.cn)) return handleUpload(connection, message, auth.device);
    if (message.cn === '1013') {
      counters.framesAccepted += 1;
      deps.calibrateClock(auth.device.mn);
      return;
    }
    counters.framesIgnored += 1;
    const level = connection.firstTime(`cn-${message.cn}`) ? 'info' : 'debug';
    connection.logger[level]({ mn: message.mn, cn: message.cn, qn: message.qn, cp: message.cp }, 'hj212 command code not handled: logged only');
  };
}

export type FrameIntake = ReturnType<typeof createFrameIntake>;
