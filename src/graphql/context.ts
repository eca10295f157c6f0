import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Database } from '../db';
import type { EventBus } from '../events/bus';
import type { ServiceRegistry } from '../services';
import type { Viewer } from '../auth/viewer';
import type { Audience } from './cost/budget';
import type { ResponseMeter } from './cost/response-size';

/**
 * One readonly context per operation, built by the same function for HTTP requests and
 * graphql-ws subscriptions. DataLoaders hang off this object (`defineLoader` keys them by
 * context identity), so nothing request-scoped lives on a singleton.
 */
export interface HubContext {
  readonly requestId: string;
  readonly viewer: Viewer;
  readonly db: Database;
  readonly bus: EventBus;
  readonly services: ServiceRegistry;
  readonly logger: Logger;
  readonly now: () => Date;
  /** present on WebSocket operations only */
  readonly connection: ConnectionControl | undefined;
  /** what the request was allowed, as checked before it ran; absent on subscription events */
  readonly allowance: Allowance | undefined;
}

/** One per HTTP request (shared by the operations of a batch) or WebSocket query. */
export interface Allowance {
  readonly audience: Audience;
  readonly budget: number;
  /** rows the whole request may touch, by the analysis that let it run */
  readonly cost: number;
  readonly response: ResponseMeter;
}

export interface ContextDeps {
  db: Database;
  bus: EventBus;
  services: ServiceRegistry;
  logger: Logger;
  now?: () => Date;
}

/** How a transport lets an operation end its own connection (a subscriber that stopped reading). */
export interface ConnectionControl {
  close(code: number, reason: string): void;
  /** how long a subscriber may take no event while newer ones wait before it counts as not reading */
  readonly stallMs: number;
  /** aborted when the operation's subscribers are gone: its event streams end at once */
  readonly signal?: AbortSignal | undefined;
}

export type CreateContext = (input: {
  viewer: Viewer;
  requestId?: string | undefined;
  connection?: ConnectionControl | undefined;
  allowance?: Allowance | undefined;
}) => HubContext;

/**
 * One operation's context. A class rather than a frozen literal: Apollo Server copies the context
 * of every operation it runs (`Object.assign` onto the same prototype), which is cheap for a plain
 * instance and slow for a frozen object, and which would run an own getter; the logger's getter
 * lives on the prototype, so the copy makes its child logger only if a resolver logs. The fields
 * are readonly to the code that reads them.
 */
class OperationContext implements HubContext {
  private child: Logger | undefined = undefined;

  constructor(
    readonly requestId: string,
    readonly viewer: Viewer,
    readonly db: Database,
    readonly bus: EventBus,
    readonly services: ServiceRegistry,
    private readonly rootLogger: Logger,
    readonly now: () => Date,
    readonly connection: ConnectionControl | undefined,
    readonly allowance: Allowance | undefined,
  ) {}

  /** made on first use: most operations log nothing, and a child logger serializes its bindings */
  get logger(): Logger {
    this.child ??= this.rootLogger.child({
      requestId: this.requestId,
      viewer: this.viewer.subject,
      ...(this.viewer.actor ? { actor: this.viewer.actor.subject } : {}),
    });
    return this.child;
  }
}

/**
 * The one context factory for HTTP and WebSocket. Authentication happens before it (a bad token
 * never gets a context); an absent token is the public viewer.
 */
export function createContextFactory(deps: ContextDeps): CreateContext {
  const now = deps.now ?? (() => new Date());
  return ({ viewer, requestId, connection, allowance }) => {
    const id = requestId && /^[\w.-]{1,64}$/.test(requestId) ? requestId : randomUUID();
    return new OperationContext(id, viewer, deps.db, deps.bus, deps.services, deps.logger, now, connection, allowance);
  };
}

/** `Authorization: Bearer <token>` -> token; anything else is no token. */
export function bearerToken(header: string | undefined | null): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return match?.[1];
}
