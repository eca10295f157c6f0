import { jsonb, pgTable, primaryKey, text, timestamp, index } from 'drizzle-orm/pg-core';

/**
 * What became of a retried mutation: the first request with a key claims it; its result (a
 * reference, such as a row id) is kept so that the same key from the same identity answers the
 * same, until `expires_at`.
 */
export const hubIdempotencyKeys = pgTable(
  'hub_idempotency_keys',
  {
    identity: text('identity').notNull(),
    operation: text('operation').notNull(),
    key: text('key').notNull(),
    /** SHA-256 of the request's input: the same key with other input is refused */
    inputHash: text('input_hash').notNull(),
    /** null while the first request is still running */
    result: jsonb('result'),
    claimedAt: timestamp('claimed_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ name: 'hub_idempotency_keys_pkey', columns: [t.identity, t.operation, t.key] }),
    index('hub_idempotency_keys_expires_idx').on(t.expiresAt),
  ],
);
