import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeFrame } from '../../src/ingest/hj212/frame';
import { hj212GatewayRef } from '../../src/ingest/hj212/service';
import { HUB_VERSION } from '../../src/version';
import { ENGINES, startTestHub, type TestHub } from '../support/hub';
import { connectWs, collect } from '../support/ws';
import { createMonitor, eventually, ingest } from '../support/monitoring';
import { RawDevice } from '../ingest/hj212/device-client';

const TOKEN = 'metrics-token-for-the-tests-0123456789';

/** One sample's value from the Prometheus text: the line with exactly these labels (and the instance's). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const match = /^([^{ ]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, value]) => found[key] === value) && Object.keys(found).length === Object.keys(labels).length + 1)
      return Number(match[3]);
  }
  return undefined;
}

describe.each(ENGINES)('Prometheus metrics at /metrics (%s)', (engine) => {
  let th: TestHub;
  let admin: string;

  /** `null`: no Authorization header at all */
  const scrape = async (token: string | null = TOKEN) => {
    const response = await fetch(`http://127.0.0.1:${th.hub.port}/metrics`, { headers: token === null ? {} : { authorization: `Bearer ${token}` } });
    return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
  };

  beforeAll(async () => {
    th = await startTestHub({ engine, env: { METRICS_TOKEN: TOKEN, INTERRUPTION_CHECK_SECONDS: '1' } });
    admin = await th.token({ roles: ['admin'] });
    await createMonitor(th, admin, { mn: 'METRICS-1', password: '123456' });
  });
  afterAll(() => th?.stop());

  it('answers only a scraper that presents the token', async () => {
    expect((await scrape(null)).status).toBe(401);
    expect((await scrape('metrics-token-for-the-tests-wrong-one')).status).toBe(401);
    const ok = await scrape();
    expect(ok.status).toBe(200);
    expect(ok.type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(
      sample(ok.text, 'envhub_info', {
        version: HUB_VERSION,
        engine: engine === 'pglite' ? 'pglite' : 'postgres',
        timescaledb: String(engine !== 'postgresql'),
      }),
    ).toBe(1);
  });

  it('counts GraphQL requests by operation and outcome, with their latency', async () => {
    for (let i = 0; i < 3; i += 1) expect((await th.graphql('query HubVersion { hub { version } }')).status).toBe(200);
    await th.graphql('query Broken { hub { nosuchfield } }');
    const { text } = await scrape();
    expect(sample(text, 'envhub_graphql_requests_total', { operation: 'HubVersion', type: 'query', outcome: 'ok' })).toBe(3);
    expect(sample(text, 'envhub_graphql_request_duration_seconds_count', { operation: 'HubVersion', type: 'query', outcome: 'ok' })).toBe(3);
    expect(sample(text, 'envhub_graphql_request_duration_seconds_bucket', { operation: 'HubVersion', type: 'query', outcome: 'ok', le: '+Inf' })).toBe(3);
    expect(sample(text, 'envhub_graphql_requests_total', { operation: 'Broken', type: 'unknown', outcome: 'refused' })).toBe(1);
    expect(sample(text, 'envhub_http_requests_total', { route: '/graphql', status: '200' })).toBeGreaterThanOrEqual(3);
  });

  it('counts ingested readings by outcome', async () => {
    const time = new Date(Date.now() - 3600_000);
    await ingest(th, admin, [
      { mn: 'METRICS-1', time, value: 1 },
      { mn: 'METRICS-1', time: new Date(time.getTime() + 60_000), value: 2 },
    ]);
    await ingest(th, admin, [
      { mn: 'METRICS-1', time, value: 1 },
      { mn: 'NO-SUCH-MONITOR', time, value: 1 },
    ]);
    const { text } = await scrape();
    expect(sample(text, 'envhub_ingest_readings_total', { outcome: 'accepted' })).toBe(2);
    expect(sample(text, 'envhub_ingest_readings_total', { outcome: 'duplicate' })).toBe(1);
    expect(sample(text, 'envhub_ingest_readings_total', { outcome: 'rejected' })).toBe(1);
    expect(sample(text, 'envhub_ingest_batch_duration_seconds_count')).toBe(2);
  });

  it('shows HJ 212 connections, frames, and refusals by reason', async () => {
    const device = await RawDevice.connect(th.hub.services.get(hj212GatewayRef).port as number);
    device.upload({
      qn: '20240501080000001',
      st: '32',
      cn: '2011',
      pw: '123456',
      mn: 'METRICS-1',
      flag: 5,
      dataTime: new Date(Date.now() - 120_000),
      items: [{ code: 'w01018', values: { Rtd: 3 } }],
    });
    expect((await device.next()).cn).toBe('9014');
    const good = encodeFrame('QN=20240501080000002;ST=32;CN=2011;PW=123456;MN=METRICS-1;Flag=5;CP=&&DataTime=20240501080000;w01018-Rtd=4&&');
    device.write(`${good.slice(0, -6)}0000\r\n`);
    const { text } = await eventually(async () => {
      const scraped = await scrape();
      return (sample(scraped.text, 'envhub_hj212_frames_refused_total', { reason: 'bad-crc' }) ?? 0) >= 1 ? scraped : undefined;
    });
    expect(sample(text, 'envhub_hj212_connections')).toBe(1);
    expect(sample(text, 'envhub_hj212_devices_connected')).toBe(1);
    expect(sample(text, 'envhub_hj212_connections_total')).toBe(1);
    expect(sample(text, 'envhub_hj212_frames_accepted_total')).toBe(1);
    expect(sample(text, 'envhub_hj212_frames_refused_total', { reason: 'bad-crc' })).toBe(1);
    device.close();
  });

  it('shows subscribers, their queues, the outbox lag, worker runs and the database pool', async () => {
    const ws = connectWs(th.hub.port, admin);
    const stream = collect(ws.client, 'subscription { exceedanceEvents { eventId } }', {});
    try {
      const { text } = await eventually(async () => {
        const scraped = await scrape();
        const ready =
          sample(scraped.text, 'envhub_subscribers') === 1 &&
          (sample(scraped.text, 'envhub_worker_runs_total', { worker: 'monitoring.interruption', outcome: 'ok' }) ?? 0) >= 1;
        return ready ? scraped : undefined;
      });
      expect(sample(text, 'envhub_websocket_connections')).toBe(1);
      expect(sample(text, 'envhub_subscriber_queue_events', { measure: 'max' })).toBe(0);
      expect(sample(text, 'envhub_outbox_lag_events')).toBe(0);
      expect(sample(text, 'envhub_worker_run_duration_seconds_count', { worker: 'monitoring.interruption' })).toBeGreaterThanOrEqual(1);
      expect(sample(text, 'envhub_db_pool_max')).toBe(engine === 'pglite' ? 1 : 10);
      expect(sample(text, 'envhub_db_statements_total')).toBeGreaterThan(0);
      if (engine !== 'pglite') expect(sample(text, 'envhub_db_connections', { state: 'idle' })).toBeGreaterThanOrEqual(1);
      expect(text).toContain('envhub_process_resident_memory_bytes');
    } finally {
      stream.dispose();
      await ws.dispose();
    }
  });
});

describe('metrics without a token, and on a listener of their own (pglite)', () => {
  it('keeps /metrics off the main port without a token', async () => {
    const th = await startTestHub();
    try {
      expect((await fetch(`http://127.0.0.1:${th.hub.port}/metrics`)).status).toBe(404);
      expect(th.hub.metricsPort).toBeUndefined();
    } finally {
      await th.stop();
    }
  });

  it('serves /metrics alone on METRICS_PORT, and still asks for the token when one is set', async () => {
    const open = await startTestHub({ env: { METRICS_PORT: '0' } });
    const guarded = await startTestHub({ env: { METRICS_PORT: '0', METRICS_TOKEN: TOKEN } });
    try {
      const port = open.hub.metricsPort as number;
      const response = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('envhub_graphql_requests_total');
      expect((await fetch(`http://127.0.0.1:${port}/graphql`)).status).toBe(404);
      expect((await fetch(`http://127.0.0.1:${open.hub.port}/metrics`)).status).toBe(404);
      expect((await fetch(`http://127.0.0.1:${guarded.hub.metricsPort as number}/metrics`)).status).toBe(401);
      expect((await fetch(`http://127.0.0.1:${guarded.hub.metricsPort as number}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(
        200,
      );
    } finally {
      await open.stop();
      await guarded.stop();
    }
  });
});
