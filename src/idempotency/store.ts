import { createHash } from 'node:crypto';
import type { Viewer } from '../auth/viewer';
import type { Database } from '../db';
import { ConflictError, ValidationError } from '../errors';
import { createServiceRef } from '../services';

/** A key is what an app makes once per user action: a UUID fits with room to spare. */
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{8,128}$/;

/** A claim whose request has said nothing this long is taken to have died with its instance. */
const ABANDONED_CLAIM_MS = 120_000;

export interface IdempotentCall<T, R> {
  /** the mutation field, e.g. `recordGridPatrol` */
  operation: string;
  /** the client's key; undefined or null runs the mutation as it is */
  key: string | null | undefined;
  /** everything the result depends on apart from the key; compared by hash on a repeat */
  input: unknown;
  run: () => Promise<T>;
  /** what is kept of a result: a small JSON value, such as the row id */
  save: (result: T) => R;
  /** the result again from what was kept */
  load: (saved: R) => Promise<T>;
}

export class IdempotencyKeyReusedError extends ConflictError {
  constructor(operation: string) {
    super(`this idempotency key was already used for a different ${operation} request; use a new key for a new request`);
  }
}

/** The same request under one key, whatever the order of the fields: objects hashed with sorted keys. */
function stable(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(stable);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, stable(v)]),
    );
  }
  return value;
}

export const inputHash = (input: unknown): string =>
  createHash('sha256')
    .update(JSON.stringify(stable(input) ?? null))
    .digest('hex');

/**
 * Mutations an app may send again after losing the answer: with a key, the first request runs and
 * its result is remembered; the same key from the same identity gets that result and changes
 * nothing more. Keys are kept for `keepHours`.
 */
export class IdempotencyStore {
  constructor(
    private readonly db: Database,
    private readonly now: () => Date,
    private readonly keepHours: number,
  ) {}

  async once<T, R>(viewer: Viewer, call: IdempotentCall<T, R>): Promise<T> {
    if (call.key === undefined || call.key === null) return call.run();
    if (!IDEMPOTENCY_KEY.test(call.key))
      throw new ValidationError([{ path: 'idempotencyKey', message: '8-128 printable ASCII characters without spaces, e.g. a UUID' }]);
    // a device and a person may pick the same key: the identity is the role set with the subject
    const identity = `${[...viewer.roles].sort().join(',')}:${viewer.subject ?? ''}`;
    const hash = inputHash(call.input);
    const now = this.now();
    const expires = new Date(now.getTime() + this.keepHours * 3_600_000);
    const abandoned = new Date(now.getTime() - ABANDONED_CLAIM_MS);
    // claim the key: a new one, one past its time, or one whose first request died mid-way
    const claimed = await this.db.query<{ key: string }>(
      `INSERT INTO hub_idempotency_keys (identity, operation, key, input_hash, result, claimed_at, expires_at)
       VALUES ($1, $2, $3, $4, NULL, $5, $6)
       ON CONFLICT (identity, operation, key) DO UPDATE
         SET input_hash = EXCLUDED.input_hash, result = NULL, claimed_at = EXCLUDED.claimed_at, expires_at = EXCLUDED.expires_at
         WHERE hub_idempotency_keys.expires_at <= $5
            OR (hub_idempotency_keys.result IS NULL AND hub_idempotency_keys.claimed_at <= $7 AND hub_idempotency_keys.input_hash = EXCLUDED.input_hash)
       RETURNING key`,
      [identity, call.operation, call.key, hash, now.toISOString(), expires.toISOString(), abandoned.toISOString()],
    );
    if (claimed.length === 0) {
      const [row] = await this.db.query<{ input_hash: string; result: R | null }>(
        'SELECT input_hash, result FROM hub_idempotency_keys WHERE identity = $1 AND operation = $2 AND key = $3',
        [identity, call.operation, call.key],
      );
      if (!row) throw new ConflictError('the idempotency key changed hands meanwhile; send the request again');
      if (row.input_hash !== hash) throw new IdempotencyKeyReusedError(call.operation);
      if (row.result === null) throw new ConflictError('a request with this idempotency key is still running; send it again shortly');
      return call.load(row.result);
    }
    let result: T;
    try {
      result = await call.run();
    } catch (error) {
      // a refused request changed nothing: the same key may try again
      await this.db.query('DELETE FROM hub_idempotency_keys WHERE identity = $1 AND operation = $2 AND key = $3 AND result IS NULL', [
        identity,
        call.operation,
        call.key,
      ]);
      throw error;
    }
    await this.db.query('UPDATE hub_idempotency_keys SET result = $4::jsonb WHERE identity = $1 AND operation = $2 AND key = $3', [
      identity,
      call.operation,
      call.key,
      JSON.stringify(call.save(result)),
    ]);
    return result;
  }

  /** Forgets keys past their time; returns how many. */
  async sweep(): Promise<number> {
    const rows = await this.db.query<{ n: number | string }>(
      'WITH gone AS (DELETE FROM hub_idempotency_keys WHERE expires_at <= $1 RETURNING 1) SELECT count(*) AS n FROM gone',
      [this.now().toISOString()],
    );
    return Number(rows[0]?.n ?? 0);
  }
}

export const idempotencyRef = createServiceRef<IdempotencyStore>('hub.idempotency');
