/**
 * Requests per client address for anonymous use (the public disclosure fields need no login, so
 * the address is all there is to limit on). A token bucket per address, refilled continuously;
 * the table of addresses is bounded, the least recently seen address forgotten first.
 */
export interface RateLimiter {
  /** true when `count` operations may go ahead (all of them, or none is counted) */
  take(address: string, count?: number): boolean;
  /** seconds until the address has a token again */
  retryAfter(address: string): number;
}

export function createRateLimiter({
  perMinute,
  maxAddresses = 10_000,
  now = () => Date.now(),
}: {
  perMinute: number;
  maxAddresses?: number;
  now?: () => number;
}): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const refill = (address: string): { tokens: number; at: number } => {
    const time = now();
    const bucket = buckets.get(address) ?? { tokens: perMinute, at: time };
    bucket.tokens = Math.min(perMinute, bucket.tokens + ((time - bucket.at) / 60_000) * perMinute);
    bucket.at = time;
    // re-insert so Map order is least recently seen first
    buckets.delete(address);
    buckets.set(address, bucket);
    if (buckets.size > maxAddresses) buckets.delete(buckets.keys().next().value as string);
    return bucket;
  };
  return {
    take: (address, count = 1) => {
      const bucket = refill(address);
      if (bucket.tokens < count) return false;
      bucket.tokens -= count;
      return true;
    },
    retryAfter: (address) => {
      const bucket = refill(address);
      return bucket.tokens >= 1 ? 0 : Math.ceil(((1 - bucket.tokens) * 60) / perMinute);
    },
  };
}
