/**
 * Every statement a driver sends, seen once where drizzle and the hub's own queries meet the
 * driver: a proxy over the client hands each statement's text to an observer, which gets told
 * when it ends. Used for database spans; without an observer the client is used as it is.
 */

/** Called as a statement starts; the function it returns is called once it has ended. */
export type StatementObserver = (text: string) => (error?: unknown) => void;

type Thenable = { then(onFulfilled: (value: unknown) => unknown, onRejected: (reason: unknown) => unknown): unknown };

function watch<T>(result: T, end: (error?: unknown) => void): T {
  if (result && typeof (result as unknown as Thenable).then === 'function') {
    // postgres.js sends a query on its first `then`, a microtask later: calls chained on it in the
    // same turn (`.values()`) still apply
    (result as unknown as Thenable).then(
      () => end(),
      (error) => end(error),
    );
  } else end();
  return result;
}

/**
 * A postgres.js client whose `unsafe` calls (drizzle's and the hub's queries) go through `around`,
 * inside `begin`, `savepoint` and `reserve` too. Tagged-template calls pass through.
 */
function aroundUnsafe<T extends object>(client: T, around: (text: string, rest: unknown[], call: (rest: unknown[]) => unknown) => unknown): T {
  const wrap = <C extends object>(target: C): C =>
    new Proxy(target, {
      get(object, property) {
        const value = Reflect.get(object, property) as unknown;
        if (typeof value !== 'function') return value;
        switch (property) {
          case 'unsafe':
            return (text: string, ...rest: unknown[]) => around(text, rest, (args) => (value as (...a: unknown[]) => unknown).call(object, text, ...args));
          case 'begin':
          case 'savepoint':
            return (...args: unknown[]) => {
              const fnIndex = args.findIndex((arg) => typeof arg === 'function');
              if (fnIndex >= 0) {
                const fn = args[fnIndex] as (sql: object) => unknown;
                args[fnIndex] = (sql: object) => fn(wrap(sql));
              }
              return (value as (...a: unknown[]) => unknown).apply(object, args);
            };
          case 'reserve':
            return async (...args: unknown[]) => wrap((await (value as (...a: unknown[]) => Promise<object>).apply(object, args)) as object);
          default:
            return value;
        }
      },
    });
  return wrap(client);
}

/** A postgres.js client whose statements are observed. */
export function observePostgresClient<T extends object>(client: T, observe: StatementObserver): T {
  return aroundUnsafe(client, (text, rest, call) => watch(call(rest), observe(text)));
}

/**
 * A postgres.js client that keeps the statements `prepares` accepts prepared on each connection,
 * whatever its caller asked: drizzle sends every statement unprepared (a describe round trip, then
 * the run, and a parse and plan on the server each time) unless a query is named.
 */
export function preparingPostgresClient<T extends object>(client: T, prepares: (text: string) => boolean): T {
  return aroundUnsafe(client, (text, [params, options], call) => {
    const given = (options ?? {}) as { prepare?: boolean };
    return call([params, given.prepare === true || !prepares(text) ? given : { ...given, prepare: true }]);
  });
}

/** The embedded client likewise: `query` and `exec`, also inside `transaction`. */
export function observePgliteClient<T extends object>(client: T, observe: StatementObserver): T {
  const wrap = <C extends object>(target: C): C =>
    new Proxy(target, {
      get(object, property) {
        const value = Reflect.get(object, property) as unknown;
        if (typeof value !== 'function') return value;
        if (property === 'query' || property === 'exec') {
          return (text: string, ...rest: unknown[]) => watch((value as (...a: unknown[]) => unknown).call(object, text, ...rest), observe(text));
        }
        if (property === 'transaction') {
          return (fn: (tx: object) => unknown) => (value as (f: (tx: object) => unknown) => unknown).call(object, (tx: object) => fn(wrap(tx)));
        }
        return (value as (...a: unknown[]) => unknown).bind(object);
      },
    });
  return wrap(client);
}
