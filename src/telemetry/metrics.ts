import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Logger } from 'pino';
import type { Database } from '../db';
import type { EventBus } from '../events/bus';
import type { JobObserver } from '../scheduler';
import type { GatewayStats } from '../ingest/hj212/public';

/** What the hub's parts report at scrape time; each is asked only when /metrics is read. */
export interface MetricSources {
  db: Database;
  bus: EventBus;
  /** the HJ 212 gateway's counters (kept by the gateway itself, read here) */
  gateway: () => (GatewayStats & { running: boolean }) | undefined;
  /** open WebSocket connections and the bytes they have waiting to be sent */
  websockets: () => { connections: number; bufferedBytes: number };
  /** this instance's name among the database's connections (application_name) */
  applicationName: string;
  poolMax: number;
}

/** Label values a client chooses are kept to this many distinct ones; the rest count as `other`. */
const MAX_OPERATION_NAMES = 200;
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * The hub's Prometheus metrics, in a registry of its own (several hubs may share a process, as
 * the tests do). Counters the hub keeps anyway (the gateway's) are read at scrape time rather than
 * counted twice.
 */
export class HubMetrics implements JobObserver {
  readonly registry = new Registry();
  readonly #operations = new Set<string>();
  readonly #requests: Counter<'operation' | 'type' | 'outcome'>;
  readonly #requestSeconds: Histogram<'operation' | 'type' | 'outcome'>;
  readonly #http: Counter<'route' | 'status'>;
  readonly #ingested: Counter<'outcome'>;
  readonly #ingestSeconds: Histogram;
  readonly #workerRuns: Counter<'worker' | 'outcome'>;
  readonly #workerSeconds: Histogram<'worker'>;
  readonly #workerSkipped: Counter<'worker'>;

  constructor(labels: { instance: string; version: string; engine: string; timescaledb: boolean }) {
    const registry = this.registry;
    registry.setDefaultLabels({ instance_id: labels.instance });
    collectDefaultMetrics({ register: registry, prefix: 'envhub_' });
    new Gauge({
      name: 'envhub_info',
      help: 'this hub instance: version and database engine',
      labelNames: ['version', 'engine', 'timescaledb'],
      registers: [registry],
    })
      .labels(labels.version, labels.engine, String(labels.timescaledb))
      .set(1);
    this.#requests = new Counter({
      name: 'envhub_graphql_requests_total',
      help: 'GraphQL operations over HTTP by operation name, type and outcome',
      labelNames: ['operation', 'type', 'outcome'],
      registers: [registry],
    });
    this.#requestSeconds = new Histogram({
      name: 'envhub_graphql_request_duration_seconds',
      help: 'GraphQL operation latency over HTTP',
      labelNames: ['operation', 'type', 'outcome'],
      buckets: SECONDS,
      registers: [registry],
    });
    this.#http = new Counter({
      name: 'envhub_http_requests_total',
      help: 'HTTP requests by route and status code',
      labelNames: ['route', 'status'],
      registers: [registry],
    });
    this.#ingested = new Counter({
      name: 'envhub_ingest_readings_total',
      help: 'readings offered to ingest, by outcome (accepted, duplicate, rejected)',
      labelNames: ['outcome'],
      registers: [registry],
    });
    this.#ingestSeconds = new Histogram({
      name: 'envhub_ingest_batch_duration_seconds',
      help: 'time to store and evaluate one ingest batch',
      buckets: SECONDS,
      registers: [registry],
    });
    this.#workerRuns = new Counter({
      name: 'envhub_worker_runs_total',
      help: 'periodic job runs and consumed events on this instance, by worker and outcome (ok, failed)',
      labelNames: ['worker', 'outcome'],
      registers: [registry],
    });
    this.#workerSeconds = new Histogram({
      name: 'envhub_worker_run_duration_seconds',
      help: 'duration of a job run or of handling one event',
      labelNames: ['worker'],
      buckets: SECONDS,
      registers: [registry],
    });
    this.#workerSkipped = new Counter({
      name: 'envhub_worker_skipped_total',
      help: 'job periods or event batches left to the instance that claimed them',
      labelNames: ['worker'],
      registers: [registry],
    });
  }

  /** Operation names come from clients: only well-formed ones, and a bounded number of them, become labels. */
  #operationLabel(name: string | undefined | null): string {
    if (!name) return 'anonymous';
    if (!OPERATION_NAME.test(name)) return 'other';
    if (this.#operations.has(name)) return name;
    if (this.#operations.size >= MAX_OPERATION_NAMES) return 'other';
    this.#operations.add(name);
    return name;
  }

  graphqlRequest(operation: string | undefined | null, type: string, outcome: 'ok' | 'error' | 'refused', seconds: number): void {
    const labels = { operation: this.#operationLabel(operation), type, outcome };
    this.#requests.inc(labels);
    this.#requestSeconds.observe(labels, seconds);
  }

  httpRequest(route: string, status: number): void {
    this.#http.inc({ route, status: String(status) });
  }

  ingested(result: { accepted: number; duplicates: number; rejected: number }, seconds: number): void {
    this.#ingested.inc({ outcome: 'accepted' }, result.accepted);
    this.#ingested.inc({ outcome: 'duplicate' }, result.duplicates);
    this.#ingested.inc({ outcome: 'rejected' }, result.rejected);
    this.#ingestSeconds.observe(seconds);
  }

  ran(worker: string, outcome: 'ok' | 'failed', seconds: number): void {
    this.#workerRuns.inc({ worker, outcome });
    this.#workerSeconds.observe({ worker }, seconds);
  }

  skipped(worker: string): void {
    this.#workerSkipped.inc({ worker });
  }

  /** Registers what is read at scrape time. */
  watch(sources: MetricSources, logger: Logger): void {
    const registers = [this.registry];
    const gauge = (name: string, help: string, labelNames: string[], collect: (g: Gauge) => void | Promise<void>) =>
      new Gauge({
        name,
        help,
        labelNames,
        registers,
        async collect() {
          try {
            await collect(this);
          } catch (error) {
            logger.warn({ err: error, metric: name }, 'metric could not be read');
          }
        },
      });
    // counters kept by the gateway: exposed as Prometheus counters, set from its totals
    const fromGateway = (name: string, help: string, read: (stats: GatewayStats) => number) =>
      new Counter({
        name,
        help,
        registers,
        collect() {
          const stats = sources.gateway();
          this.reset();
          if (stats) this.inc(read(stats));
        },
      });
    gauge('envhub_hj212_connections', 'HJ 212 device connections open now', [], (g) => g.set(sources.gateway()?.connectionsOpen ?? 0));
    gauge('envhub_hj212_devices_connected', 'devices authenticated on this instance’s gateway', [], (g) => g.set(sources.gateway()?.devicesConnected ?? 0));
    fromGateway('envhub_hj212_connections_total', 'HJ 212 connections accepted', (s) => s.connectionsTotal);
    fromGateway('envhub_hj212_connections_refused_total', 'HJ 212 connections refused at the connection limit', (s) => s.connectionsRefused);
    fromGateway('envhub_hj212_frames_accepted_total', 'HJ 212 frames accepted', (s) => s.framesAccepted);
    fromGateway('envhub_hj212_acks_sent_total', 'HJ 212 acknowledgements (9014) and replies sent', (s) => s.acksSent + s.requestRepliesSent);
    fromGateway('envhub_hj212_commands_sent_total', 'HJ 212 commands sent to devices on this instance', (s) => s.commandsSent);
    new Counter({
      name: 'envhub_hj212_frames_refused_total',
      help: 'HJ 212 frames refused, by reason',
      labelNames: ['reason'],
      registers,
      collect() {
        this.reset();
        for (const { reason, count } of sources.gateway()?.rejections ?? []) this.inc({ reason }, count);
      },
    });
    gauge('envhub_subscribers', 'event subscriptions open on this instance', [], (g) => g.set(sources.bus.subscriberCount));
    gauge('envhub_subscriber_queue_events', 'events waiting in subscribers’ queues: the sum and the longest', ['measure'], (g) => {
      const depths = sources.bus.queueDepths();
      g.set({ measure: 'sum' }, depths.queued);
      g.set({ measure: 'max' }, depths.maxQueued);
    });
    gauge('envhub_websocket_connections', 'graphql-ws connections open', [], (g) => g.set(sources.websockets().connections));
    gauge('envhub_websocket_send_buffer_bytes', 'bytes written to WebSockets and not yet sent', [], (g) => g.set(sources.websockets().bufferedBytes));
    gauge('envhub_outbox_lag_events', 'events committed to the outbox and not yet delivered on this instance', [], async (g) => {
      g.set(Math.max(0, (await sources.bus.latestId()) - sources.bus.cursor));
    });
    gauge('envhub_consumer_lag_events', 'events a module worker has yet to handle (any instance)', ['consumer'], async (g) => {
      const rows = await sources.db.query<{ name: string; lag: number | string }>(
        'SELECT c.name, greatest(0, coalesce((SELECT max(id) FROM hub_events), 0) - c.last_event_id) AS lag FROM hub_consumers c',
      );
      g.reset();
      for (const row of rows) g.set({ consumer: row.name }, Number(row.lag));
    });
    gauge('envhub_db_pool_max', 'connections the pool may open', [], (g) => g.set(sources.poolMax));
    gauge('envhub_db_connections', 'this instance’s database connections by state, as the server sees them', ['state'], async (g) => {
      g.reset();
      if (sources.db.engine !== 'postgres') return;
      const rows = await sources.db.query<{ state: string | null; n: number | string }>(
        'SELECT state, count(*) AS n FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid() GROUP BY state',
        [sources.applicationName],
      );
      for (const row of rows) g.set({ state: row.state ?? 'unknown' }, Number(row.n));
    });
    new Counter({
      name: 'envhub_db_statements_total',
      help: 'statements sent to the database',
      registers,
      collect() {
        this.reset();
        this.inc(sources.db.statementCount());
      },
    });
  }

  /** The Prometheus text exposition. */
  async text(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
