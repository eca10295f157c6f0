import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestHub, type TestHub } from '../support/hub';
import { networkRefusals } from '../support/network-guard';
import { createMonitor, eventually } from '../support/monitoring';

type Attribute = { key: string; value: { stringValue?: string; intValue?: string | number; boolValue?: boolean } };
type ExportedSpan = { traceId: string; spanId: string; parentSpanId?: string; name: string; kind: number; attributes: Attribute[] };
type Export = { resourceSpans: { resource: { attributes: Attribute[] }; scopeSpans: { spans: ExportedSpan[] }[] }[] };

/** An OTLP/HTTP traces receiver on loopback, keeping what it is sent. */
class OtlpReceiver {
  readonly exports: Export[] = [];
  readonly paths: string[] = [];
  private server: Server | undefined;
  port = 0;

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        this.paths.push(`${request.method} ${request.url} ${request.headers['content-type']}`);
        this.exports.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Export);
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.port = (this.server?.address() as AddressInfo).port;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  get spans(): ExportedSpan[] {
    return this.exports.flatMap((e) => e.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)));
  }

  get resources(): Record<string, unknown>[] {
    return this.exports.flatMap((e) =>
      e.resourceSpans.map((r) => Object.fromEntries(r.resource.attributes.map((a) => [a.key, a.value.stringValue ?? a.value.intValue ?? a.value.boolValue]))),
    );
  }
}

const attribute = (span: ExportedSpan, key: string) => {
  const value = span.attributes.find((a) => a.key === key)?.value;
  return value?.stringValue ?? value?.intValue ?? value?.boolValue;
};

describe.each(ENGINES)('traces over OTLP (%s)', (engine) => {
  const receiver = new OtlpReceiver();
  let th: TestHub;
  let admin: string;

  beforeAll(async () => {
    await receiver.start();
    th = await startTestHub({ engine, env: { TRACING_OTLP_URL: `http://127.0.0.1:${receiver.port}/v1/traces` } });
    admin = await th.token({ roles: ['admin'] });
    await createMonitor(th, admin, { mn: 'TRACE-1' });
  });
  afterAll(async () => {
    await th?.stop();
    await receiver.stop();
  });

  it('exports HTTP, GraphQL and database spans of one request as one trace, continuing the caller’s', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const callerSpan = '00f067aa0ba902b7';
    const response = await fetch(`http://127.0.0.1:${th.hub.port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}`, traceparent: `00-${traceId}-${callerSpan}-01` },
      body: JSON.stringify({ query: 'query TracedMonitors { monitors(first: 5) { edges { node { mn } } } }' }),
    });
    expect(((await response.json()) as { data: { monitors: { edges: unknown[] } } }).data.monitors.edges).toHaveLength(1);

    const spans = await eventually(async () => {
      const mine = receiver.spans.filter((s) => s.traceId === traceId);
      return mine.some((s) => s.name.startsWith('db ')) && mine.some((s) => s.name === 'POST /graphql') ? mine : undefined;
    });
    const http = spans.find((s) => s.name === 'POST /graphql') as ExportedSpan;
    expect(http.parentSpanId).toBe(callerSpan);
    expect(http.kind).toBe(2);
    expect(attribute(http, 'http.response.status_code')).toBe(200);
    const operation = spans.find((s) => s.name === 'graphql query TracedMonitors') as ExportedSpan;
    expect(operation.parentSpanId).toBe(http.spanId);
    expect(attribute(operation, 'graphql.operation.name')).toBe('TracedMonitors');
    const resolver = spans.find((s) => s.name === 'graphql.resolve Query.monitors') as ExportedSpan;
    expect(resolver.parentSpanId).toBe(operation.spanId);
    const statements = spans.filter((s) => s.parentSpanId === resolver.spanId && s.name.startsWith('db '));
    expect(statements.length).toBeGreaterThanOrEqual(1);
    expect(statements.some((s) => String(attribute(s, 'db.query.text')).includes('monitoring_monitors'))).toBe(true);
    expect(statements.every((s) => attribute(s, 'db.system.name') === 'postgresql')).toBe(true);
    expect(receiver.paths.every((p) => p.startsWith('POST /v1/traces application/json'))).toBe(true);
  });

  it('describes the hub by its own attributes only: no detector looked at the host or a cloud', () => {
    const resource = receiver.resources[0] ?? {};
    expect(resource).toMatchObject({ 'service.name': 'envhub', 'service.instance.id': th.hub.instanceId });
    expect(Object.keys(resource).filter((key) => /^(host|cloud|process|os|container|k8s)\./.test(key))).toEqual([]);
    expect(networkRefusals).toEqual([]);
  });
});

describe('no traces without TRACING_OTLP_URL (pglite)', () => {
  it('sends nothing, even with OpenTelemetry’s own endpoint variables in the environment', async () => {
    const receiver = new OtlpReceiver();
    await receiver.start();
    const url = `http://127.0.0.1:${receiver.port}`;
    const variables = { OTEL_EXPORTER_OTLP_ENDPOINT: url, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${url}/v1/traces`, OTEL_TRACES_EXPORTER: 'otlp' };
    Object.assign(process.env, variables);
    const th = await startTestHub();
    try {
      const admin = await th.token({ roles: ['admin'] });
      expect((await th.graphql('{ hub { version } }', {}, admin)).status).toBe(200);
    } finally {
      await th.stop();
      await receiver.stop();
      for (const name of Object.keys(variables)) delete process.env[name];
    }
    expect(receiver.exports).toEqual([]);
    expect(networkRefusals).toEqual([]);
  });
});
