/**
 * The HJ 212 TCP gateway: accepts device connections (up to a limit, unauthenticated ones giving
 * way to newer ones: see admission.ts), runs each frame through the intake, keeps track of which
 * connection speaks for which MN so commands can reach a device, and reports its counters. One
 * instance per hub; `close` ends every connection.
 */

import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { Logger } from 'pino';
import type { Config } from '../../config';
import type { MonitoringService } from '../../monitoring/public';
import { clientAddressKey } from './address';
import { Admission } from './admission';
import { DeviceAuthenticator, type DeviceIdentity } from './auth';
import { IngestBatcher } from './batcher';
import { DeviceConnection, type ConnectionCloseReason } from './connection';
import { DeviceNotConnectedError, type CommandResult } from './commands';
import { GatewayCounters, type GatewayStats } from './counters';
import { buildCommand, type Hj212Command } from './encode';
import { createFrameIntake, type FrameIntake } from './intake';
import { FLAG_ACK, formatQn, type Hj212Edition, type Hj212Message } from './message';
import { Notices } from './notices';
import { SplitIntake } from './splits';
import { AuthThrottle } from './throttle';

export type GatewayOptions = {
  settings: Config['hj212'];
  monitoring: Pick<MonitoringService, 'ingest' | 'deviceCredentials' | 'recordDeviceState' | 'recordFacilityRunTimes' | 'onMonitorChanged'>;
  logger: Logger;
  now: () => Date;
  /** readings per ingest call (the monitoring core's batch limit) */
  ingestBatchMax: number;
  /** ingest calls running at once: 1 on the embedded engine, a few on a server */
  ingestConcurrency: number;
  /** how often the counters are logged; 0 turns it off */
  statsLogSeconds?: number;
  /** told which devices this gateway holds, so other hub instances can route commands here */
  sessions?: { holds(mn: string): void; released(mn: string): void };
};

export type ConnectedDevice = {
  mn: string;
  monitorId: number;
  edition: Hj212Edition;
  remoteAddress: string;
  connectedAt: Date;
  lastFrameAt: Date | undefined;
  framesReceived: number;
};

/** Incomplete split messages kept at once, across all devices. */
const MAX_PENDING_SPLITS = 1000;

export class Hj212Gateway {
  private readonly counters: GatewayCounters;
  private readonly connections = new Set<DeviceConnection>();
  private readonly byMn = new Map<string, DeviceConnection>();
  private readonly splits: SplitIntake;
  private readonly batcher: IngestBatcher;
  private readonly intake: FrameIntake;
  private readonly admission: Admission<DeviceConnection>;
  private readonly notices: Notices;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly unwatch: () => void;
  private nextConnectionId = 1;
  private lastQnMs = 0;
  private boundPort: number | undefined;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly server: Server,
    private readonly options: GatewayOptions,
  ) {
    const { settings, monitoring, logger, now } = options;
    this.counters = new GatewayCounters(now());
    this.notices = new Notices(logger);
    this.admission = new Admission({ maxConnections: settings.maxConnections, maxUnauthenticatedPerAddress: settings.maxUnauthenticatedPerAddress });
    const throttle = new AuthThrottle({
      maxFailuresPerMn: settings.authMaxFailuresPerMn,
      maxFailuresPerAddress: settings.authMaxFailuresPerAddress,
      lockoutMs: settings.authLockoutSeconds * 1000,
    });
    const authenticator = new DeviceAuthenticator((mn) => monitoring.deviceCredentials(mn), {
      ttlMs: 5 * 60_000,
      throttle,
      onCheck: () => {
        this.counters.passwordChecks += 1;
      },
      onLockout: (lockout, mn) => {
        this.counters.authLockouts += 1;
        logger.warn(
          {
            scope: lockout.scope,
            mn,
            address: lockout.scope === 'address' ? lockout.key : undefined,
            failures: lockout.failures,
            lockoutSeconds: lockout.lockoutMs / 1000,
            strike: lockout.strike,
          },
          lockout.scope === 'mn' ? 'hj212 MN locked out after wrong passwords' : 'hj212 client address locked out after wrong passwords',
        );
      },
    });
    this.unwatch = monitoring.onMonitorChanged((mn) => authenticator.forget(mn));
    this.splits = new SplitIntake({ timeoutMs: settings.splitTimeoutSeconds * 1000, maxPending: MAX_PENDING_SPLITS });
    this.batcher = new IngestBatcher((items) => monitoring.ingest(items), {
      maxItems: options.ingestBatchMax,
      maxInFlight: options.ingestConcurrency,
    });
    this.intake = createFrameIntake({
      counters: this.counters,
      authenticator,
      batcher: this.batcher,
      splits: this.splits,
      monitoring,
      logger,
      now,
      bind: (connection, message, device) => this.bind(connection, message, device),
      calibrateClock: (mn) => {
        this.sendCommand(mn, { cn: '1012', systemTime: now() }).then(
          (result) => logger.info({ mn, qnRtn: result.qnRtn, exeRtn: result.exeRtn }, 'hj212 device clock set on its request'),
          (error: unknown) => logger.warn({ mn, err: error }, 'hj212 device clock could not be set'),
        );
      },
    });

    server.on('connection', (socket) => this.accept(socket));
    server.on('error', (error) => logger.error({ err: error }, 'hj212 gateway server error'));
    const splitSweep = setInterval(
      () => {
        authenticator.sweep();
        const dropped = this.splits.expire();
        if (dropped.length > 0) {
          this.counters.splitMessagesExpired += dropped.length;
          logger.warn({ dropped }, 'hj212 split messages expired incomplete');
        }
      },
      Math.min(5000, settings.splitTimeoutSeconds * 500),
    );
    this.timers.push(splitSweep);
    const statsEvery = options.statsLogSeconds ?? 60;
    if (statsEvery > 0) {
      let lastLogged = '';
      this.timers.push(
        setInterval(() => {
          const { since: _since, ...stats } = this.stats();
          const text = JSON.stringify(stats);
          if (text === lastLogged) return;
          lastLogged = text;
          logger.info({ stats }, 'hj212 gateway counters');
        }, statsEvery * 1000),
      );
    }
    for (const timer of this.timers) timer.unref();
  }

  /** Binds the configured address; port 0 picks a free one (see `port`). */
  static async start(options: GatewayOptions): Promise<Hj212Gateway> {
    const server = createServer({ noDelay: true });
    const gateway = new Hj212Gateway(server, options);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: options.settings.host, port: options.settings.port }, () => {
        server.off('error', reject);
        resolve();
      });
    }).catch(async (error: unknown) => {
      await gateway.close();
      throw error;
    });
    gateway.boundPort = (server.address() as AddressInfo).port;
    options.logger.info({ host: options.settings.host, port: gateway.boundPort }, 'hj212 gateway listening');
    return gateway;
  }

  /** The TCP port actually bound. */
  get port(): number | undefined {
    return this.boundPort;
  }

  stats(): GatewayStats {
    return this.counters.snapshot({
      devicesConnected: this.byMn.size,
      splitMessagesPending: this.splits.pendingCount,
      connectionsUnauthenticated: this.admission.unauthenticatedCount,
    });
  }

  /** True while a device's connection is on this gateway. */
  holds(mn: string): boolean {
    return !this.closing && this.byMn.has(mn);
  }

  /** Connected devices, most recently heard first. */
  connectedDevices(limit: number): ConnectedDevice[] {
    const devices: ConnectedDevice[] = [];
    for (const [mn, connection] of this.byMn) {
      const bound = connection.devices.get(mn);
      if (!bound) continue;
      devices.push({
        mn,
        monitorId: bound.monitorId,
        edition: bound.edition,
        remoteAddress: connection.remoteAddress,
        connectedAt: connection.connectedAt,
        lastFrameAt: connection.lastFrameAt,
        framesReceived: connection.framesReceived,
      });
    }
    const heard = (d: ConnectedDevice) => (d.lastFrameAt ?? d.connectedAt).getTime();
    return devices.sort((a, b) => heard(b) - heard(a) || a.mn.localeCompare(b.mn)).slice(0, limit);
  }

  /**
   * Sends a command to a connected device and waits for its 9011 (and, when it accepts, 9012)
   * answers. Throws DeviceNotConnectedError or CommandTimeoutError.
   */
  async sendCommand(mn: string, command: Hj212Command, options: { timeoutMs?: number } = {}): Promise<CommandResult> {
    const connection = this.byMn.get(mn);
    const device = connection?.devices.get(mn);
    if (!connection || !device || this.closing) throw new DeviceNotConnectedError(mn);
    const qn = this.nextQn();
    // Same edition bits as the device uses, with A set: the device is asked to answer.
    const flag = ((device.flag ?? 0) & ~0b11) | FLAG_ACK;
    const segment = buildCommand({ qn, st: device.st, pw: device.pw, mn, flag }, command);
    const answered = connection.commands.wait(qn, command.cn, options.timeoutMs ?? this.options.settings.commandTimeoutSeconds * 1000);
    if (!connection.send(segment)) {
      answered.catch(() => {});
      connection.commands.abandon();
      throw new DeviceNotConnectedError(mn);
    }
    this.counters.commandsSent += 1;
    this.options.logger.info({ mn, qn, cn: command.cn }, 'hj212 command sent');
    return answered;
  }

  /** Stops listening, closes every device connection, lets running writes finish. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      for (const timer of this.timers) clearInterval(timer);
      this.unwatch();
      const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
      for (const connection of this.connections) connection.destroy();
      await closed;
      await Promise.race([this.batcher.idle(), new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
      this.options.logger.info({ stats: this.stats() }, 'hj212 gateway stopped');
    })();
    return this.closing;
  }

  private accept(socket: Socket): void {
    const { settings, logger, now } = this.options;
    const addressKey = clientAddressKey(socket.remoteAddress);
    const plan = this.closing ? ({ admit: false } as const) : this.admission.plan(addressKey, this.connections.size);
    if (!plan.admit) {
      this.counters.connectionsRefused += 1;
      const details = { remote: socket.remoteAddress, open: this.connections.size, max: settings.maxConnections };
      this.notices.note('refused', 'warn', details, 'hj212 connection refused: every slot holds an authenticated device or one being checked');
      socket.on('error', () => {});
      socket.destroy();
      return;
    }
    for (const victim of plan.evict) victim.expire('evicted');
    this.counters.connectionsOpen += 1;
    this.counters.connectionsTotal += 1;
    const connection = new DeviceConnection(socket, {
      id: this.nextConnectionId++,
      addressKey,
      maxFrameBytes: Math.min(settings.maxFrameBytes, 9999),
      maxFramesPerSecond: settings.maxFramesPerSecond,
      idleTimeoutMs: settings.idleTimeoutSeconds * 1000,
      authTimeoutMs: settings.authTimeoutSeconds * 1000,
      counters: this.counters,
      logger,
      now,
      sink: (from, frame) => (this.closing ? Promise.resolve() : this.intake(from, frame)),
      onClose: (closed) => this.forgetConnection(closed),
      onExpire: (expired, reason) => this.expired(expired, reason),
    });
    this.connections.add(connection);
    this.admission.unauthenticatedNow(connection);
    connection.logger.debug('hj212 connection opened');
  }

  /** Counts and logs a connection closed for a deadline or to make room; frees its slot at once. */
  private expired(connection: DeviceConnection, reason: ConnectionCloseReason): void {
    const details = { remote: connection.remoteAddress, mns: [...connection.devices.keys()] };
    if (reason === 'evicted') {
      this.counters.connectionsEvicted += 1;
      this.notices.note('evicted', 'info', details, 'hj212 unauthenticated connection closed to make room for a new one');
    } else if (reason === 'auth-timeout') {
      this.counters.connectionsAuthTimedOut += 1;
      this.notices.note(
        'auth-timeout',
        'info',
        { ...details, authTimeoutSeconds: this.options.settings.authTimeoutSeconds },
        'hj212 connection closed: no authenticated frame in time',
      );
    } else {
      this.counters.connectionsIdleClosed += 1;
      connection.logger.info({ idleSeconds: this.options.settings.idleTimeoutSeconds, mns: details.mns }, 'hj212 connection idle: closed');
    }
    // The socket's close event comes later; the slot is needed now.
    this.forgetConnection(connection);
  }

  private bind(connection: DeviceConnection, message: Hj212Message, device: DeviceIdentity): void {
    const known = connection.devices.get(device.mn);
    if (!connection.authenticated) this.admission.settled(connection);
    connection.authenticatedNow();
    connection.devices.set(device.mn, {
      mn: device.mn,
      monitorId: device.monitorId,
      pw: message.pw,
      st: message.st,
      flag: message.flag,
      edition: message.edition,
    });
    if (this.byMn.get(device.mn) !== connection) {
      const previous = this.byMn.get(device.mn);
      this.byMn.set(device.mn, connection);
      // A device that reconnects leaves its old connection behind until that one times out, or,
      // once no device speaks on it any more, until its slot is wanted.
      previous?.devices.delete(device.mn);
      if (previous && !previous.authenticated && previous.isOpen) this.admission.unauthenticatedNow(previous);
      this.options.sessions?.holds(device.mn);
    }
    if (!known) connection.logger.info({ mn: device.mn, edition: message.edition }, 'hj212 device connected');
  }

  private forgetConnection(connection: DeviceConnection): void {
    if (!this.connections.delete(connection)) return;
    this.admission.settled(connection);
    this.counters.connectionsOpen -= 1;
    for (const mn of connection.devices.keys()) {
      if (this.byMn.get(mn) !== connection) continue;
      this.byMn.delete(mn);
      this.options.sessions?.released(mn);
    }
    connection.logger.debug('hj212 connection closed');
  }

  /** QNs are request ids: unique per gateway even when two commands leave in the same millisecond. */
  private nextQn(): string {
    const ms = Math.max(this.options.now().getTime(), this.lastQnMs + 1);
    this.lastQnMs = ms;
    return formatQn(new Date(ms));
  }
}
