/**
 * Commands from the platform to a connected device, and the device's answers matched by QN.
 *
 * The exchange the standard defines: the platform sends the command (Flag A set); the device
 * answers 9011 with QnRtn (1: it will execute; anything else: refused, and that is the end); a
 * "get" command (1011, 1061) is followed by an upload under the same CN and QN carrying the value;
 * the device closes with 9012 carrying ExeRtn. 2005 devices carry the answered QN inside CP.
 */

import { HubError } from '../../errors';
import type { Hj212Command } from './encode';
import type { Hj212Message } from './message';
import { parseHj212Time } from './message';

export type CommandKind = 'GET_TIME' | 'SET_TIME' | 'GET_RTD_INTERVAL' | 'SET_RTD_INTERVAL' | 'RETAIN_SAMPLE';

export type CommandRequest = {
  kind: CommandKind;
  /** SET_TIME: the time to set; defaults to the hub's clock */
  systemTime?: Date | null;
  /** SET_RTD_INTERVAL: seconds between real-time uploads */
  rtdIntervalSeconds?: number | null;
  /** GET_TIME / SET_TIME: the instrument addressed, when the logger has several; RETAIN_SAMPLE: the pollutant the sample is for */
  polId?: string | null;
  timeoutSeconds?: number | null;
};

export type CommandResult = {
  qn: string;
  cn: Hj212Command['cn'];
  /** 9011 QnRtn: 1 ready, 2 refused, 3 bad PW, ... (see hj212.md) */
  qnRtn: number | null;
  /** 9012 ExeRtn: 1 ok, 2 failed, 3 bad condition, 4 timeout, 5 busy, 6 fault, 100 no data */
  exeRtn: number | null;
  /** SystemTime reported for 1011 */
  systemTime: Date | null;
  /** RtdInterval (seconds) reported for 1061 */
  rtdIntervalSeconds: number | null;
  /** Every CP field the device sent back, as sent. */
  data: Record<string, string>;
};

export class DeviceNotConnectedError extends HubError {
  readonly mn: string;
  constructor(mn: string, message = `device ${mn} is not connected to this gateway`) {
    super('HJ212_DEVICE_NOT_CONNECTED', message);
    this.mn = mn;
  }
}

export class CommandTimeoutError extends HubError {
  readonly mn: string;
  readonly qn: string;
  /** The 9011 answer, when one came before the time ran out. */
  readonly qnRtn: number | null;
  constructor(mn: string, qn: string, qnRtn: number | null, timeoutMs: number) {
    super(
      'HJ212_COMMAND_TIMEOUT',
      qnRtn === null
        ? `device ${mn} did not answer command ${qn} within ${timeoutMs} ms`
        : `device ${mn} accepted command ${qn} (QnRtn ${qnRtn}) but reported no result within ${timeoutMs} ms`,
    );
    this.mn = mn;
    this.qn = qn;
    this.qnRtn = qnRtn;
  }
}

export const COMMAND_REPLY_CNS: ReadonlySet<string> = new Set(['9011', '9012', '9013']);

type Pending = {
  result: CommandResult;
  timer: NodeJS.Timeout;
  resolve: (result: CommandResult) => void;
  reject: (error: unknown) => void;
};

function integerField(text: string | undefined): number | null {
  if (text === undefined || !/^\d{1,6}$/.test(text)) return null;
  return Number(text);
}

/** The commands waiting for answers on one connection. */
export class PendingCommands {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly mn: () => string) {}

  wait(qn: string, cn: Hj212Command['cn'], timeoutMs: number): Promise<CommandResult> {
    return new Promise((resolve, reject) => {
      const result: CommandResult = { qn, cn, qnRtn: null, exeRtn: null, systemTime: null, rtdIntervalSeconds: null, data: {} };
      const timer = setTimeout(() => {
        this.pending.delete(qn);
        reject(new CommandTimeoutError(this.mn(), qn, result.qnRtn, timeoutMs));
      }, timeoutMs);
      this.pending.set(qn, { result, timer, resolve, reject });
    });
  }

  /** Takes a device message if it answers a pending command; false when it is something else. */
  take(message: Hj212Message): boolean {
    const qn = message.qn ?? message.cpFields.QN;
    if (qn === undefined) return false;
    const entry = this.pending.get(qn);
    if (!entry) return false;
    const { result } = entry;
    if (message.cn === '9011') {
      result.qnRtn = integerField(message.cpFields.QnRtn);
      if (result.qnRtn !== 1) this.finish(qn, entry);
      return true;
    }
    if (message.cn === '9012') {
      result.exeRtn = integerField(message.cpFields.ExeRtn);
      this.finish(qn, entry);
      return true;
    }
    if (message.cn === result.cn) {
      for (const [key, value] of Object.entries(message.cpFields)) if (key !== 'QN' && key !== 'CN') result.data[key] = value;
      const systemTime = message.cpFields.SystemTime;
      if (systemTime !== undefined) result.systemTime = parseHj212Time(systemTime) ?? null;
      const interval = integerField(message.cpFields.RtdInterval);
      if (interval !== null) result.rtdIntervalSeconds = interval;
      return true;
    }
    return false;
  }

  /** The connection is gone: nobody will answer. */
  abandon(): void {
    for (const [qn, entry] of [...this.pending]) {
      clearTimeout(entry.timer);
      this.pending.delete(qn);
      entry.reject(new DeviceNotConnectedError(this.mn(), `device ${this.mn()} disconnected before answering command ${qn}`));
    }
  }

  private finish(qn: string, entry: Pending): void {
    clearTimeout(entry.timer);
    this.pending.delete(qn);
    entry.resolve(entry.result);
  }
}
