import type { Logger } from 'pino';
import type { Database } from './types';

/** Shared by every instance: two starting at once set the policies one after the other. */
const POLICY_LOCK_KEY = 7_212_2018;

/**
 * The TimescaleDB policies that follow settings rather than migrations: raw readings older than
 * `retentionDays` are dropped (whole 7-day chunks, once all of a chunk is past it), and the job that
 * brings late readings into the aggregates looks back as far as raw data is kept. The continuous
 * aggregates keep their buckets when raw chunks go. Idempotent; does nothing without TimescaleDB.
 */
export async function applyReadingsPolicies(db: Database, retentionDays: number, logger: Logger): Promise<void> {
  if (!db.capabilities.timescaledb) return;
  await db.withConnection(async (query) => {
    await query('SELECT pg_advisory_lock($1)', [POLICY_LOCK_KEY]);
    try {
      const wanted = `${retentionDays} days`;
      const current = await query<{ job_id: number; drop_after: string | null }>(
        `SELECT job_id, config->>'drop_after' AS drop_after FROM timescaledb_information.jobs
          WHERE proc_name = 'policy_retention' AND hypertable_schema = current_schema() AND hypertable_name = 'monitoring_readings'`,
      );
      if (current[0]?.drop_after !== wanted) {
        if (current.length > 0) await query("SELECT remove_retention_policy('monitoring_readings', if_exists => true)");
        await query("SELECT add_retention_policy('monitoring_readings', drop_after => make_interval(days => $1))", [retentionDays]);
        logger.info({ retentionDays, previous: current[0]?.drop_after ?? null }, 'readings retention policy set');
      }
      await query(
        `SELECT alter_job(job_id, config => jsonb_build_object('retain_days', $1::int))
           FROM timescaledb_information.jobs
          WHERE proc_name = 'monitoring_refresh_late_readings' AND (config->>'retain_days')::int IS DISTINCT FROM $1::int`,
        [retentionDays],
      );
    } finally {
      await query('SELECT pg_advisory_unlock($1)', [POLICY_LOCK_KEY]);
    }
  });
}
