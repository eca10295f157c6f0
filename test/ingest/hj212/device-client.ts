import { connect, type Socket } from 'node:net';
import { buildDataUpload, type DataUpload } from '../../../src/ingest/hj212/encode';
import { encodeFrame, FrameDecoder } from '../../../src/ingest/hj212/frame';
import { parseSegment, type Hj212Message } from '../../../src/ingest/hj212/message';

/** A bare TCP client speaking to the gateway: writes raw bytes, reads the gateway's frames in order. */
export class RawDevice {
  private readonly decoder = new FrameDecoder({ maxSegmentBytes: 9999 });
  private readonly inbox: Hj212Message[] = [];
  private waiters: (() => void)[] = [];
  readonly closed: Promise<void>;
  private isClosed = false;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      for (const frame of this.decoder.push(chunk)) {
        if (!frame.ok) throw new Error(`the gateway sent a bad frame: ${frame.reason} ${frame.detail}`);
        const parsed = parseSegment(frame.segment);
        if (!parsed.ok) throw new Error(`the gateway sent an unparsable segment: ${parsed.detail}`);
        this.inbox.push(parsed.message);
      }
      this.wake();
    });
    socket.on('error', () => {});
    this.closed = new Promise((resolve) =>
      socket.on('close', () => {
        this.isClosed = true;
        this.wake();
        resolve();
      }),
    );
  }

  /** `from` picks the client address: any of 127.0.0.0/8 is this machine, so tests can be several clients. */
  static connect(port: number, from?: string): Promise<RawDevice> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port, ...(from ? { localAddress: from } : {}) });
      socket.once('connect', () => resolve(new RawDevice(socket)));
      socket.once('error', reject);
    });
  }

  get isOpen(): boolean {
    return !this.isClosed;
  }

  write(data: string | Uint8Array): void {
    this.socket.write(data);
  }

  /** Sends an upload as one frame; returns its QN. */
  upload(upload: DataUpload): string {
    this.write(encodeFrame(buildDataUpload(upload)));
    return upload.qn ?? '';
  }

  /** The gateway's next frame; rejects if none comes within the time or the connection closes. */
  async next(timeoutMs = 10_000): Promise<Hj212Message> {
    const deadline = Date.now() + timeoutMs;
    while (this.inbox.length === 0) {
      if (this.isClosed) throw new Error('connection closed while waiting for a frame');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('no frame from the gateway in time');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.inbox.shift() as Hj212Message;
  }

  /** Frames received and not yet taken. */
  get pending(): number {
    return this.inbox.length;
  }

  close(): void {
    this.socket.destroy();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}

/** Waits until `check` returns a value other than undefined, polling; for effects that happen after an answer. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
