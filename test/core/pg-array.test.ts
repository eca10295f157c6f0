import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, pgArray, rowsOf, type Database } from '../../src/db';

/** The array literal the ingest path sends must come back as exactly the values it was built from. */
describe('pgArray round trip (embedded engine)', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase({ databaseUrl: undefined, dataDir: 'memory://', databasePoolMax: 1 }, pino({ level: 'silent' }));
  });
  afterAll(() => db?.close());

  const texts = async (values: (string | null)[]) => {
    // read back as JSON: the server's own reading of the literal, whatever a driver does with arrays
    const [row] = await rowsOf<{ v: string }>(db.orm, sql`SELECT array_to_json(${pgArray(values)}::text[])::text AS v`);
    return JSON.parse(row?.v ?? 'null') as (string | null)[];
  };

  it('keeps words that look like NULL, quotes, backslashes, separators and blanks as text', async () => {
    const tricky = ['NULL', 'null', 'NuLl', '', ' ', 'a,b', '{x}', '"q"', 'back\\slash', 'tab\there', '2026-01-01T00:00:00.000Z', 'w01018', '化学需氧量', null];
    expect(await texts(tricky)).toEqual(tricky);
  });

  it('round-trips any strings and nulls', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.option(fc.string({ unit: 'grapheme', maxLength: 12 }), { nil: null }), { maxLength: 20 }), async (values) => {
        const clean = values.map((v) => (v === null ? null : v.replace(/\u0000/g, '')));
        expect(await texts(clean)).toEqual(clean);
      }),
      { numRuns: 200 },
    );
  });

  it('round-trips numbers, nulls included', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.option(fc.double({ noNaN: true, noDefaultInfinity: true }), { nil: null }), { maxLength: 20 }), async (values) => {
        const [row] = await rowsOf<{ v: string }>(db.orm, sql`SELECT array_to_json(${pgArray(values)}::float8[])::text AS v`);
        expect(JSON.parse(row?.v ?? 'null')).toEqual(values.map((v) => (v === null ? null : v === 0 ? 0 : v)));
      }),
      { numRuns: 100 },
    );
  });
});
