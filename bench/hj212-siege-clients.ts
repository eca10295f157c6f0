/**
 * The client side of bench/hj212-siege.ts, in processes of their own so their work is not counted
 * as the hub's. Two roles:
 *   attackers <port> <idle> <idleAddresses> <greedy> <floodConnections> <floodAddresses> <mn,...>
 *     idle connections spread over many addresses and `greedy` more from one address, all
 *     reconnecting whenever the gateway closes them; and flood connections sending wrong PWs
 *     for the given MNs at 50 frames per second each. Every connection comes back when closed.
 *   devices <port> <mn,...> <pw> <intervalMs> <addressOffset> <redialFromMs> <redialToMs>
 *     one real logger per MN, each on its own address: a frame, wait for its 9014 (resend after
 *     10 s without one, as loggers do), next frame after the interval; each drops its link and
 *     redials once, at a random moment between the two times (0 0: never).
 * Both print a JSON line every second: their counts so far, and the acknowledgement times seen
 * since the last line (first frames apart); a last line on SIGTERM.
 */

import { connect, type Socket } from 'node:net';
import { buildDataUpload } from '../src/ingest/hj212/encode';
import { encodeFrame, FrameDecoder } from '../src/ingest/hj212/frame';
import { parseSegment, type Hj212Message } from '../src/ingest/hj212/message';

const [role, portText, ...rest] = process.argv.slice(2);
const port = Number(portText);
const counts: Record<string, number> = {};
/** Since the last report: acknowledgement times of frames, and of devices' first frames. */
let latencies: number[] = [];
let firstAcks: number[] = [];
const count = (key: string, n = 1) => (counts[key] = (counts[key] ?? 0) + n);
let stopping = false;

function report(final = false): void {
  const cpu = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ final, ...counts, cpuMs: (cpu.user + cpu.system) / 1000, latencies, firstAcks })}\n`);
  latencies = [];
  firstAcks = [];
}
setInterval(() => report(), 1000);
process.on('SIGTERM', () => {
  stopping = true;
  report(true);
  process.exit(0);
});

/** A connection from `from` that calls `onMessage` for every frame and comes back when closed. */
function persistent(from: string, kind: string, onOpen: (socket: Socket) => void, onMessage: (m: Hj212Message, socket: Socket) => void = () => {}): void {
  const open = () => {
    if (stopping) return;
    const socket = connect({ host: '127.0.0.1', port, localAddress: from });
    const decoder = new FrameDecoder({ maxSegmentBytes: 9999 });
    let connected = false;
    socket.on('connect', () => {
      connected = true;
      count(`${kind}Connected`);
      onOpen(socket);
    });
    socket.on('data', (chunk: Buffer) => {
      for (const frame of decoder.push(chunk)) {
        if (!frame.ok) continue;
        const parsed = parseSegment(frame.segment);
        if (parsed.ok) onMessage(parsed.message, socket);
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      count(connected ? `${kind}ClosedByGateway` : `${kind}ConnectFailed`);
      setTimeout(open, 200);
    });
  };
  open();
}

const upload = (mn: string, pw: string, qn: string, seconds: number) =>
  encodeFrame(
    buildDataUpload({
      qn,
      st: '32',
      cn: '2011',
      pw,
      mn,
      dataTime: new Date(Date.now() - 6 * 3600_000 + seconds * 1000),
      items: [
        { code: 'w01018', values: { Rtd: 20 + (seconds % 7) }, flag: 'N' },
        { code: 'w21003', values: { Rtd: 1 + (seconds % 3) }, flag: 'N' },
      ],
    }),
  );

function attackers(): void {
  const [idleText, idleAddressesText, greedyText, floodText, floodAddressesText, mnList] = rest;
  const idle = Number(idleText);
  const idleAddresses = Number(idleAddressesText);
  const mns = (mnList ?? '').split(',');
  // Opened 50 at a time, as a scanner would, not one burst the kernel's backlog drops.
  for (let i = 0; i < idle; i++) setTimeout(() => persistent(`127.0.2.${(i % idleAddresses) + 1}`, 'idle', () => {}), Math.floor(i / 50) * 25);
  for (let i = 0; i < Number(greedyText); i++) setTimeout(() => persistent('127.0.3.1', 'greedy', () => {}), Math.floor(i / 50) * 25);
  let guess = 0;
  for (let i = 0; i < Number(floodText); i++) {
    const from = `127.0.4.${(i % Number(floodAddressesText)) + 1}`;
    persistent(
      from,
      'flood',
      (socket) => {
        const timer = setInterval(() => {
          if (socket.destroyed) return clearInterval(timer);
          guess += 1;
          const pw = String(100_000 + ((guess * 7919) % 900_000));
          socket.write(upload(mns[guess % mns.length] as string, pw, `20240101${String(guess).padStart(9, '0')}`, guess));
          count('floodSent');
        }, 20);
      },
      (message) => count(message.cn === '9011' ? `floodQnRtn${message.cpFields.QnRtn}` : `flood${message.cn}`),
    );
  }
}

function devices(): void {
  const [mnList, pw, intervalText, offsetText, redialFromText, redialToText] = rest;
  const interval = Number(intervalText);
  const redialFrom = Number(redialFromText);
  const redialTo = Number(redialToText);
  const started = Date.now();
  for (const [index, mn] of (mnList ?? '').split(',').entries()) {
    let seq = 0;
    let waiting: { qn: string; sentAt: number; firstSentAt: number; frame: string } | undefined;
    let socket: Socket | undefined;
    let firstAck = true;
    // Once, at a moment of its own, the logger drops its link and dials in again.
    const redialAt = redialTo > 0 ? started + redialFrom + Math.random() * (redialTo - redialFrom) : Number.POSITIVE_INFINITY;
    let redialled = false;
    const send = () => {
      if (!socket || socket.destroyed || stopping) return;
      if (!waiting) {
        seq += 1;
        const qn = `20240101${String(Number(offsetText) + index).padStart(3, '0')}${String(seq).padStart(6, '0')}`;
        waiting = { qn, sentAt: Date.now(), firstSentAt: Date.now(), frame: upload(mn, pw as string, qn, seq) };
        count('sent');
      } else {
        waiting.sentAt = Date.now();
        count('resent');
      }
      socket.write(waiting.frame);
    };
    const watchdog = setInterval(() => {
      if (waiting && Date.now() - waiting.sentAt > 10_000) send();
    }, 1000);
    watchdog.unref();
    persistent(
      `127.0.1.${Number(offsetText) + index + 1}`,
      'device',
      (s) => {
        socket = s;
        if (waiting) send();
        else setTimeout(send, Math.random() * interval);
      },
      (message, s) => {
        if (message.cn === '9011') count(`refusedQnRtn${message.cpFields.QnRtn}`);
        if (message.cn !== '9014' || !waiting || message.qn !== waiting.qn) return;
        count('acked');
        (firstAck ? firstAcks : latencies).push(Date.now() - waiting.firstSentAt);
        firstAck = false;
        waiting = undefined;
        if (!redialled && Date.now() >= redialAt) {
          redialled = true;
          count('redials');
          s.destroy();
          return;
        }
        setTimeout(send, interval);
      },
    );
  }
}

if (role === 'attackers') attackers();
else if (role === 'devices') devices();
else throw new Error(`unknown role ${role}`);
