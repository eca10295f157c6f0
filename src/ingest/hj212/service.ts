/**
 * The gateway as a hub service: what GraphQL, the simulator and tests use. The service exists
 * whether the gateway runs or not (HJ212_ENABLED=false): it then reports `running: false` and
 * every device as not connected.
 */

import { ValidationError, type FieldProblem } from '../../errors';
import { createServiceRef } from '../../services';
import { DeviceNotConnectedError, type CommandRequest, type CommandResult } from './commands';

export type { CommandKind, CommandRequest } from './commands';
import { GatewayCounters, type GatewayStats } from './counters';
import { diagnoseFrame, maskPassword, type FrameDiagnosis } from './diagnose';
import type { Hj212Command } from './encode';
import type { ConnectedDevice, Hj212Gateway } from './gateway';
import { MONITOR_MN } from '../../validation';
import { MAX_COMMAND_TIMEOUT_SECONDS } from '../../config';
import type { DeviceCommandRouter } from '../../cluster/device-commands';
import { routedRequest, sendThroughOtherInstance } from './routing';

export type GatewayStatus = GatewayStats & { running: boolean; port: number | null };

export interface Hj212GatewayService {
  readonly running: boolean;
  /** the TCP port actually bound; undefined when the gateway is not running */
  readonly port: number | undefined;
  status(): GatewayStatus;
  connectedDevices(limit: number): ConnectedDevice[];
  /**
   * Validates the request, sends it and waits for the device's answers: on this instance's
   * connection to the device, or through the hub instance that holds it.
   */
  sendCommand(mn: string, request: CommandRequest): Promise<CommandResult>;
  /** What the gateway makes of a frame pasted from a device log; passwords masked. */
  decode(frame: string): FrameDiagnosis;
}

export const hj212GatewayRef = createServiceRef<Hj212GatewayService>('hj212.gateway');

export { MAX_COMMAND_TIMEOUT_SECONDS };
const MAX_DECODE_CHARS = 20_000;
const MAX_DEVICES_LISTED = 500;
const POL_ID = /^[A-Za-z0-9]{1,20}$/;

/** The pieces of a request a device could not be asked for are refused before anything is sent. */
export function commandOf(request: CommandRequest, now: Date, defaultTimeoutSeconds: number): { command: Hj212Command; timeoutMs: number } {
  const problems: FieldProblem[] = [];
  const polId = request.polId ?? undefined;
  if (polId !== undefined && !POL_ID.test(polId)) problems.push({ path: 'command.polId', message: 'must be 1-20 letters or digits' });
  const timeoutSeconds = request.timeoutSeconds ?? defaultTimeoutSeconds;
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1 || timeoutSeconds > MAX_COMMAND_TIMEOUT_SECONDS) {
    problems.push({ path: 'command.timeoutSeconds', message: `must be 1-${MAX_COMMAND_TIMEOUT_SECONDS} seconds` });
  }
  const interval = request.rtdIntervalSeconds;
  if (request.kind === 'SET_RTD_INTERVAL' && (interval == null || !Number.isInteger(interval) || interval < 1 || interval > 86400)) {
    problems.push({ path: 'command.rtdIntervalSeconds', message: 'SET_RTD_INTERVAL needs 1-86400 seconds' });
  }
  const systemTime = request.systemTime ?? now;
  const year = systemTime.getUTCFullYear();
  if (Number.isNaN(systemTime.getTime()) || year < 2000 || year > 2099) problems.push({ path: 'command.systemTime', message: 'must be in 2000-2099' });
  if (problems.length > 0) throw new ValidationError(problems);
  const pol = polId === undefined ? {} : { polId };
  const command: Hj212Command =
    request.kind === 'GET_TIME'
      ? { cn: '1011', ...pol }
      : request.kind === 'SET_TIME'
        ? { cn: '1012', systemTime, ...pol }
        : request.kind === 'GET_RTD_INTERVAL'
          ? { cn: '1061' }
          : request.kind === 'RETAIN_SAMPLE'
            ? { cn: '3015', ...pol }
            : { cn: '1062', rtdIntervalSeconds: interval as number };
  return { command, timeoutMs: timeoutSeconds * 1000 };
}

/** CP keys that carry a password (1072 sets a new one). */
function maskSecrets(fields: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(fields)) {
    Object.defineProperty(out, key, { value: /pw/i.test(key) ? maskPassword(value) : value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** The service object bound at provide time; the gateway is attached when it starts. */
export class GatewayServiceHandle implements Hj212GatewayService {
  private gateway: Hj212Gateway | undefined;
  private router: DeviceCommandRouter | undefined;
  private readonly idle = new GatewayCounters(new Date());

  constructor(
    private readonly now: () => Date,
    /** HJ212_COMMAND_TIMEOUT_SECONDS: a command's wait when its request does not give one */
    private readonly defaultTimeoutSeconds: number,
  ) {}

  attach(gateway: Hj212Gateway): void {
    this.gateway = gateway;
  }

  detach(): void {
    this.gateway = undefined;
  }

  /** Commands for devices held by other instances go through the database from now on. */
  attachRouter(router: DeviceCommandRouter | undefined): void {
    this.router = router;
  }

  get running(): boolean {
    return this.gateway !== undefined;
  }

  get port(): number | undefined {
    return this.gateway?.port;
  }

  status(): GatewayStatus {
    const stats = this.gateway?.stats() ?? this.idle.snapshot({ devicesConnected: 0, splitMessagesPending: 0, connectionsUnauthenticated: 0 });
    return { ...stats, running: this.running, port: this.port ?? null };
  }

  connectedDevices(limit: number): ConnectedDevice[] {
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_DEVICES_LISTED) {
      throw new ValidationError([{ path: 'limit', message: `must be 1-${MAX_DEVICES_LISTED}` }]);
    }
    return this.gateway?.connectedDevices(limit) ?? [];
  }

  async sendCommand(mn: string, request: CommandRequest): Promise<CommandResult> {
    if (!MONITOR_MN.test(mn)) throw new ValidationError([{ path: 'mn', message: 'MN must be 1-32 letters, digits, _ or -' }]);
    const now = this.now();
    const { command, timeoutMs } = commandOf(request, now, this.defaultTimeoutSeconds);
    if (this.router && !this.gateway?.holds(mn)) {
      const seconds = timeoutMs / 1000;
      return sendThroughOtherInstance(this.router, mn, routedRequest(request, request.systemTime ?? now, seconds), seconds);
    }
    return this.sendLocally(mn, command, timeoutMs);
  }

  /** A command routed here by another instance: this instance's own connection only. */
  async sendOnOwnConnection(mn: string, request: CommandRequest): Promise<CommandResult> {
    if (!MONITOR_MN.test(mn)) throw new ValidationError([{ path: 'mn', message: 'MN must be 1-32 letters, digits, _ or -' }]);
    const { command, timeoutMs } = commandOf(request, this.now(), this.defaultTimeoutSeconds);
    return this.sendLocally(mn, command, timeoutMs);
  }

  private sendLocally(mn: string, command: Hj212Command, timeoutMs: number): Promise<CommandResult> {
    if (!this.gateway) throw new DeviceNotConnectedError(mn, `the HJ 212 gateway is not running: device ${mn} cannot be reached`);
    return this.gateway.sendCommand(mn, command, { timeoutMs });
  }

  decode(frame: string): FrameDiagnosis {
    if (frame.length > MAX_DECODE_CHARS) {
      throw new ValidationError([{ path: 'frame', message: `at most ${MAX_DECODE_CHARS} characters` }]);
    }
    const diagnosis = diagnoseFrame(frame);
    return { ...diagnosis, cpFields: maskSecrets(diagnosis.cpFields), unknownKeys: maskSecrets(diagnosis.unknownKeys) };
  }
}
