/**
 * Forwards one target's monitors' stored uploads (数据转发): per monitor in the order they were
 * stored, each waiting for the target's 9014 when the target acknowledges, sent again after a
 * timeout or a reconnect, at a bounded rate. A monitor whose uploads the target refuses (9011
 * with QnRtn other than 1) is reported and left alone until the hub restarts; the others go on.
 * One instance forwards to a target at a time (a lease), so nothing goes up twice from a cluster.
 */
import type { Logger } from 'pino';
import type { Database } from '../../../db';
import type { MonitorKind, MonitoringService } from '../../../monitoring/public';
import { encodeFrame } from '../frame';
import { formatQn } from '../message';
import { UpstreamLink } from './link';
import { segmentOfRestart, segmentOfStatus, segmentOfUpload, type UploadHeader } from './rebuild';
import {
  acknowledge,
  acknowledgeState,
  changedState,
  ensureCursors,
  holdLease,
  monitorsWithBacklog,
  nextUploads,
  releaseLease,
  targetConfiguredAt,
} from './store';
import type { ForwardMonitor, ForwardTarget } from './targets';

export interface ForwardSettings {
  maxPerSecond: number;
  ackTimeoutSeconds: number;
  retries: number;
  /** rows read from the store at once per monitor: what a backlog of any length holds in memory */
  readRows: number;
}

export interface ForwarderDeps {
  db: Database;
  logger: Logger;
  instanceId: string;
  settings: ForwardSettings;
  monitoring: Pick<MonitoringService, 'monitorByMn'>;
  /** how long an idle forwarder waits before looking for new uploads */
  pollMs?: number;
}

export interface ForwardMonitorStatus {
  mn: string;
  upstreamMn: string;
  monitorId: number | null;
  /** QnRtn of the 9011 with which the target refused this monitor's uploads */
  refusedWith: number | null;
}

export interface ForwardTargetStatus {
  target: ForwardTarget;
  /** this instance holds the target's lease and forwards to it */
  active: boolean;
  connected: boolean;
  sent: number;
  resent: number;
  acknowledged: number;
  errors: number;
  lastError: string | null;
  lastErrorAt: Date | null;
  lastAcknowledgedAt: Date | null;
  /** where a monitor without a cursor starts: the target's `since`, or when the hub first ran with it */
  startsFrom: Date | null;
  monitors: ForwardMonitorStatus[];
}

const EDITION_BITS = { '2005': 0, '2017': 4, '2025': 8 } as const;
/** The system code (ST) uploads go up with, by the kind of monitor they come from. */
const ST_OF_KIND: Readonly<Record<MonitorKind, string>> = {
  WASTEWATER_OUTLET: '32',
  FLUE_GAS_OUTLET: '31',
  HEAVY_METAL_ANALYSER: '32',
  WATER_SAMPLER: '32',
  AIR_STATION: '22',
  WATER_STATION: '21',
  NOISE: '23',
  OTHER: '32',
};
const LEASE_SECONDS = 30;
const RENEW_MS = 10_000;
const CONNECT_TIMEOUT_MS = 10_000;
const MAX_BACKOFF_MS = 60_000;
const RESOLVE_MS = 5000;
/** monitors with an upload awaiting its 9014 at once, each on its own connection */
const IN_FLIGHT = 16;

export class TargetForwarder {
  private stopped = false;
  /** one connection per monitor in flight: a gateway handles each connection's frames in turn */
  private readonly links: (UpstreamLink | undefined)[] = [];
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private lastQnMs = 0;
  private nextSendAt = 0;
  private leaseAt = 0;
  private configuredAt: Date | undefined;
  private readonly byId = new Map<number, ForwardMonitorStatus & { config: ForwardMonitor; st: string }>();
  readonly status: ForwardTargetStatus;
  private readonly logger: Logger;

  constructor(
    readonly target: ForwardTarget,
    private readonly deps: ForwarderDeps,
  ) {
    this.logger = deps.logger.child({ forwardTarget: target.name });
    this.status = {
      target,
      active: false,
      connected: false,
      sent: 0,
      resent: 0,
      acknowledged: 0,
      errors: 0,
      lastError: null,
      lastErrorAt: null,
      lastAcknowledgedAt: null,
      startsFrom: target.since ?? null,
      monitors: target.monitors.map((m) => ({ mn: m.mn, upstreamMn: m.upstreamMn, monitorId: null, refusedWith: null })),
    };
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** Stops forwarding: waits for the upload under way to be answered or dropped. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    this.closeLinks();
    await this.loop;
    if (this.status.active) await releaseLease(this.deps.db, this.target.name, this.deps.instanceId).catch(() => {});
    this.status.active = false;
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  private fail(error: unknown): void {
    const text = error instanceof Error ? error.message : String(error);
    this.status.errors += 1;
    this.status.lastError = text;
    this.status.lastErrorAt = new Date();
    this.logger.warn({ err: text }, 'hj212 forwarding target unreachable or not answering: will retry');
  }

  /**
   * Finds the hub's monitors the target lists; an MN not (yet) registered is looked for again later.
   * A monitor found for the first time starts with what the hub stored from the target's `since`,
   * or from when the hub first ran with the target.
   */
  private async resolveMonitors(): Promise<void> {
    // recorded whether or not `since` is set, so taking `since` out later keeps the first run's time
    const configuredAt = (this.configuredAt ??= await targetConfiguredAt(this.deps.db, this.target.name));
    const startsFrom = this.target.since ?? configuredAt;
    this.status.startsFrom = startsFrom;
    const fresh: number[] = [];
    for (const [index, monitor] of this.target.monitors.entries()) {
      const status = this.status.monitors[index];
      if (!status || status.monitorId !== null) continue;
      const found = await this.deps.monitoring.monitorByMn(monitor.mn);
      if (!found) continue;
      status.monitorId = found.id;
      this.byId.set(found.id, Object.assign(status, { config: monitor, st: ST_OF_KIND[found.kind] ?? '32' }));
      fresh.push(found.id);
    }
    await ensureCursors(this.deps.db, this.target.name, fresh, startsFrom);
  }

  private async run(): Promise<void> {
    let backoff = 1000;
    let resolvedAt = 0;
    while (!this.stopped) {
      try {
        if (!(await this.renewLease(true))) {
          await this.sleep(LEASE_SECONDS * 500);
          continue;
        }
        // a monitor registered after the start is found within seconds
        if (resolvedAt === 0 || (this.byId.size < this.target.monitors.length && Date.now() - resolvedAt > RESOLVE_MS)) {
          await this.resolveMonitors();
          resolvedAt = Date.now();
        }
        const open = [...this.byId.values()].filter((m) => m.refusedWith === null).map((m) => m.monitorId as number);
        const pending = await monitorsWithBacklog(this.deps.db, this.target.name, open, this.target);
        if (pending.length === 0) {
          await this.sleep(this.deps.pollMs ?? 1000);
          continue;
        }
        await this.connect(0);
        await this.forwardConcurrently(pending);
        backoff = 1000;
      } catch (error) {
        this.closeLinks();
        if (this.stopped) break;
        this.fail(error);
        await this.sleep(backoff);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      }
    }
    this.closeLinks();
  }

  private closeLinks(): void {
    for (const link of this.links.splice(0)) link?.close();
    this.status.connected = false;
  }

  private async renewLease(force: boolean): Promise<boolean> {
    if (!force && Date.now() - this.leaseAt < RENEW_MS) return true;
    const held = await holdLease(this.deps.db, this.target.name, this.deps.instanceId, LEASE_SECONDS);
    if (held !== this.status.active)
      this.logger.info({ active: held }, held ? 'hj212 forwarding to target from this instance' : 'hj212 forwarding to target left to another instance');
    this.status.active = held;
    if (held) this.leaseAt = Date.now();
    return held;
  }

  private async connect(index: number): Promise<UpstreamLink> {
    const held = this.links[index];
    if (held?.isOpen) return held;
    const link = await UpstreamLink.connect(this.target.host, this.target.port, CONNECT_TIMEOUT_MS, (m) =>
      this.logger.debug({ cn: m.cn, qn: m.qn }, 'hj212 forwarding target sent a frame that answers nothing under way'),
    );
    this.links[index] = link;
    this.status.connected = true;
    if (index === 0) this.logger.info({ host: this.target.host, port: this.target.port }, 'hj212 forwarding target connected');
    return link;
  }

  /**
   * Up to IN_FLIGHT monitors have an upload waiting for its answer at once, each on a connection
   * of its own: each monitor's uploads still go one after the other, but the round trip and the
   * target's commit of one monitor's upload no longer hold up the rest.
   */
  private async forwardConcurrently(monitorIds: readonly number[]): Promise<void> {
    const queue = [...monitorIds];
    const worker = async (index: number): Promise<void> => {
      for (let next = queue.shift(); next !== undefined && !this.stopped; next = queue.shift()) await this.forwardMonitor(next, await this.connect(index));
    };
    const outcomes = await Promise.allSettled(Array.from({ length: Math.min(IN_FLIGHT, queue.length) }, (_, index) => worker(index)));
    const failed = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** Sends a monitor's waiting uploads in order; a refusal stops the monitor, a lost link throws. */
  private async forwardMonitor(monitorId: number, link: UpstreamLink): Promise<void> {
    const monitor = this.byId.get(monitorId);
    if (!monitor) return;
    const uploads = await nextUploads(this.deps.db, this.target.name, monitorId, this.target, this.deps.settings.readRows);
    for (const upload of uploads) {
      if (this.stopped) return;
      if (!(await this.renewLease(false))) throw new Error('the forwarding lease went to another instance');
      if (!(await this.deliver(link, monitor, (header) => segmentOfUpload(header, upload)))) return;
      await acknowledge(this.deps.db, this.target.name, upload);
      this.counted();
    }
    if (this.stopped || uploads.length > 0) return;
    // the monitor's state goes up once its history has: what changed since the target last acknowledged it
    const state = await changedState(this.deps.db, this.target.name, monitorId, this.target);
    if ((state.facilityStatus || state.restartedAt) && !(await this.renewLease(false))) throw new Error('the forwarding lease went to another instance');
    const status = state.facilityStatus;
    if (status) {
      if (!(await this.deliver(link, monitor, (header) => segmentOfStatus(header, status)))) return;
      await acknowledgeState(this.deps.db, this.target.name, monitorId, { facilityStatus: status.json });
      this.counted();
    }
    const restart = state.restartedAt;
    if (restart) {
      if (!(await this.deliver(link, monitor, (header) => segmentOfRestart(header, restart.time)))) return;
      await acknowledgeState(this.deps.db, this.target.name, monitorId, { restartedAt: restart.text });
      this.counted();
    }
  }

  private counted(): void {
    this.status.acknowledged += 1;
    this.status.lastAcknowledgedAt = new Date();
  }

  /** A refusal leaves the monitor alone until the hub restarts: reported, not retried. */
  private refused(monitor: ForwardMonitorStatus, qnRtn: number): void {
    monitor.refusedWith = qnRtn;
    this.status.errors += 1;
    this.status.lastError = `${monitor.mn} refused with QnRtn ${qnRtn}`;
    this.status.lastErrorAt = new Date();
    this.logger.error(
      { mn: monitor.mn, upstreamMn: monitor.upstreamMn, qnRtn },
      'hj212 forwarding target refused a monitor’s uploads: not retried until the hub restarts',
    );
  }

  private nextQn(): string {
    this.lastQnMs = Math.max(Date.now(), this.lastQnMs + 1);
    return formatQn(new Date(this.lastQnMs));
  }

  private async pace(): Promise<void> {
    const now = Date.now();
    const wait = this.nextSendAt - now;
    this.nextSendAt = Math.max(now, this.nextSendAt) + 1000 / this.deps.settings.maxPerSecond;
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }

  /**
   * One upload, sent again on a timeout: true once the target acknowledged it, false when it
   * refused the monitor (reported); throws when the link is lost.
   */
  private async deliver(
    link: UpstreamLink,
    monitor: ForwardMonitorStatus & { config: ForwardMonitor; st: string },
    segment: (header: UploadHeader) => string,
  ): Promise<boolean> {
    const qn = this.nextQn();
    const frame = encodeFrame(
      segment({
        qn,
        st: monitor.st,
        pw: monitor.config.upstreamPw,
        mn: monitor.config.upstreamMn,
        flag: EDITION_BITS[this.target.edition] | (this.target.ack ? 1 : 0),
      }),
    );
    const waitMs = this.target.ack ? this.deps.settings.ackTimeoutSeconds * 1000 : undefined;
    for (let attempt = 0; attempt <= this.deps.settings.retries; attempt += 1) {
      await this.pace();
      if (attempt === 0) this.status.sent += 1;
      else this.status.resent += 1;
      const answer = await link.send(frame, qn, waitMs);
      if (answer.kind === 'acknowledged') return true;
      if (answer.kind === 'refused') {
        this.refused(monitor, answer.qnRtn);
        return false;
      }
      if (answer.kind === 'closed') throw new Error('the target closed the connection');
    }
    throw new Error(`no 9014 for ${this.deps.settings.retries + 1} sendings of an upload`);
  }
}
