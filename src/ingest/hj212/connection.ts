/**
 * One device's TCP connection: reassembles frames from the byte stream, enforces the per-connection
 * frame rate and idle timeout, and hands frames to the intake strictly one after another, so a
 * device's answers go out in the order its frames came in. When frames arrive faster than they are
 * stored, reading from the socket pauses (TCP pushes back on the device) instead of queueing
 * without bound.
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

export type ConnectionOptions = {
  id: number;
  maxFrameBytes: number;
  maxFramesPerSecond: number;
  idleTimeoutMs: number;
  counters: GatewayCounters;
  logger: Logger;
  sink: FrameSink;
  onClose: (connection: DeviceConnection) => void;
  now: () => Date;
};

const QUEUE_HIGH = 64;
const QUEUE_LOW = 8;

export class DeviceConnection {
  readonly id: number;
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
  private readonly warned = new Set<string>();

  constructor(
    private readonly socket: Socket,
    private readonly options: ConnectionOptions,
  ) {
    this.id = options.id;
    this.remoteAddress = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    this.connectedAt = options.now();
    this.logger = options.logger.child({ connection: this.id, remote: this.remoteAddress });
    this.decoder = new FrameDecoder({ maxSegmentBytes: options.maxFrameBytes });
    this.bucket = new TokenBucket(options.maxFramesPerSecond);
    this.commands = new PendingCommands(() => [...this.devices.keys()].join(',') || this.remoteAddress);

    socket.setNoDelay(true);
    socket.setTimeout(options.idleTimeoutMs);
    socket.on('data', (chunk: Buffer) => this.receive(() => this.decoder.push(chunk)));
    socket.on('end', () => this.receive(() => this.decoder.end()));
    socket.on('timeout', () => {
      options.counters.connectionsIdleClosed += 1;
      this.logger.info({ idleSeconds: options.idleTimeoutMs / 1000 }, 'hj212 connection idle: closed');
      socket.destroy();
    });
    socket.on('error', (error: Error) => this.logger.debug({ err: error }, 'hj212 socket error'));
    socket.on('close', () => {
      // Frames already queued are still stored: the device gets no answer, but its retransmission
      // later is recognised as a duplicate.
      this.closed = true;
      this.commands.abandon();
      options.onClose(this);
    });
  }

  /** Writes a data segment as a frame; false when the connection is gone. */
  send(segment: string): boolean {
    if (this.closed || this.socket.destroyed || !this.socket.writable) return false;
    this.socket.write(encodeFrame(segment));
    return true;
  }

  /** Closes at once and drops frames not yet handled (the gateway is stopping). */
  destroy(): void {
    this.queue.length = 0;
    this.socket.destroy();
  }

  /** True the first time a reason is seen on this connection: log it loudly once, then quietly. */
  firstTime(reason: string): boolean {
    if (this.warned.has(reason)) return false;
    this.warned.add(reason);
    return true;
  }

  private receive(decode: () => DecodedFrame[]): void {
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
      for (let frame = this.queue.shift(); frame !== undefined; frame = this.queue.shift()) {
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
