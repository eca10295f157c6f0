import WebSocket from 'ws';
import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';

type ExecutionResult<T> = FormattedExecutionResult<T, unknown>;

export interface WsHandle {
  client: Client;
  /** the client's TCP socket, to make it stop reading (pause) in tests of slow subscribers */
  tcp(): { pause(): void; resume(): void };
  /** resolves with the close code and reason when the server closes the connection */
  closed: Promise<{ code: number; reason: string }>;
  dispose(): Promise<void>;
}

export function connectWs(port: number, token?: string, options: { lazy?: boolean } = {}): WsHandle {
  let onClosed: (value: { code: number; reason: string }) => void = () => {};
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    onClosed = resolve;
  });
  let current: WebSocket | undefined;
  class TrackedWebSocket extends WebSocket {
    constructor(...args: ConstructorParameters<typeof WebSocket>) {
      super(...args);
      current = this;
    }
  }
  const client = createClient({
    url: `ws://127.0.0.1:${port}/graphql`,
    webSocketImpl: TrackedWebSocket,
    lazy: options.lazy ?? false,
    retryAttempts: 0,
    connectionParams: token ? { Authorization: `Bearer ${token}` } : {},
    on: {
      closed: (event) => {
        const e = event as { code?: number; reason?: string };
        onClosed({ code: e.code ?? 0, reason: String(e.reason ?? '') });
      },
    },
    onNonLazyError: () => {},
  });
  const tcp = () => {
    const socket = (current as unknown as { _socket?: { pause(): void; resume(): void } } | undefined)?._socket;
    if (!socket) throw new Error('not connected');
    return socket;
  };
  return { client, closed, tcp, dispose: async () => client.dispose() };
}

/** Runs one operation to completion (a query or mutation over the socket). */
export function execute<T = Record<string, unknown>>(client: Client, query: string, variables?: Record<string, unknown>): Promise<ExecutionResult<T>> {
  return new Promise((resolve, reject) => {
    let result: ExecutionResult<T> | undefined;
    client.subscribe<T>(
      { query, variables },
      {
        next: (value) => {
          result = value;
        },
        error: (error) => {
          if (Array.isArray(error)) resolve({ errors: error } as ExecutionResult<T>);
          else reject(error);
        },
        complete: () => resolve(result as ExecutionResult<T>),
      },
    );
  });
}

/** Collects subscription results until `count` arrived, or the subscription ends. */
export function collect<T = Record<string, unknown>>(client: Client, query: string, variables?: Record<string, unknown>) {
  const received: ExecutionResult<T>[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  let ended: { error?: unknown } | undefined;
  const dispose = client.subscribe<T>(
    { query, variables },
    {
      next: (value) => {
        received.push(value);
        for (const waiter of [...waiters]) if (received.length >= waiter.count) waiter.resolve();
      },
      error: (error) => {
        ended = { error };
        for (const waiter of waiters) waiter.resolve();
      },
      complete: () => {
        ended = {};
        for (const waiter of waiters) waiter.resolve();
      },
    },
  );
  return {
    received,
    get ended() {
      return ended;
    },
    /** waits until `count` results arrived (or the stream ended), at most `ms` */
    until: (count: number, ms = 20_000) =>
      new Promise<void>((resolve) => {
        if (received.length >= count || ended) return resolve();
        const timer = setTimeout(resolve, ms);
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      }),
    dispose,
  };
}
