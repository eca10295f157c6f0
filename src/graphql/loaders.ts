import DataLoader from 'dataloader';
import type { HubContext } from './context';

/**
 * A per-request DataLoader: created on first use for a context and kept on that context only, so
 * batching spans one operation and nothing is cached across viewers.
 */
export function defineLoader<K, V>(batch: (context: HubContext, keys: readonly K[]) => Promise<readonly (V | undefined)[]>, options: { maxBatchSize?: number } = {}): (context: HubContext) => DataLoader<K, V | undefined> {
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
