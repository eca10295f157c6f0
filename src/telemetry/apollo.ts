import { context, SpanKind, type Span } from '@opentelemetry/api';
import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type OperationDefinitionNode } from 'graphql';
import type { HubContext } from '../graphql/context';
import type { HubMetrics } from './metrics';
import { endSpan, type HubTracing } from './tracing';

/** The span of each operation in flight, by its context: root-field spans hang under it. */
export type OperationSpans = WeakMap<object, Span>;

/**
 * Requests by operation and outcome with their latency, and a span per operation, for GraphQL
 * over HTTP. An operation refused before it ran (it did not parse or validate, or was over a
 * limit) counts as `refused`; one that ran and reported errors as `error`.
 */
export function createTelemetryPlugin({
  metrics,
  tracing,
  spans,
}: {
  metrics: HubMetrics;
  tracing?: HubTracing | undefined;
  spans: OperationSpans;
}): ApolloServerPlugin<HubContext> {
  return {
    async requestDidStart({ contextValue }) {
      const started = performance.now();
      let operationName: string | null | undefined;
      let type = 'unknown';
      let resolved = false;
      const span = tracing?.tracer.startSpan('graphql', { kind: SpanKind.INTERNAL }, context.active());
      if (span) spans.set(contextValue, span);
      return {
        async didResolveOperation({ operationName: name, operation }) {
          resolved = true;
          operationName = name;
          type = operation?.operation ?? 'unknown';
          span?.updateName(`graphql ${type}${name ? ` ${name}` : ''}`);
          span?.setAttributes({ 'graphql.operation.type': type, ...(name ? { 'graphql.operation.name': name } : {}) });
        },
        async willSendResponse({ errors, request, document }) {
          const outcome = !errors?.length ? 'ok' : resolved ? 'error' : 'refused';
          // a refused operation was never resolved: its name as the client sent or wrote it
          operationName ??=
            request.operationName ??
            (document?.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode | undefined)?.name?.value;
          metrics.graphqlRequest(operationName, type, outcome, (performance.now() - started) / 1000);
          if (span) {
            span.setAttribute('envhub.graphql.outcome', outcome);
            endSpan(span, errors?.length ? errors[0] : undefined);
            spans.delete(contextValue);
          }
        },
      };
    },
  };
}
