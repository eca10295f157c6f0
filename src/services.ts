/**
 * Typed service references: a module's public.ts exports `createServiceRef<FooService>('foo')`,
 * the module binds an implementation at start-up, and any dependant looks it up by the ref. Only
 * the ref and the interface cross the module boundary.
 */

export interface ServiceRef<T> {
  readonly id: string;
  /** phantom: carries T for inference only */
  readonly __type?: T;
}

export function createServiceRef<T>(id: string): ServiceRef<T> {
  return Object.freeze({ id });
}

export class ServiceRegistry {
  readonly #bindings = new Map<string, unknown>();

  provide<T>(ref: ServiceRef<T>, implementation: T): void {
    if (this.#bindings.has(ref.id)) throw new Error(`service ${ref.id} is provided twice`);
    this.#bindings.set(ref.id, implementation);
  }

  get<T>(ref: ServiceRef<T>): T {
    const found = this.#bindings.get(ref.id);
    if (found === undefined) throw new Error(`service ${ref.id} is not available: is its module enabled?`);
    return found as T;
  }

  has(ref: ServiceRef<unknown>): boolean {
    return this.#bindings.has(ref.id);
  }
}
