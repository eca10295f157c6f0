/** GraphQL over HTTP for the panels, graphql-ws for the live streams: the hub's own endpoints only. */
import { createClient, type Client } from 'graphql-ws';

export class Unauthenticated extends Error {}

interface GraphqlError {
  message: string;
  extensions?: { code?: string };
}

export async function query<T>(token: string, document: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: document, variables }),
  });
  if (response.status === 401) throw new Unauthenticated('令牌无效或已过期');
  const body = (await response.json()) as { data?: T; errors?: GraphqlError[] };
  if (body.errors?.some((error) => error.extensions?.code === 'UNAUTHENTICATED')) throw new Unauthenticated('令牌无效或已过期');
  if (body.errors?.length || !body.data) throw new Error(body.errors?.map((error) => error.message).join('; ') ?? '无数据');
  return body.data;
}

/** A subscription field whose events carry an `eventId` (the outbox id the hub resumes from). */
export interface Stream<T extends { eventId: string }> {
  field: string;
  /** a subscription document taking `$since: ID` */
  document: string;
  onEvent(event: T): void;
}

export type LinkState = 'connecting' | 'connected' | 'closed' | 'unauthorised';

/**
 * Every stream over one connection. graphql-ws would resubscribe after a drop with the variables
 * it started with; the screen instead ends its subscriptions when the socket closes and starts
 * them again once it is back, each with `since` = the last event it saw, so the hub replays what
 * was published meanwhile and nothing is missed or shown twice.
 */
export class LiveLink {
  private readonly client: Client;
  private readonly last = new Map<string, string>();
  private active: (() => void)[] = [];

  constructor(
    token: string,
    private readonly streams: readonly Stream<{ eventId: string }>[],
    onState: (state: LinkState) => void,
  ) {
    const url = new URL('/graphql', location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    this.client = createClient({
      url: url.href,
      connectionParams: { Authorization: `Bearer ${token}` },
      lazy: false,
      keepAlive: 10_000,
      retryAttempts: Number.POSITIVE_INFINITY,
      shouldRetry: () => true,
      retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, Math.min(500 * 2 ** retries, 8_000))),
      onNonLazyError: () => onState('closed'),
      on: {
        connecting: () => onState('connecting'),
        connected: () => {
          onState('connected');
          this.subscribeAll();
        },
        closed: (event) => {
          this.endAll();
          onState((event as { code?: number }).code === 4401 ? 'unauthorised' : 'closed');
        },
      },
    });
  }

  private subscribeAll(): void {
    this.endAll();
    for (const stream of this.streams) {
      const since = this.last.get(stream.field) ?? null;
      this.active.push(
        this.client.subscribe<Record<string, { eventId: string }>>(
          { query: stream.document, variables: { since } },
          {
            next: (result) => {
              const event = result.data?.[stream.field];
              if (!event) return;
              this.last.set(stream.field, event.eventId);
              stream.onEvent(event);
            },
            error: () => {},
            complete: () => {},
          },
        ),
      );
    }
  }

  private endAll(): void {
    for (const end of this.active) end();
    this.active = [];
  }

  dispose(): void {
    this.endAll();
    void this.client.dispose();
  }
}
