/**
 * Broadcast groups for live subscriptions over graphql-ws.
 *
 * A duty room runs many dashboards with the same subscription under the same account. Every one
 * of them gets the same result for an event, so subscribers with the same viewer, document and
 * variables form a group: the group holds one event stream, executes each event once, serialises
 * the result once, and writes it to each member's socket in one synchronous pass. Per subscriber
 * that leaves a string join and a socket write, instead of an async iterator chain, an execution
 * and a JSON serialisation of its own.
 *
 * A member that stops reading does not hold the group up: its frames wait in its socket's send
 * buffer, and once its client has taken nothing from that buffer for the stall time while new
 * events keep coming, or the buffer holds more than the queue limit of frames, the member is
 * disconnected with 4429 and the group goes on. A client that is behind but still reading is
 * left alone until it reaches the queue limit. Subscriptions that replay from an outbox id (`since`) do not join a group:
 * each replays on its own.
 */

import { createSourceEventStream, execute, getOperationAST, print, type ExecutionArgs, type ExecutionResult, type FormattedExecutionResult } from 'graphql';
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import type { CreateContext, HubContext } from './context';

/** How a member's frames reach its client. */
export interface MemberSocket {
  /** the graphql-ws operation id */
  readonly id: string;
  readonly socket: WebSocket;
  /** the TCP connection under the WebSocket */
  readonly raw: Socket;
}

export interface BroadcastOptions {
  createContext: CreateContext;
  /** a member whose client takes nothing from its send buffer for this long while events keep coming is cut off */
  stallMs: number;
  /** frames a member may have waiting in its send buffer */
  queueMax: number;
  /** masks a result's errors as HTTP does; called once per event and group */
  formatResult: (result: ExecutionResult, context: HubContext) => ExecutionResult | FormattedExecutionResult;
  /** ends a member's connection: the same close code and reason as the per-subscriber rule */
  closeStalled: (socket: WebSocket) => void;
}

const OPEN = 1;

/**
 * Frames written to one connection in the same turn of the event loop leave in one system call:
 * the connection is corked at its first frame and uncorked when the turn is over. When the hub
 * keeps up that is one event per call and costs nothing; when events come in bursts (a page of
 * the outbox, a large ingest batch), the frames of the burst go out together.
 */
const corked = new Set<Socket>();
let flushScheduled = false;

function flushCorked(): void {
  flushScheduled = false;
  for (const raw of corked) raw.uncork();
  corked.clear();
}

/** Corks the connection for the rest of this turn; false if it already was. */
function corkForThisTurn(raw: Socket): boolean {
  if (corked.has(raw)) return false;
  raw.cork();
  corked.add(raw);
  if (!flushScheduled) {
    flushScheduled = true;
    setImmediate(flushCorked);
  }
  return true;
}

class Member implements AsyncGenerator<ExecutionResult> {
  readonly #prefix: string;
  #backedUpSince: number | undefined;
  /** bytes the connection had handed to the network when the member was last seen backed up */
  #taken = 0;
  #done = false;
  #wake: ((result: IteratorResult<ExecutionResult>) => void) | undefined;

  constructor(
    readonly target: MemberSocket,
    private readonly group: Group,
  ) {
    this.#prefix = `{"id":${JSON.stringify(target.id)},"type":"next","payload":`;
  }

  /** Writes one serialised result; false when the member was cut off for not reading. */
  deliver(payload: string, now: number): boolean {
    const { socket, raw } = this.target;
    if (socket.readyState !== OPEN) return true;
    const frame = `${this.#prefix}${payload}}`;
    // At the first frame of a turn, what is still unsent is what the client has not taken.
    if (corkForThisTurn(raw)) {
      const waiting = socket.bufferedAmount;
      if (waiting === 0) this.#backedUpSince = undefined;
      else {
        // a client that is behind but still taking frames is slow, not stalled: the clock restarts
        const taken = raw.bytesWritten - raw.writableLength;
        if (this.#backedUpSince === undefined || taken > this.#taken) {
          this.#backedUpSince = now;
          this.#taken = taken;
        }
        if (now - this.#backedUpSince >= this.group.options.stallMs || waiting > this.group.options.queueMax * frame.length) {
          this.group.options.closeStalled(socket);
          return false;
        }
      }
    }
    socket.send(frame);
    return true;
  }

  /** graphql-ws waits on this iterator; it yields nothing: the group writes the frames. */
  next(): Promise<IteratorResult<ExecutionResult>> {
    if (this.#done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.#wake = resolve;
    });
  }

  /** The client completed the operation or went away. */
  async return(): Promise<IteratorResult<ExecutionResult>> {
    this.end();
    return { value: undefined, done: true };
  }

  async throw(error?: unknown): Promise<IteratorResult<ExecutionResult>> {
    this.end();
    throw error;
  }

  /** Leaves the group; graphql-ws then sends `complete` if the client is still there. */
  end(): void {
    if (this.#done) return;
    this.#done = true;
    this.group.leave(this);
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.end();
  }
}

class Group {
  readonly members = new Set<Member>();
  readonly #abort = new AbortController();
  #ended = false;

  constructor(
    readonly key: string,
    readonly options: BroadcastOptions,
    private readonly onEmpty: (group: Group) => void,
  ) {}

  get ended(): boolean {
    return this.#ended;
  }

  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  join(target: MemberSocket): Member {
    const member = new Member(target, this);
    this.members.add(member);
    return member;
  }

  leave(member: Member): void {
    this.members.delete(member);
    if (this.members.size === 0) this.end();
  }

  /** Stops the group's stream; members still in it are completed. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.onEmpty(this);
    this.#abort.abort();
    for (const member of [...this.members]) member.end();
  }

  async run(args: ExecutionArgs, events: AsyncGenerator<unknown>, context: HubContext): Promise<void> {
    try {
      for await (const payload of events) {
        if (this.#ended) break;
        const result = this.options.formatResult(await execute({ ...args, contextValue: context, rootValue: payload }), context);
        const serialised = JSON.stringify(result);
        const now = Date.now();
        for (const member of [...this.members]) if (!member.deliver(serialised, now)) member.end();
        if (this.members.size === 0) break;
      }
    } catch (error) {
      context.logger.error({ err: error }, 'subscription group failed');
    } finally {
      await events.return?.(undefined);
      this.end();
    }
  }
}

/**
 * What makes two subscribers' results for an event the same: who is asking (row scope follows
 * the viewer) and what they asked.
 */
export function operationKey(args: ExecutionArgs, viewer: HubContext['viewer']): string {
  return [
    viewer.subject ?? '',
    [...viewer.roles].sort().join(','),
    [...viewer.cells].sort().join(','),
    viewer.enterprise ?? '',
    args.operationName ?? '',
    JSON.stringify(args.variableValues ?? {}),
    print(args.document),
  ].join('\u0000');
}

/** Root fields that replay from an outbox id subscribe on their own (each has its own start). */
function replays(args: ExecutionArgs): boolean {
  const operation = getOperationAST(args.document, args.operationName);
  const [root, ...rest] = operation?.selectionSet.selections ?? [];
  if (!root || rest.length > 0 || root.kind !== 'Field') return true;
  const since = (root.arguments ?? []).find((argument) => argument.name.value === 'since');
  if (!since) return false;
  // `since: null`, or a variable left out or null, is a live subscription like any other
  if (since.value.kind === 'NullValue') return false;
  if (since.value.kind === 'Variable') return args.variableValues?.[since.value.name.value] != null;
  return true;
}

/**
 * A graphql-ws `subscribe` that puts subscribers into broadcast groups. `memberOf` tells which
 * socket and operation id an operation's context belongs to; an operation without one, or one
 * that replays, goes to `fallback`.
 */
export function createBroadcastSubscribe(
  options: BroadcastOptions,
  memberOf: (context: HubContext) => MemberSocket | undefined,
  fallback: (args: ExecutionArgs) => Promise<AsyncGenerator<ExecutionResult> | ExecutionResult>,
) {
  /** by key; `group` is set once the stream is open */
  const groups = new Map<string, { opening: Promise<Group | ExecutionResult>; group?: Group }>();

  async function open(key: string, args: ExecutionArgs, viewer: HubContext['viewer']): Promise<Group | ExecutionResult> {
    const group: Group = new Group(key, options, (ended) => {
      if (groups.get(ended.key)?.group === ended) groups.delete(ended.key);
    });
    const context = options.createContext({
      viewer,
      // the group reads its stream as fast as events come: slow members are cut off on their own
      connection: { close: () => group.end(), stallMs: 2 ** 31 - 1, signal: group.signal },
    });
    const source = await createSourceEventStream({ ...args, contextValue: context });
    if (!(Symbol.asyncIterator in source)) return source as ExecutionResult;
    void group.run(args, source as AsyncGenerator<unknown>, context);
    return group;
  }

  return async (args: ExecutionArgs): Promise<AsyncGenerator<ExecutionResult> | ExecutionResult> => {
    const context = args.contextValue as HubContext;
    const target = memberOf(context);
    if (!target || replays(args)) return fallback(args);
    const { viewer } = context;
    const key = operationKey(args, viewer);
    for (;;) {
      let entry = groups.get(key);
      if (!entry) {
        const created: { opening: Promise<Group | ExecutionResult>; group?: Group } = { opening: open(key, args, viewer) };
        entry = created;
        groups.set(key, created);
        created.opening.then(
          (opened) => {
            if (opened instanceof Group) created.group = opened;
            else if (groups.get(key) === created) groups.delete(key);
          },
          () => {
            if (groups.get(key) === created) groups.delete(key);
          },
        );
      }
      const opened = await entry.opening;
      if (!(opened instanceof Group)) return opened;
      // a group that emptied while this subscriber waited for it is gone: start another
      if (opened.ended) {
        if (groups.get(key) === entry) groups.delete(key);
        continue;
      }
      return opened.join(target);
    }
  };
}
