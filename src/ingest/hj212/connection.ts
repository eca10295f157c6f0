/**
 * One device's TCP connection: reassembles frames from the byte stream, enforces the per-connection
 * frame rate and its deadlines, and hands frames to the intake strictly one after another, so a
 * device's answers go out in the order its frames came in. When frames arrive faster than they are
 * stored, reading from the socket pauses (TCP pushes back on the device) instead of queueing
 * without bound.
 *
 * Two deadlines: a device must authenticate (a valid frame with a registered MN and its PW) within
 * the auth timeout of connecting, and a connection closes after the idle timeout without a valid
 * frame. Only valid frames count: bytes that never form one (a byte a second, garbage, frames with
 * a wrong PW) keep nothing open.
 */

import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import type { GatewayCounters } from './counters';
import { TokenBucket } from './counters';
import { PendingCommands } from './commands';
import { encodeFrame, FrameDecoder, type DecodedFrame } from './frame';
import type { Hj212Edition } from './message';

/** What the gateway knows of a device that authenticated on this connection. */
export type BoundDevice = {
  mn: string;
  monitorId: number;
  /** The PW it authenticated with: commands to it must carry the same. */
  pw: string;
  st: string;
  flag: number | undefined;
  edition: Hj212Edition;
};

export type FrameSink = (connection: DeviceConnection, frame: DecodedFrame) => Promise<void>;

export type ConnectionCloseReason = 'auth-timeout' | 'idle' | 'evicted';

export type ConnectionOptions = {
  id: number;
  /** the client address the connection is counted under (see clientAddressKey) */
  addressKey: string;
  maxFrameBytes: number;
  maxFramesPerSecond: number;
  idleTimeoutMs: number;
  authTimeoutMs: number;
  counters: GatewayCounters;
  logger: Logger;
  sink: FrameSink;
  onClose: (connection: DeviceConnection) => void;
  /** The connection is being closed for a deadline or to make room (before `onClose`). */
  onExpire: (connection: DeviceConnection, reason: ConnectionCloseReason) => void;
  now: () => Date;
};

const QUEUE_HIGH = 64;
const QUEUE_LOW = 8;

export class DeviceConnection {
  readonly id: number;
  readonly addressKey: string;
  readonly remoteAddress: string;
  readonly connectedAt: Date;
  readonly logger: Logger;
  /** Devices that authenticated here; one logger may speak for several MNs on one connection. */
  readonly devices = new Map<string, BoundDevice>();
  readonly commands: PendingCommands;
  lastFrameAt: Date | undefined;
  framesReceived = 0;
  private readonly decoder: FrameDecoder;
  private readonly bucket: TokenBucket;
  private readonly queue: DecodedFrame[] = [];
  private draining = false;
  private paused = false;
  private closed = false;
  private checking = 0;
  private everAuthenticated = false;
  private readonly authTimer: NodeJS.Timeout;
  private readonly idleTimer: NodeJS.Timeout;
  private readonly warned = new Set<string>();

  constructor(
    private readonly socket: Socket,
    private readonly options: ConnectionOptions,
  ) {
    this.id = options.id;
    this.addressKey = options.addressKey;
    this.remoteAddress = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    this.connectedAt = options.now();
    this.logger = options.logger.child({ connection: this.id, remote: this.remoteAddress });
    this.decoder = new FrameDecoder({ maxSegmentBytes: options.maxFrameBytes });
    this.bucket = new TokenBucket(options.maxFramesPerSecond);
    this.commands = new PendingCommands(() => [...this.devices.keys()].join(',') || this.remoteAddress);

    socket.setNoDelay(true);
    // Not socket.setTimeout: any byte in either direction would restart that one.
    this.authTimer = setTimeout(() => this.expire('auth-timeout'), options.authTimeoutMs).unref();
    this.idleTimer = setTimeout(() => this.expire('idle'), options.idleTimeoutMs).unref();
    socket.on('data', (chunk: Buffer) => this.receive(() => this.decoder.push(chunk)));
    socket.on('end', () => this.receive(() => this.decoder.end()));
    socket.on('error', (error: Error) => this.logger.debug({ err: error }, 'hj212 socket error'));
    socket.on('close', () => {
      // Frames not yet handled are dropped, not checked or stored later on behalf of a socket
      // nobody can answer: the device resends what it did not see acknowledged.
      this.closed = true;
      clearTimeout(this.authTimer);
      clearTimeout(this.idleTimer);
      this.dropQueued();
      this.commands.abandon();
      options.onClose(this);
    });
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /** A device has authenticated here and still speaks on this connection (has not moved to a newer one). */
  get authenticated(): boolean {
    return this.devices.size > 0;
  }

  /** May be closed to make room for another connection. */
  get evictable(): boolean {
    return !this.closed && this.devices.size === 0 && this.checking === 0;
  }

  /** Runs a credential check; meanwhile the connection is not closed to make room. */
  async whileChecking<T>(check: () => Promise<T>): Promise<T> {
    this.checking += 1;
    try {
      return await check();
    } finally {
      this.checking -= 1;
    }
  }

  /** A valid frame came in: the idle deadline starts again. */
  heardValidFrame(): void {
    if (!this.closed) this.idleTimer.refresh();
  }

  /** A device authenticated: the auth deadline is met. */
  authenticatedNow(): void {
    if (this.everAuthenticated) return;
    this.everAuthenticated = true;
    clearTimeout(this.authTimer);
  }

  /** Closes for a deadline or to make room; the gateway counts and logs it. */
  expire(reason: ConnectionCloseReason): void {
    if (this.closed || this.socket.destroyed) return;
    if (reason === 'auth-timeout' && this.everAuthenticated) return;
    this.options.onExpire(this, reason);
    this.destroy();
  }

  /** Writes a data segment as a frame; false when the connection is gone. */
  send(segment: string): boolean {
    if (this.closed || this.socket.destroyed || !this.socket.writable) return false;
    this.socket.write(encodeFrame(segment));
    return true;
  }

  /** Closes at once and drops frames not yet handled. */
  destroy(): void {
    this.dropQueued();
    this.socket.destroy();
  }

  private dropQueued(): void {
    for (let i = 0; i < this.queue.length; i++) this.options.counters.reject('connection-closed');
    this.queue.length = 0;
  }

  /** True the first time a reason is seen on this connection: log it loudly once, then quietly. */
  firstTime(reason: string): boolean {
    if (this.warned.has(reason)) return false;
    this.warned.add(reason);
    return true;
  }

  private receive(decode: () => DecodedFrame[]): void {
    if (this.closed) return;
    let frames: DecodedFrame[];
    try {
      frames = decode();
    } catch (error) {
      // The decoder is written never to throw; if it does, the stream cannot be trusted any more.
      this.options.counters.reject('internal-error');
      this.logger.error({ err: error }, 'hj212 frame decoder failed: closing the connection');
      this.socket.destroy();
      return;
    }
    for (const frame of frames) {
      this.framesReceived += 1;
      if (!this.bucket.take()) {
        this.options.counters.reject('rate-limited');
        if (this.firstTime('rate-limited')) {
          this.logger.warn({ maxFramesPerSecond: this.options.maxFramesPerSecond }, 'hj212 device over its frame rate: frames refused');
        }
        continue;
      }
      this.queue.push(frame);
    }
    if (this.queue.length >= QUEUE_HIGH && !this.paused) {
      this.paused = true;
      this.socket.pause();
    }
    void this.drain();
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      while (!this.closed) {
        const frame = this.queue.shift();
        if (frame === undefined) break;
        try {
          await this.options.sink(this, frame);
        } catch (error) {
          this.options.counters.reject('internal-error');
          this.logger.error({ err: error }, 'hj212 frame handling failed');
        }
        if (this.paused && this.queue.length <= QUEUE_LOW && !this.closed) {
          this.paused = false;
          this.socket.resume();
        }
      }
    } finally {
      this.draining = false;
    }
  }
}
