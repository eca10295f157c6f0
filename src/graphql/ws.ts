import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import {
  GraphQLError,
  createSourceEventStream,
  execute,
  parse,
  validate,
  getOperationAST,
  specifiedRules,
  NoSchemaIntrospectionCustomRule,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FormattedExecutionResult,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import type { Logger } from 'pino';
import { AuthenticationError, type VerifyToken } from '../auth/jwt';
import type { Viewer } from '../auth/viewer';
import type { CreateContext, HubContext } from './context';
import { bearerToken } from './context';
import { createBroadcastSubscribe, operationKey, type MemberSocket } from './broadcast';
import { formatClientError, isClientSafe } from './mask';
import type { RateLimiter } from './rate-limit';
import type { ClientAddressOf } from '../client-address';
import { audienceOf, checkRequest, CostLimitError, type RequestRules } from './cost/budget';
import { ResponseMeter } from './cost/response-size';
import { costExtension, responseRefusal, wantsCost } from './cost/plugin';

/** Close codes a dashboard can act on. */
export const WS_CLOSE = {
  /** a bad token in connection_init, or the token expired: reconnect with a fresh one and `since` */
  unauthenticated: 4401,
  tooManyRequests: 4429,
  shuttingDown: 1001,
} as const;

/** setTimeout fires at once past this (about 24.8 days); a longer wait is taken in steps. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Closes the socket when the token it authenticated with expires: a subscription is no longer
 * than the token that opened it. Returns how to cancel (the socket closed first).
 */
function closeAtExpiry(socket: { close(code: number, reason: string): void }, expiresAt: Date): () => void {
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    const wait = expiresAt.getTime() - Date.now();
    if (wait <= 0) {
      socket.close(WS_CLOSE.unauthenticated, 'token expired');
      return;
    }
    timer = setTimeout(arm, Math.min(wait, MAX_TIMER_MS));
    timer.unref();
  };
  arm();
  return () => clearTimeout(timer);
}

export interface WsOptions {
  httpServer: Server;
  path: string;
  schema: GraphQLSchema;
  createContext: CreateContext;
  verifyToken: VerifyToken;
  validationRules: ValidationRule[];
  introspection: boolean;
  maxDocumentBytes: number;
  maxPayloadBytes: number;
  stallMs: number;
  /** frames a subscriber may have waiting unsent before it counts as not reading */
  queueMax: number;
  keepAliveMs: number;
  logger: Logger;
  /** limits operations of connections without a token, per client address */
  publicLimiter: RateLimiter;
  rules: RequestRules;
  maxResponseBytes: number;
  clientAddress: ClientAddressOf;
  /** connections one client address may hold open */
  maxConnectionsPerAddress: number;
}

/**
 * Upgrades on the GraphQL path only, at most `max` open connections per client address: one
 * more is answered 429 before any WebSocket exists.
 */
function acceptUpgrades(options: WsOptions, wss: WebSocketServer): () => void {
  const open = new Map<string, number>();
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const path = new URL(request.url ?? '/', 'http://hub.invalid').pathname;
    if (path !== options.path) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const address = options.clientAddress(request);
    const count = open.get(address) ?? 0;
    if (count >= options.maxConnectionsPerAddress) {
      const body = JSON.stringify({
        errors: [{ message: `at most ${options.maxConnectionsPerAddress} WebSocket connections per client address`, extensions: { code: 'RATE_LIMITED' } }],
      });
      socket.end(
        `HTTP/1.1 429 Too Many Requests\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
      return;
    }
    open.set(address, count + 1);
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    };
    socket.once('close', release);
    wss.handleUpgrade(request, socket, head, (ws: WebSocket) => {
      ws.once('close', release);
      wss.emit('connection', ws, request);
    });
  };
  options.httpServer.on('upgrade', onUpgrade);
  return () => options.httpServer.off('upgrade', onUpgrade);
}

function tokenFrom(params: Readonly<Record<string, unknown>> | undefined): string | undefined {
  if (!params) return undefined;
  for (const key of ['Authorization', 'authorization']) {
    const value = params[key];
    if (typeof value === 'string') return bearerToken(value);
  }
  return typeof params.token === 'string' ? params.token : undefined;
}

/** Results of one event for one (viewer, document, variables): shared by every such subscriber. */
const SHARED_RESULTS_MAX = 5000;

/**
 * Subscriptions that replay (`since`) each keep their own stream; the result of an event for a
 * given viewer, document and variables is still the same for all of them, so it is executed once
 * and shared. (Live subscriptions go further: see broadcast.ts.)
 */
function createSharedSubscribe(cancelOf: (context: HubContext) => (() => void) | undefined) {
  const shared = new Map<string, ExecutionResult | Promise<ExecutionResult>>();
  return async (args: ExecutionArgs): Promise<AsyncGenerator<ExecutionResult> | ExecutionResult> => {
    const source = await createSourceEventStream(args);
    if (!(Symbol.asyncIterator in source)) return source as ExecutionResult;
    const context = args.contextValue as HubContext;
    const key = operationKey(args, context.viewer);
    const events = source as AsyncGenerator<unknown>;
    async function* results(): AsyncGenerator<ExecutionResult> {
      try {
        for await (const payload of events) {
          const id = (payload as { id?: unknown } | null)?.id;
          if (typeof id !== 'number') {
            yield await execute({ ...args, rootValue: payload });
            continue;
          }
          const cacheKey = `${id}\u0000${key}`;
          let result = shared.get(cacheKey);
          if (!result) {
            result = execute({ ...args, rootValue: payload });
            shared.set(cacheKey, result);
            if (shared.size > SHARED_RESULTS_MAX) shared.delete(shared.keys().next().value as string);
          }
          yield await result;
        }
      } finally {
        await events.return?.(undefined);
      }
    }
    const iterator = results();
    const cancel = cancelOf(context);
    // A generator waiting for its next event cannot be returned from outside until one comes: a
    // client that completes the operation ends the event stream first, so the generator finishes.
    return {
      next: () => iterator.next(),
      return: (value?: unknown) => {
        cancel?.();
        return iterator.return(value as never);
      },
      throw: (error?: unknown) => {
        cancel?.();
        return iterator.throw(error);
      },
      [Symbol.asyncIterator]() {
        return this;
      },
      [Symbol.asyncDispose]: async () => {
        cancel?.();
        await iterator.return(undefined as never);
      },
    } as AsyncGenerator<ExecutionResult>;
  };
}

/**
 * graphql-ws on the same path as HTTP, with the same authentication, limits and masking: the
 * token comes in connection_init, every operation is validated by the HTTP rules and gets its
 * context from the same factory.
 */
export function attachGraphqlWs(options: WsOptions): { close(): Promise<void>; stats(): { connections: number; bufferedBytes: number } } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes });
  const stopUpgrades = acceptUpgrades(options, wss);
  const viewers = new WeakMap<object, Viewer>();
  const members = new WeakMap<HubContext, MemberSocket & { cancel: () => void }>();
  const rules = [...specifiedRules, ...options.validationRules, ...(options.introspection ? [] : [NoSchemaIntrospectionCustomRule])];

  /** Masks errors as HTTP does; what is not the client's fault is logged with its request id. */
  const formatResult = (result: ExecutionResult, context: HubContext): FormattedExecutionResult => {
    if (!result.errors?.length) return result;
    for (const error of result.errors) {
      if (!isClientSafe(error)) context.logger.error({ err: error.originalError ?? error, path: error.path }, 'subscription operation failed');
    }
    return { ...result, errors: result.errors.map((error) => formatClientError(error, context.requestId, { hideSuggestions: !options.introspection })) };
  };
  const subscribe = createBroadcastSubscribe(
    {
      createContext: options.createContext,
      stallMs: options.stallMs,
      queueMax: options.queueMax,
      formatResult,
      closeStalled: (socket) => {
        options.logger.warn('subscriber disconnected: not reading');
        socket.close(WS_CLOSE.tooManyRequests, 'subscriber is not reading');
      },
    },
    (context) => members.get(context),
    createSharedSubscribe((context) => members.get(context)?.cancel),
  );

  const server = useServer<Record<string, unknown>>(
    {
      schema: options.schema,
      subscribe,
      onConnect: async (ctx) => {
        try {
          const viewer = await options.verifyToken(tokenFrom(ctx.connectionParams));
          viewers.set(ctx, viewer);
          if (viewer.expiresAt) {
            const socket = ctx.extra.socket;
            const cancel = closeAtExpiry(socket, viewer.expiresAt);
            socket.once('close', cancel);
          }
          return true;
        } catch (error) {
          // a close reason longer than 123 bytes makes ws throw instead of closing
          const reason = error instanceof AuthenticationError && Buffer.byteLength(error.message) <= 123 ? error.message : 'authentication failed';
          ctx.extra.socket.close(WS_CLOSE.unauthenticated, reason);
          return false;
        }
      },
      onSubscribe: (ctx, id, payload) => {
        const viewer = viewers.get(ctx) as Viewer;
        if (viewer.subject === undefined) {
          const address = options.clientAddress(ctx.extra.request);
          if (!options.publicLimiter.take(address)) {
            return [new GraphQLError('too many operations without a token from this address', { extensions: { code: 'RATE_LIMITED' } })];
          }
        }
        if (Buffer.byteLength(payload.query, 'utf8') > options.maxDocumentBytes) {
          return [new GraphQLError(`query document exceeds ${options.maxDocumentBytes} bytes`, { extensions: { code: 'LIMIT_EXCEEDED' } })];
        }
        let analysed;
        try {
          analysed = checkRequest(options.schema, [payload], audienceOf(viewer, false), options.rules);
        } catch (error) {
          if (error instanceof CostLimitError) return [new GraphQLError(error.message, { originalError: error })];
          throw error;
        }
        let document: DocumentNode;
        try {
          document = parse(payload.query, { maxTokens: options.rules.maxTokens });
        } catch (error) {
          return [error instanceof GraphQLError ? error : new GraphQLError('syntax error')];
        }
        const errors = validate(options.schema, document, rules);
        if (errors.length > 0) return errors;
        // a subscription's events are each their own response; queries and mutations are metered
        const subscription = getOperationAST(document, payload.operationName)?.operation === 'subscription';
        const allowance = subscription
          ? undefined
          : { audience: analysed.audience, budget: analysed.budget, cost: analysed.cost, response: new ResponseMeter(options.maxResponseBytes) };
        const socket = ctx.extra.socket;
        const operation = new AbortController();
        const contextValue: HubContext = options.createContext({
          viewer,
          allowance,
          connection: {
            close: (code, reason) => socket.close(code, reason),
            stallMs: options.stallMs,
            signal: operation.signal,
          },
        });
        members.set(contextValue, { id, socket, raw: ctx.extra.request.socket, cancel: () => operation.abort() });
        return {
          schema: options.schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue,
        };
      },
      onNext: (_ctx, _id, payload, args, result) => {
        const context = args.contextValue as HubContext;
        const refusal = responseRefusal(context.allowance, context.requestId);
        if (refusal) return { errors: [refusal] };
        const formatted = result.errors?.length ? formatResult(result, context) : undefined;
        if (!wantsCost(payload.extensions) || !context.allowance) return formatted;
        const base = formatted ?? result;
        return {
          ...base,
          extensions: {
            ...base.extensions,
            cost: costExtension(options.schema, args.document, { operationName: payload.operationName, variables: payload.variables }, context.allowance),
          },
        };
      },
      onError: (_ctx, _id, _payload, errors) => errors.map((error) => formatClientError(error, undefined, { hideSuggestions: !options.introspection })),
    },
    wss,
    options.keepAliveMs,
  );

  return {
    stats: () => {
      let bufferedBytes = 0;
      for (const client of wss.clients) bufferedBytes += client.bufferedAmount;
      return { connections: wss.clients.size, bufferedBytes };
    },
    close: async () => {
      stopUpgrades();
      for (const client of wss.clients) client.close(WS_CLOSE.shuttingDown, 'server shutting down');
      await server.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
