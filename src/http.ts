import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { Server as NetServer, type Socket } from 'node:net';
import type { ApolloServer } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import { AuthenticationError, type VerifyToken } from './auth/jwt';
import type { Viewer } from './auth/viewer';
import type { RateLimiter } from './graphql/rate-limit';
import type { CreateContext, HubContext } from './graphql/context';
import { bearerToken } from './graphql/context';
import { HeaderMap, rememberContentType } from './graphql/apollo';
import { graphiqlAsset, graphiqlPage } from './graphql/graphiql';
import { audienceOf, checkRequest, CostLimitError, type OperationInput, type RequestRules } from './graphql/cost/budget';
import { ResponseMeter } from './graphql/cost/response-size';
import type { ClientAddressOf } from './client-address';

export const GRAPHQL_PATH = '/graphql';
/** The federation subgraph endpoint for province and city routers (HTTP only, no subscriptions). */
export const FEDERATION_PATH = '/federation';

/** Extra routes a module mounts (media upload and download). Return false to fall through. */
export type RouteHandler = (request: IncomingMessage, response: ServerResponse, url: URL) => Promise<boolean>;

/** A GraphQL endpoint: its server and the schema its requests are analysed against. */
export interface GraphqlEndpoint {
  apollo: ApolloServer<HubContext>;
  schema: GraphQLSchema;
}

export interface HttpOptions extends GraphqlEndpoint {
  createContext: CreateContext;
  verifyToken: VerifyToken;
  logger: Logger;
  maxBodyBytes: number;
  maxDocumentBytes: number;
  maxBatch: number;
  ready: () => Promise<boolean>;
  routes: readonly RouteHandler[];
  /** the subgraph endpoint, which may still be built when the first request for it comes */
  federation?: { endpoint: () => Promise<GraphqlEndpoint>; allow: (viewer: Viewer) => boolean };
  /** limits callers without a token, per client address */
  publicLimiter: RateLimiter;
  /** budgets, depth, aliases, entities and tokens of a request */
  rules: RequestRules;
  maxResponseBytes: number;
  clientAddress: ClientAddressOf;
  /** wraps the request handler: metrics and traces */
  instrument?: (handler: RequestListener) => RequestListener;
}

type RequestListener = (request: IncomingMessage, response: ServerResponse) => void | Promise<void>;

class HttpProblem extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string,
    readonly headers: Record<string, string> = {},
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  response.end(text);
}

function sendProblem(response: ServerResponse, problem: HttpProblem, requestId: string): void {
  sendJson(
    response,
    problem.status,
    { errors: [{ message: problem.message, extensions: { code: problem.code, ...problem.details, requestId } }] },
    problem.headers,
  );
}

export async function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > limit) throw new HttpProblem(413, `request body exceeds ${limit} bytes`, 'LIMIT_EXCEEDED');
  // A declared length within the limit: Node's parser delivers no more than it, so the body is
  // read with plain listeners, without an async iterator per request.
  if (request.headers['content-length'] !== undefined && request.headers['transfer-encoding'] === undefined) return readDeclared(request, declared);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpProblem(413, `request body exceeds ${limit} bytes`, 'LIMIT_EXCEEDED');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function readDeclared(request: IncomingMessage, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const done = (): void => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
      request.off('close', onClose);
    };
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      done();
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, length));
    };
    const onError = (error: Error): void => {
      done();
      reject(error);
    };
    // the client went away before the whole body came
    const onClose = (): void => {
      done();
      reject(new Error('request closed before its body was complete'));
    };
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
    request.on('close', onClose);
  });
}

function parseBody(raw: Buffer, contentType: string | undefined): unknown {
  if (raw.length === 0) return undefined;
  if (!contentType || !/^application\/(graphql-response\+)?json\b/i.test(contentType)) return raw.toString('utf8');
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new HttpProblem(400, 'request body is not valid JSON', 'BAD_REQUEST');
  }
}

/** Document size and batch size are checked before anything is parsed as GraphQL. */
function checkLimits(body: unknown, search: URLSearchParams, options: HttpOptions): void {
  const operations = Array.isArray(body) ? body : [body];
  if (Array.isArray(body) && body.length > options.maxBatch) {
    throw new HttpProblem(400, `batch of ${body.length} operations exceeds the limit of ${options.maxBatch}`, 'LIMIT_EXCEEDED');
  }
  const queries = [search.get('query'), ...operations.map((op) => (op && typeof op === 'object' ? (op as { query?: unknown }).query : undefined))];
  for (const query of queries) {
    if (typeof query === 'string' && Buffer.byteLength(query, 'utf8') > options.maxDocumentBytes) {
      throw new HttpProblem(413, `query document exceeds ${options.maxDocumentBytes} bytes`, 'LIMIT_EXCEEDED');
    }
  }
}

function jsonParam(text: string | null): unknown {
  if (text === null) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The operations a request asks to run: a POST body (one or a batch) or GET parameters. */
function operationsOf(body: unknown, search: URLSearchParams, method: string): OperationInput[] {
  if (method !== 'POST') return [{ query: search.get('query'), operationName: search.get('operationName'), variables: jsonParam(search.get('variables')) }];
  const pieces = Array.isArray(body) ? body : [body];
  return pieces.map((piece) => (piece && typeof piece === 'object' ? (piece as OperationInput) : { query: undefined }));
}

async function handleGraphql(
  request: IncomingMessage,
  response: ServerResponse,
  url: Pick<URL, 'search' | 'searchParams'>,
  requestId: string,
  options: HttpOptions,
  endpoint: GraphqlEndpoint & { allow?: (viewer: Viewer) => boolean; ide: boolean; federation: boolean },
): Promise<void> {
  const method = request.method ?? 'GET';
  const accept = request.headers.accept ?? '';
  if (endpoint.ide && method === 'GET' && !url.searchParams.has('query') && accept.includes('text/html')) {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(graphiqlPage(GRAPHQL_PATH));
    return;
  }
  const raw = method === 'POST' ? await readBody(request, options.maxBodyBytes) : Buffer.alloc(0);
  const body = parseBody(raw, request.headers['content-type']);
  checkLimits(body, url.searchParams, options);
  const operations = operationsOf(body, url.searchParams, method);
  const token = bearerToken(request.headers.authorization);
  if (token === undefined) {
    // every operation of a batch counts: a batch is not a way round the limit
    const address = options.clientAddress(request);
    if (!options.publicLimiter.take(address, operations.length)) {
      throw new HttpProblem(429, 'too many requests without a token from this address', 'RATE_LIMITED', {
        'retry-after': String(options.publicLimiter.retryAfter(address)),
      });
    }
  }
  let viewer;
  try {
    viewer = await options.verifyToken(token);
  } catch (error) {
    if (error instanceof AuthenticationError) throw new HttpProblem(401, error.message, 'UNAUTHENTICATED');
    throw error;
  }
  if (endpoint.allow && !endpoint.allow(viewer)) {
    throw viewer.subject === undefined
      ? new HttpProblem(401, 'authentication required', 'UNAUTHENTICATED')
      : new HttpProblem(403, 'this endpoint is for upstream platforms', 'FORBIDDEN');
  }
  let analysed;
  try {
    analysed = checkRequest(endpoint.schema, operations, audienceOf(viewer, endpoint.federation), options.rules);
  } catch (error) {
    if (error instanceof CostLimitError) throw new HttpProblem(400, error.message, error.code, {}, error.details);
    throw error;
  }
  const allowance = { audience: analysed.audience, budget: analysed.budget, cost: analysed.cost, response: new ResponseMeter(options.maxResponseBytes) };
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  const result = await endpoint.apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: method.toUpperCase(), headers, search: url.search, body },
    context: async () => options.createContext({ viewer, requestId, allowance }),
  });
  const responseHeaders: Record<string, string> = { 'x-request-id': requestId };
  for (const [key, value] of result.headers) responseHeaders[key] = value;
  // what Apollo chose for a request it answered (a refused Accept header gets 406, or a fallback type on an error status)
  if (result.body.kind === 'complete' && (result.status ?? 200) === 200) rememberContentType(request.headers.accept, responseHeaders['content-type']);
  if (result.body.kind === 'complete') {
    // with its length: a whole body is not sent in chunked encoding
    responseHeaders['content-length'] = String(Buffer.byteLength(result.body.string));
    response.writeHead(result.status ?? 200, responseHeaders);
    response.end(result.body.string);
    return;
  }
  response.writeHead(result.status ?? 200, responseHeaders);
  for await (const chunk of result.body.asyncIterator) response.write(chunk);
  response.end();
}

export interface HttpServer {
  server: Server;
  /** stop accepting; wait up to `graceMs` for requests in flight, then cut what is left */
  close(graceMs: number): Promise<void>;
}

export function createHttpServer(options: HttpOptions): HttpServer {
  let inFlight = 0;
  let idle: (() => void) | undefined;
  let stopping = false;
  /** responses in flight on each open connection */
  const responding = new Map<Socket, number>();
  const instrument = options.instrument ?? ((handler: RequestListener) => handler);
  const server = createServer(
    instrument(async (request, response) => {
      // A request is in flight until its response has been handed to the operating system (or its
      // connection dropped), not merely until the handler returns: `end()` on a large body returns
      // while most of it still waits in the socket's buffer for a slow reader.
      inFlight += 1;
      const socket = request.socket;
      responding.set(socket, (responding.get(socket) ?? 0) + 1);
      response.once('close', () => {
        inFlight -= 1;
        const left = (responding.get(socket) ?? 1) - 1;
        responding.set(socket, left);
        // while stopping, a connection whose last response is out is closed (after the data: end, not destroy)
        if (stopping && left === 0) socket.end();
        if (inFlight === 0) idle?.();
      });
      const requestId =
        typeof request.headers['x-request-id'] === 'string' && /^[\w.-]{1,64}$/.test(request.headers['x-request-id'])
          ? request.headers['x-request-id']
          : randomUUID();
      try {
        const target = request.url ?? '/';
        const query = target.indexOf('?');
        if ((query === -1 ? target : target.slice(0, query)) === GRAPHQL_PATH) {
          // the busiest path, told apart without a URL parse (so only as written: /graphql)
          const search = query === -1 ? '' : target.slice(query);
          const url = { search, searchParams: new URLSearchParams(search) };
          await handleGraphql(request, response, url, requestId, options, { apollo: options.apollo, schema: options.schema, ide: true, federation: false });
          return;
        }
        const url = new URL(target, 'http://hub.invalid');
        if (url.pathname === '/healthz') {
          sendJson(response, 200, { status: 'ok' });
        } else if (url.pathname === '/readyz') {
          const ready = await options.ready().catch(() => false);
          sendJson(response, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready' });
        } else if (url.pathname.startsWith(`${GRAPHQL_PATH}/assets/`)) {
          const asset = graphiqlAsset(url.pathname.slice(GRAPHQL_PATH.length + '/assets/'.length));
          if (!asset) sendJson(response, 404, { error: 'not found' });
          else {
            response.writeHead(200, { 'content-type': asset.type, 'cache-control': 'public, max-age=86400' });
            response.end(asset.body);
          }
        } else if (url.pathname === FEDERATION_PATH && options.federation) {
          const federation = await options.federation.endpoint();
          await handleGraphql(request, response, url, requestId, options, { ...federation, allow: options.federation.allow, ide: false, federation: true });
        } else {
          let handled = false;
          for (const route of options.routes) {
            if (await route(request, response, url)) {
              handled = true;
              break;
            }
          }
          if (!handled) sendJson(response, 404, { error: 'not found' });
        }
      } catch (error) {
        if (error instanceof HttpProblem) {
          if (!response.headersSent) sendProblem(response, error, requestId);
          else response.end();
        } else {
          options.logger.error({ err: error, requestId }, 'request failed');
          if (!response.headersSent) {
            sendJson(response, 500, { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR', requestId } }] });
          } else response.end();
        }
      }
    }),
  );
  server.on('connection', (socket: Socket) => {
    responding.set(socket, 0);
    socket.once('close', () => responding.delete(socket));
  });
  server.headersTimeout = 30_000;
  server.requestTimeout = 120_000;
  return {
    server,
    close: async (graceMs) => {
      stopping = true;
      // Stop accepting connections without http.Server#close's sweep of "idle" connections: it
      // counts a response as done once end() is called, and destroys its socket while most of a
      // large body may still wait in the buffer for a slow reader.
      const closed = new Promise<void>((resolve) => NetServer.prototype.close.call(server, () => resolve()));
      for (const [socket, count] of responding) if (count === 0) socket.end();
      if (inFlight > 0) {
        await Promise.race([
          new Promise<void>((resolve) => {
            idle = resolve;
          }),
          new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref()),
        ]);
      }
      // what the grace did not see finished is cut; close() now also stops the server's timers
      server.close();
      server.closeAllConnections();
      for (const socket of responding.keys()) socket.destroy();
      await closed;
    },
  };
}
