import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, queryStatement, rowsOf, type Database } from '../../src/db';
import { preparedTexts } from '../../src/db/types';
import { createServerDatabase } from '../support/hub';

const silent = pino({ level: 'silent' });

/** What the pool's one connection holds prepared: its statements' texts. */
async function preparedOn(db: Database): Promise<string[]> {
  const rows = await db.query<{ statement: string }>('SELECT statement FROM pg_prepared_statements ORDER BY prepare_time');
  return rows.map((row) => row.statement);
}

const HOT = sql`SELECT n FROM generate_series(1, 3) AS n WHERE n >= ${2} ORDER BY n`;

describe.each([
  { prepare: true, kept: 1 },
  { prepare: false, kept: 0 },
])('statements on the server engine (DATABASE_PREPARE=$prepare)', ({ prepare, kept }) => {
  let db: Database;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const created = await createServerDatabase();
    drop = created.drop;
    // one connection: what it holds prepared is what every read on it used
    db = await openDatabase({ databaseUrl: created.url, dataDir: 'memory://', databasePoolMax: 1, databasePrepare: prepare }, silent);
  });
  afterAll(async () => {
    await db?.close();
    await drop?.();
  });

  it('keeps a hot read prepared once however often it runs, and nothing else', async () => {
    for (let i = 0; i < 5; i += 1) expect(await queryStatement<{ n: number }>(db, HOT)).toEqual([{ n: 2 }, { n: 3 }]);
    await db.query('SELECT $1::int AS n', [7]);
    const statements = await preparedOn(db);
    expect(statements.filter((text) => text.includes('generate_series'))).toHaveLength(kept);
    expect(statements.filter((text) => text.includes('$1::int'))).toHaveLength(0);
  });

  it('keeps drizzle’s statements prepared the same way', async () => {
    for (let i = 0; i < 5; i += 1) expect(await rowsOf<{ m: number }>(db.orm, sql`SELECT ${i}::int + 40 AS m`)).toEqual([{ m: 40 + i }]);
    const statements = await preparedOn(db);
    expect(statements.filter((text) => text.includes('+ 40 AS m'))).toHaveLength(kept);
  });
});

describe('preparedTexts', () => {
  it('keeps the first `limit` distinct texts and refuses every later one', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), { maxLength: 40 }), fc.nat(4), (texts, limit) => {
        const prepares = preparedTexts(limit);
        const first: string[] = [];
        for (const text of texts) {
          if (!first.includes(text) && first.length < limit) first.push(text);
          expect(prepares(text)).toBe(first.includes(text));
        }
      }),
    );
  });
});
