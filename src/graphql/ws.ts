import type { Server } from 'node:http';
import { WebSocketServer } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import {
  GraphQLError,
  createSourceEventStream,
  execute,
  parse,
  validate,
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

/** Close codes a dashboard can act on. */
export const WS_CLOSE = {
  unauthenticated: 4401,
  tooManyRequests: 4429,
  shuttingDown: 1001,
} as const;

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
  const wss = new WebSocketServer({ server: options.httpServer, path: options.path, maxPayload: options.maxPayloadBytes });
  const viewers = new WeakMap<object, Viewer>();
  const members = new WeakMap<HubContext, MemberSocket & { cancel: () => void }>();
  const rules = [...specifiedRules, ...options.validationRules, ...(options.introspection ? [] : [NoSchemaIntrospectionCustomRule])];

  /** Masks errors as HTTP does; what is not the client's fault is logged with its request id. */
  const formatResult = (result: ExecutionResult, context: HubContext): FormattedExecutionResult => {
    if (!result.errors?.length) return result;
    for (const error of result.errors) {
      if (!isClientSafe(error)) context.logger.error({ err: error.originalError ?? error, path: error.path }, 'subscription operation failed');
    }
    return { ...result, errors: result.errors.map((error) => formatClientError(error, context.requestId)) };
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
          viewers.set(ctx, await options.verifyToken(tokenFrom(ctx.connectionParams)));
          return true;
        } catch (error) {
          const reason = error instanceof AuthenticationError ? error.message : 'authentication failed';
          ctx.extra.socket.close(WS_CLOSE.unauthenticated, reason);
          return false;
        }
      },
      onSubscribe: (ctx, id, payload) => {
        const viewer = viewers.get(ctx) as Viewer;
        if (viewer.subject === undefined) {
          const address = ctx.extra.request.socket.remoteAddress ?? 'unknown';
          if (!options.publicLimiter.take(address)) {
            return [new GraphQLError('too many operations without a token from this address', { extensions: { code: 'RATE_LIMITED' } })];
          }
        }
        if (Buffer.byteLength(payload.query, 'utf8') > options.maxDocumentBytes) {
          return [new GraphQLError(`query document exceeds ${options.maxDocumentBytes} bytes`, { extensions: { code: 'LIMIT_EXCEEDED' } })];
        }
        let document: DocumentNode;
        try {
          document = parse(payload.query, { maxTokens: 5000 });
        } catch (error) {
          return [error instanceof GraphQLError ? error : new GraphQLError('syntax error')];
        }
        const errors = validate(options.schema, document, rules);
        if (errors.length > 0) return errors;
        const socket = ctx.extra.socket;
        const operation = new AbortController();
        const contextValue: HubContext = options.createContext({
          viewer,
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
      onNext: (_ctx, _id, _payload, args, result) => (result.errors?.length ? formatResult(result, args.contextValue as HubContext) : undefined),
      onError: (_ctx, _id, _payload, errors) => errors.map((error) => formatClientError(error, undefined)),
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
      for (const client of wss.clients) client.close(WS_CLOSE.shuttingDown, 'server shutting down');
      await server.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
