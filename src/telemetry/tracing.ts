import { context, trace, SpanKind, SpanStatusCode, type Context, type Span, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-base';
import type { GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import type { StatementObserver } from '../db/observe';

/** The hub's tracer and how to flush what it recorded; absent when no endpoint is configured. */
export interface HubTracing {
  readonly tracer: Tracer;
  /** the caller's trace context from `traceparent`/`tracestate` headers, under the active context */
  extract(headers: Record<string, string | string[] | undefined>): Context;
  shutdown(): Promise<void>;
}

const propagator = new W3CTraceContextPropagator();
const headerGetter = {
  keys: (carrier: Record<string, string | string[] | undefined>) => Object.keys(carrier),
  get: (carrier: Record<string, string | string[] | undefined>, key: string) => carrier[key.toLowerCase()],
};

/**
 * Starts tracing when TRACING_OTLP_URL names an endpoint: spans go there over OTLP/HTTP, in
 * batches. The provider is the hub's own, never registered globally, and its resource is built
 * from the hub's own attributes only: OpenTelemetry's resource detectors are never run (they
 * probe cloud metadata addresses). Without an endpoint nothing is recorded and nothing is sent.
 */
export function startTracing(
  options: { otlpUrl: string | undefined; samplePercent: number; instanceId: string; version: string },
  logger: Logger,
): HubTracing | undefined {
  if (!options.otlpUrl) return undefined;
  // spans follow async calls within a request; one manager serves every hub in the process
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const exporter = new OTLPTraceExporter({ url: options.otlpUrl, timeoutMillis: 10_000 });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'envhub', 'service.version': options.version, 'service.instance.id': options.instanceId }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(options.samplePercent / 100) }),
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 2_000, maxQueueSize: 4_096 })],
  });
  logger.info({ endpoint: options.otlpUrl, samplePercent: options.samplePercent }, 'traces are exported over OTLP');
  return {
    tracer: provider.getTracer('envhub', options.version),
    extract: (headers) => propagator.extract(context.active(), headers, headerGetter),
    shutdown: () => provider.shutdown(),
  };
}

/** Ends a span with the error, if any, recorded on it. */
export function endSpan(span: Span, error?: unknown): void {
  if (error !== undefined) {
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
  }
  span.end();
}

/** One span per database statement: its kind and parameterised text, never its values. */
export function statementSpans(tracing: () => HubTracing | undefined, engine: 'pglite' | 'postgres'): StatementObserver {
  return (text) => {
    const tracer = tracing()?.tracer;
    if (!tracer || !trace.getSpan(context.active())) return () => {};
    const operation = /^\s*([A-Za-z]+)/.exec(text)?.[1]?.toUpperCase() ?? 'SQL';
    const span = tracer.startSpan(`db ${operation}`, {
      kind: SpanKind.CLIENT,
      attributes: { 'db.system.name': 'postgresql', 'db.operation.name': operation, 'db.query.text': text.slice(0, 2_000), 'envhub.db.engine': engine },
    });
    return (error) => endSpan(span, error);
  };
}

/**
 * Each root field of queries and mutations resolves inside a span of its own, a child of its
 * operation's span, so the statements it sends nest under it. Subscriptions stay as they are.
 */
export function traceRootFields(schema: GraphQLSchema, tracer: Tracer, operationSpan: (contextValue: unknown) => Span | undefined): void {
  for (const type of [schema.getQueryType(), schema.getMutationType()]) {
    if (!type) continue;
    for (const field of Object.values(type.getFields())) {
      const resolve = field.resolve;
      if (!resolve) continue;
      field.resolve = (source, args, contextValue, info) => {
        const parent = operationSpan(contextValue);
        const parentContext = parent ? trace.setSpan(context.active(), parent) : context.active();
        return tracer.startActiveSpan(
          `graphql.resolve ${type.name}.${field.name}`,
          { attributes: { 'graphql.field.name': field.name, 'graphql.field.alias': String(info.path.key) } },
          parentContext,
          async (span) => {
            try {
              const value = await resolve(source, args, contextValue, info);
              endSpan(span);
              return value;
            } catch (error) {
              endSpan(span, error);
              throw error;
            }
          },
        );
      };
    }
  }
}
