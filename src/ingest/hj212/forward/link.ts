/**
 * One TCP connection to an upper platform: sends frames, and hands back the platform's answer
 * to a QN (9014, or a 9011 that refuses). Frames from the platform are capped like a device's.
 */
import { connect, type Socket } from 'node:net';
import { FrameDecoder } from '../frame';
import { parseSegment, type Hj212Message } from '../message';

export type Answer = { kind: 'acknowledged' } | { kind: 'refused'; qnRtn: number } | { kind: 'closed' } | { kind: 'timeout' };

type Waiter = { resolve: (answer: Answer) => void; timer: NodeJS.Timeout };

const MAX_ANSWER_BYTES = 4096;

export class UpstreamLink {
  private readonly decoder = new FrameDecoder({ maxSegmentBytes: MAX_ANSWER_BYTES });
  private readonly waiters = new Map<string, Waiter>();
  private open = true;
  readonly closed: Promise<void>;

  private constructor(
    private readonly socket: Socket,
    onStray: (message: Hj212Message) => void,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      for (const frame of this.decoder.push(chunk)) {
        if (!frame.ok) continue;
        const parsed = parseSegment(frame.segment);
        if (!parsed.ok) continue;
        const m = parsed.message;
        // a 2005 platform carries the answered QN inside CP
        const qn = m.qn ?? m.cpFields.QN;
        const waiter = qn === undefined ? undefined : this.waiters.get(qn);
        if (!waiter || qn === undefined) {
          onStray(m);
          continue;
        }
        if (m.cn === '9014') this.settle(qn, { kind: 'acknowledged' });
        else if (m.cn === '9011') {
          const rtn = Number(m.cpFields.QnRtn);
          // QnRtn 1 says "ready": the 9014 is still to come
          if (rtn !== 1) this.settle(qn, { kind: 'refused', qnRtn: Number.isFinite(rtn) ? rtn : 100 });
        } else onStray(m);
      }
    });
    socket.on('error', () => {});
    this.closed = new Promise((resolve) =>
      socket.on('close', () => {
        this.open = false;
        for (const qn of [...this.waiters.keys()]) this.settle(qn, { kind: 'closed' });
        resolve();
      }),
    );
  }

  static connect(host: string, port: number, timeoutMs: number, onStray: (message: Hj212Message) => void): Promise<UpstreamLink> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`no connection to ${host}:${port} within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve(new UpstreamLink(socket, onStray));
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  }

  get isOpen(): boolean {
    return this.open;
  }

  /** Sends a frame; resolves once the platform has answered its QN, or the wait is over. */
  send(frame: string, qn: string, waitMs: number | undefined): Promise<Answer> {
    if (!this.open) return Promise.resolve({ kind: 'closed' });
    if (waitMs === undefined) {
      return new Promise((resolve) => this.socket.write(frame, (error) => resolve(error ? { kind: 'closed' } : { kind: 'acknowledged' })));
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.settle(qn, { kind: 'timeout' }), waitMs);
      this.waiters.set(qn, { resolve, timer });
      this.socket.write(frame);
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private settle(qn: string, answer: Answer): void {
    const waiter = this.waiters.get(qn);
    if (!waiter) return;
    this.waiters.delete(qn);
    clearTimeout(waiter.timer);
    waiter.resolve(answer);
  }
}
