import DataLoader from 'dataloader';
import type { HubContext } from './context';

/**
 * A per-request DataLoader: created on first use for a context and kept on that context only, so
 * batching spans one operation and nothing is cached across viewers.
 */
export function defineLoader<K, V>(
  batch: (context: HubContext, keys: readonly K[]) => Promise<readonly (V | undefined)[]>,
  options: { maxBatchSize?: number } = {},
): (context: HubContext) => DataLoader<K, V | undefined> {
  const perContext = new WeakMap<HubContext, DataLoader<K, V | undefined>>();
  return (context) => {
    let loader = perContext.get(context);
    if (!loader) {
      loader = new DataLoader<K, V | undefined>((keys) => batch(context, keys), { maxBatchSize: options.maxBatchSize ?? 500 });
      perContext.set(context, loader);
    }
    return loader;
  };
}

/**
 * A Relay node's `loadMany` over its per-request loader, so `node(id)`, `_entities` and nested
 * fields read one record through the same scoped loader. A global id's key is numeric unless
 * `keyOf` says otherwise (air stations are keyed by code); a key the loader failed on reads null.
 */
export function loadNodes<V>(loaderOf: (context: HubContext) => LoadsMany<number, V>): NodeLoadMany<V>;
export function loadNodes<K, V>(loaderOf: (context: HubContext) => LoadsMany<K, V>, keyOf: (id: string) => K): NodeLoadMany<V>;
export function loadNodes<K, V>(
  loaderOf: (context: HubContext) => LoadsMany<K, V>,
  keyOf: (id: string) => K = Number as unknown as (id: string) => K,
): NodeLoadMany<V> {
  return (ids, context) =>
    loaderOf(context)
      .loadMany(ids.map(keyOf))
      .then((rows) => rows.map((row) => (row instanceof Error ? null : row)));
}

interface LoadsMany<K, V> {
  loadMany(keys: readonly K[]): Promise<(V | Error)[]>;
}

type NodeLoadMany<V> = (ids: readonly string[], context: HubContext) => Promise<(V | null)[]>;

/** The records a loader found for `keys`, in the order asked; missing and failed keys are left out. */
export async function loadPresent<K, V>(loader: LoadsMany<K, V | undefined>, keys: readonly K[]): Promise<V[]> {
  if (keys.length === 0) return [];
  const values = await loader.loadMany(keys);
  return values.filter((value): value is V => value !== undefined && value !== null && !(value instanceof Error));
}
