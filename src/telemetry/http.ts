import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanKind } from '@opentelemetry/api';
import type { Logger } from 'pino';
import type { HubMetrics } from './metrics';
import { endSpan, type HubTracing } from './tracing';

export type RequestListener = (request: IncomingMessage, response: ServerResponse) => void | Promise<void>;

/** Route labels: the hub's own paths, everything else as `other` (paths come from clients). */
function routeOf(url: string | undefined): string {
  const path = (url ?? '/').split('?')[0] ?? '/';
  if (['/graphql', '/federation', '/healthz', '/readyz', '/metrics', '/'].includes(path)) return path;
  if (path.startsWith('/graphql/assets/')) return '/graphql/assets';
  if (path === '/media' || path.startsWith('/media/')) return '/media';
  return 'other';
}

/**
 * Counts each HTTP request by route and status and, with tracing on, runs it inside a server span
 * that continues the caller's trace (`traceparent`): GraphQL and database spans nest under it.
 */
export function instrumentRequests(metrics: HubMetrics, tracing: HubTracing | undefined): (handler: RequestListener) => RequestListener {
  return (handler) => (request, response) => {
    const route = routeOf(request.url);
    response.once('finish', () => metrics.httpRequest(route, response.statusCode));
    if (!tracing) return handler(request, response);
    const method = request.method ?? 'GET';
    return tracing.tracer.startActiveSpan(
      `${method} ${route}`,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': method, 'http.route': route, 'url.path': (request.url ?? '/').split('?')[0] } },
      tracing.extract(request.headers),
      (span) => {
        response.once('close', () => {
          span.setAttribute('http.response.status_code', response.statusCode);
          endSpan(span, response.statusCode >= 500 ? new Error(`HTTP ${response.statusCode}`) : undefined);
        });
        return handler(request, response);
      },
    );
  };
}

/** Constant-time comparison of the presented bearer token with the configured one. */
function tokenMatches(header: string | undefined, token: string): boolean {
  const presented = /^Bearer\s+(\S+)$/i.exec(header?.trim() ?? '')?.[1];
  if (presented === undefined) return false;
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(presented), digest(token));
}

/** Serves /metrics: with a token configured only to a caller presenting it; 404 when `token` is required and unset. */
export async function serveMetrics(
  request: IncomingMessage,
  response: ServerResponse,
  metrics: HubMetrics,
  options: { token: string | undefined; tokenRequired: boolean },
): Promise<void> {
  if (options.token === undefined && options.tokenRequired) {
    response.writeHead(404, { 'content-type': 'application/json; charset=utf-8' }).end('{"error":"not found"}');
    return;
  }
  if (options.token !== undefined && !tokenMatches(request.headers.authorization, options.token)) {
    response.writeHead(401, { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer realm="metrics"' }).end('a metrics token is required\n');
    return;
  }
  const { contentType, body } = await metrics.text();
  response.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' }).end(body);
}

/** The separate metrics listener (METRICS_PORT): /metrics and nothing else. */
export async function startMetricsListener(
  metrics: HubMetrics,
  options: { host: string; port: number; token: string | undefined },
  logger: Logger,
): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    if ((request.url ?? '/').split('?')[0] !== '/metrics') {
      response.writeHead(404, { 'content-type': 'application/json; charset=utf-8' }).end('{"error":"not found"}');
      return;
    }
    serveMetrics(request, response, metrics, { token: options.token, tokenRequired: false }).catch((error: unknown) => {
      logger.error({ err: error }, 'metrics could not be served');
      if (!response.headersSent) response.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  logger.info({ host: options.host, port }, 'metrics listener ready');
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
