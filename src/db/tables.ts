import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Facts about this database itself, such as when the demo district was seeded. */
export const hubMeta = pgTable('hub_meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
