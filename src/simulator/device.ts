/**
 * One simulated data logger on its own TCP connection, behaving as loggers in the field do: it
 * sends one packet at a time and waits for the 9014 acknowledgement, retries a packet that is not
 * acknowledged, keeps what it could not deliver and sends it later, answers the platform's
 * commands (9011 then 9012; a 3015 fills the next bottle of its sampler), and now and then falls
 * silent for a while.
 */

import { connect, type Socket } from 'node:net';
import type { Logger } from 'pino';
import {
  buildDataUpload,
  buildRequestReply,
  encodeFrame,
  encodeSegment,
  FLAG_ACK,
  FLAG_SPLIT,
  formatHj212Time,
  formatQn,
  FrameDecoder,
  parseHj212Time,
  parseSegment,
  QN_RTN,
  type DataUploadCn,
  type Hj212Message,
  type UploadItem,
} from '../ingest/hj212/public';
import type { KindProfile } from './profiles';
import type { SimulatedMonitor } from './sources';
import { DeviceMeasurements } from './values';
import { DAY_MS, HOUR_MS, isBureauMidnight } from '../time';

export type DeviceSettings = {
  host: string;
  port: number;
  /** seconds between real-time uploads; a 1062 command changes it */
  rtdSeconds: number;
  ackTimeoutMs: number;
  /** mean running hours between exceedance episodes; 0: never */
  exceedanceMeanHours: number;
  /** mean running hours between silent spells; 0: never */
  silenceMeanHours: number;
  logger: Logger;
};

type Packet = { qn: string; segment: string };
type Job = { what: string; packets: Packet[]; sent: number };

const RETRIES = 3;
/** What a logger keeps while it cannot deliver; the oldest goes first. */
const MAX_BACKLOG = 200;
/** Hours a logger back-fills after a silence. */
const MAX_BACKFILL_HOURS = 24;
const ST_REPLY = '91';
/** bottles in a simulated sampler's carousel */
const SAMPLER_BOTTLES = 24;

function localMidnightEnds(hourEnd: number): boolean {
  return isBureauMidnight(new Date(hourEnd));
}

export class SimulatedDevice {
  private socket: Socket | undefined;
  private connected = false;
  private readonly decoder = new FrameDecoder({ maxSegmentBytes: 9999 });
  private readonly acks = new Map<string, () => void>();
  private readonly queue: Job[] = [];
  private pumping = false;
  private readonly measurements: DeviceMeasurements;
  private readonly logger: Logger;
  private rtdSeconds: number;
  private nextRtdAt: number;
  /** Start of the next hour whose values are still to be queued. */
  private nextHour: number;
  private lastTick: number;
  private silentUntil = 0;
  private refusedUntil = 0;
  /** the sampler's carousel: the bottle the last 3015 filled */
  private lastVase = 0;
  private reconnectAt = 0;
  private reconnectDelayMs = 2000;
  private lastQnMs = 0;
  private restarted = true;
  private stopped = false;

  constructor(
    readonly monitor: SimulatedMonitor,
    private readonly password: string,
    private readonly profile: KindProfile,
    readonly edition2005: boolean,
    private readonly random: () => number,
    private readonly settings: DeviceSettings,
    now: Date,
  ) {
    this.measurements = new DeviceMeasurements(profile, random, edition2005);
    this.logger = settings.logger.child({ mn: monitor.mn });
    this.rtdSeconds = settings.rtdSeconds;
    // Spread the devices over the first interval instead of all speaking at once.
    this.nextRtdAt = now.getTime() + random() * settings.rtdSeconds * 1000;
    this.nextHour = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS - HOUR_MS;
    this.lastTick = now.getTime();
  }

  get online(): boolean {
    return this.connected;
  }

  get backlog(): number {
    return this.queue.length;
  }

  tick(now: Date): void {
    if (this.stopped) return;
    const elapsedSeconds = Math.max(0, (now.getTime() - this.lastTick) / 1000);
    this.lastTick = now.getTime();
    // The logger measures and stores its hourly values even while it cannot reach the platform.
    this.queuePeriods(now);
    if (now.getTime() < this.silentUntil || now.getTime() < this.refusedUntil) return;
    if (!this.connected) {
      // A logger with only hourly data opens its link when it has some: the gateway closes a
      // connection that presents no data (HJ212_AUTH_TIMEOUT_SECONDS).
      const hasData = this.profile.realTime || this.queue.length > 0;
      if (!this.socket && hasData && now.getTime() >= this.reconnectAt) this.connect();
      return;
    }
    if (this.settings.exceedanceMeanHours > 0) {
      const factor = this.measurements.maybeStartSpell(now, elapsedSeconds, this.settings.exceedanceMeanHours);
      if (factor) this.logger.debug({ factor }, 'simulated exceedance episode begins');
    }
    if (this.settings.silenceMeanHours > 0 && this.random() < elapsedSeconds / (this.settings.silenceMeanHours * 3600)) {
      this.fallSilent(now, (10 + this.random() * 20) * 60_000);
      return;
    }
    if (this.profile.realTime && now.getTime() >= this.nextRtdAt) {
      this.enqueue('2011', [this.upload('2011', now, this.measurements.realTimeItems(now), now)]);
      this.nextRtdAt = Math.max(this.nextRtdAt + this.rtdSeconds * 1000, now.getTime() + 1000);
    }
    void this.pump();
  }

  /** Whether the device sends real-time values over a live connection: the showcase needs both. */
  get canShowcase(): boolean {
    return this.connected && this.profile.realTime && this.profile.factors.some((factor) => factor.spike > 1);
  }

  /** A forced exceedance for the demo: its first value goes out at once. */
  showcase(now: Date, minutes: number): string | undefined {
    const factor = this.measurements.forceSpell(now, minutes);
    if (factor) {
      this.nextRtdAt = now.getTime();
      this.logger.info({ factor, minutes }, 'simulated exceedance begins (demo showcase)');
    }
    return factor;
  }

  stop(): void {
    this.stopped = true;
    this.socket?.destroy();
  }

  /** A power cut or a lost line: no data for a while, then a logger restart (2081). */
  private fallSilent(now: Date, durationMs: number): void {
    this.logger.info({ minutes: Math.round(durationMs / 60_000) }, 'simulated device falls silent');
    this.silentUntil = now.getTime() + durationMs;
    this.restarted = true;
    this.socket?.destroy();
  }

  private queuePeriods(now: Date): void {
    if (this.nextHour < now.getTime() - MAX_BACKFILL_HOURS * HOUR_MS)
      this.nextHour = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS - MAX_BACKFILL_HOURS * HOUR_MS;
    while (this.nextHour + HOUR_MS <= now.getTime()) {
      const start = new Date(this.nextHour);
      if (this.profile.factors.length > 0) this.enqueuePeriod('2061', start, HOUR_MS, now);
      if (this.profile.facilities > 0) this.enqueue('2021', [this.facilityStatus(start, now)]);
      if (localMidnightEnds(this.nextHour + HOUR_MS) && this.profile.factors.length > 0) {
        this.enqueuePeriod('2031', new Date(this.nextHour + HOUR_MS - DAY_MS), DAY_MS, now);
      }
      this.nextHour += HOUR_MS;
    }
  }

  /** Hourly and daily values; one in five goes out split in two packets, as long records do. */
  private enqueuePeriod(cn: '2061' | '2031', start: Date, durationMs: number, now: Date): void {
    const items = this.measurements.periodItems(start, durationMs);
    if (items.length >= 4 && this.random() < 0.2) {
      const half = Math.ceil(items.length / 2);
      this.enqueue(cn, [
        this.upload(cn, start, items.slice(0, half), now, { pnum: 2, pno: 1 }),
        this.upload(cn, start, items.slice(half), now, { pnum: 2, pno: 2 }),
      ]);
    } else {
      this.enqueue(cn, [this.upload(cn, start, items, now)]);
    }
  }

  private flag(split = false): number {
    return (this.edition2005 ? 0 : 4) | FLAG_ACK | (split ? FLAG_SPLIT : 0);
  }

  private nextQn(now: Date): string {
    const ms = Math.max(now.getTime(), this.lastQnMs + 1);
    this.lastQnMs = ms;
    return formatQn(new Date(ms));
  }

  private upload(cn: DataUploadCn, dataTime: Date, items: UploadItem[], now: Date, split?: { pnum: number; pno: number }): Packet {
    const qn = this.nextQn(now);
    const segment = buildDataUpload({
      qn,
      st: this.profile.st,
      cn,
      pw: this.password,
      mn: this.monitor.mn,
      flag: this.flag(split !== undefined),
      dataTime,
      items,
      ...(split ?? {}),
    });
    return { qn, segment };
  }

  private facilityStatus(time: Date, now: Date): Packet {
    const qn = this.nextQn(now);
    const facilities = Array.from({ length: this.profile.facilities }, (_, i) => {
      // Mostly running; now and then in maintenance.
      const status = this.random() < 0.05 ? 3 : 1;
      return `SB${i + 1}-RS=${status}`;
    });
    const cp = [`DataTime=${formatHj212Time(time)}`, ...facilities].join(';');
    return { qn, segment: encodeSegment({ qn, st: this.profile.st, cn: '2021', pw: this.password, mn: this.monitor.mn, flag: this.flag(), cp }) };
  }

  private restartReport(now: Date): Packet {
    const qn = this.nextQn(now);
    const time = formatHj212Time(now);
    const cp = `DataTime=${time};RestartTime=${time}`;
    return { qn, segment: encodeSegment({ qn, st: this.profile.st, cn: '2081', pw: this.password, mn: this.monitor.mn, flag: this.flag(), cp }) };
  }

  private enqueue(what: string, packets: Packet[]): void {
    this.queue.push({ what, packets, sent: 0 });
    while (this.queue.length > MAX_BACKLOG) this.queue.shift();
  }

  private connect(): void {
    const socket = connect({ host: this.settings.host, port: this.settings.port });
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on('connect', () => {
      this.connected = true;
      this.reconnectDelayMs = 2000;
      if (this.restarted) {
        this.restarted = false;
        this.queue.unshift({ what: '2081', packets: [this.restartReport(new Date())], sent: 0 });
      }
      void this.pump();
    });
    socket.on('data', (chunk: Buffer) => {
      for (const frame of this.decoder.push(chunk)) {
        if (!frame.ok) continue;
        const parsed = parseSegment(frame.segment);
        if (parsed.ok) this.receive(parsed.message);
      }
    });
    socket.on('error', (error: Error) => this.logger.debug({ err: error }, 'simulated device connection error'));
    socket.on('close', () => {
      this.connected = false;
      this.socket = undefined;
      this.decoder.end();
      for (const wake of this.acks.values()) wake();
      this.acks.clear();
      this.reconnectAt = Date.now() + this.reconnectDelayMs;
      this.reconnectDelayMs = Math.min(this.reconnectDelayMs * 2, 60_000);
    });
  }

  private write(segment: string): boolean {
    if (!this.socket || !this.connected) return false;
    this.socket.write(encodeFrame(segment));
    return true;
  }

  /** Sends queued jobs one packet at a time, each acknowledged before the next. */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.connected && !this.stopped) {
        const job = this.queue[0];
        if (!job) return;
        const packet = job.packets[job.sent];
        if (!packet) {
          this.queue.shift();
          continue;
        }
        if (!(await this.deliver(packet))) {
          // Kept: the logger sends it again with the next round.
          this.logger.debug({ what: job.what, qn: packet.qn }, 'no acknowledgement after retries: kept for later');
          return;
        }
        job.sent += 1;
      }
    } finally {
      this.pumping = false;
    }
  }

  private async deliver(packet: Packet): Promise<boolean> {
    for (let attempt = 0; attempt <= RETRIES; attempt++) {
      let acknowledged = false;
      const wait = new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.settings.ackTimeoutMs);
        this.acks.set(packet.qn, () => {
          clearTimeout(timer);
          acknowledged = this.connected;
          resolve();
        });
      });
      if (!this.write(packet.segment)) {
        this.acks.delete(packet.qn);
        return false;
      }
      await wait;
      this.acks.delete(packet.qn);
      if (acknowledged) return true;
      if (!this.connected) return false;
    }
    return false;
  }

  private receive(message: Hj212Message): void {
    const qn = message.qn ?? message.cpFields.QN;
    if (message.cn === '9014') {
      if (qn !== undefined) this.acks.get(qn)?.();
      return;
    }
    if (message.cn === '9011') {
      const code = Number(message.cpFields.QnRtn);
      if (code === QN_RTN.badMn || code === QN_RTN.badPassword) {
        this.logger.warn({ qnRtn: code }, 'the gateway refuses this simulated device: trying again in 10 minutes');
        this.refusedUntil = Date.now() + 10 * 60_000;
        this.socket?.destroy();
      }
      return;
    }
    if (/^[13]\d{3}$/.test(message.cn) && message.ackRequested) this.answerCommand(message);
  }

  /** 9011 (will do), the value for a "get" command or the bottle a 3015 filled, 9012 (done). */
  private answerCommand(message: Hj212Message): void {
    const supported = ['1011', '1012', '1061', '1062', '3015'];
    if (!supported.includes(message.cn)) {
      this.write(buildRequestReply(message, QN_RTN.refused));
      return;
    }
    this.write(buildRequestReply(message, QN_RTN.ready));
    const now = new Date();
    const answer = (cp: string) => {
      const fields = { st: this.profile.st, cn: message.cn, pw: this.password, mn: this.monitor.mn, cp };
      this.write(encodeSegment(message.qn === undefined ? fields : { ...fields, qn: message.qn, flag: this.edition2005 ? 0 : 4 }));
    };
    let exeRtn = 1;
    if (message.cn === '1011') answer(`SystemTime=${formatHj212Time(now)}`);
    if (message.cn === '1061') answer(`RtdInterval=${this.rtdSeconds}`);
    if (message.cn === '1062') {
      const seconds = Number(message.cpFields.RtdInterval);
      if (Number.isInteger(seconds) && seconds >= 1 && seconds <= 86400) {
        this.rtdSeconds = seconds;
        this.nextRtdAt = Math.min(this.nextRtdAt, now.getTime() + seconds * 1000);
        this.logger.info({ rtdSeconds: seconds }, 'simulated device real-time interval set');
      } else exeRtn = 3;
    }
    if (message.cn === '1012' && !parseHj212Time(message.cpFields.SystemTime ?? '')) exeRtn = 3;
    if (message.cn === '3015') {
      this.lastVase = (this.lastVase % SAMPLER_BOTTLES) + 1;
      answer(`DataTime=${formatHj212Time(now)};VaseNo=${this.lastVase}`);
    }
    const qnField = message.qn ?? message.cpFields.QN;
    this.write(
      this.edition2005
        ? encodeSegment({
            st: ST_REPLY,
            cn: '9012',
            pw: this.password,
            mn: this.monitor.mn,
            cp: [...(qnField ? [`QN=${qnField}`] : []), `ExeRtn=${exeRtn}`].join(';'),
          })
        : encodeSegment({
            ...(qnField ? { qn: qnField } : {}),
            st: ST_REPLY,
            cn: '9012',
            pw: this.password,
            mn: this.monitor.mn,
            flag: 4,
            cp: `ExeRtn=${exeRtn}`,
          }),
    );
  }
}
