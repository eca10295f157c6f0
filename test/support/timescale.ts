import type postgres from 'postgres';
import { eventually } from './monitoring';

/**
 * Holds the TimescaleDB server's own scheduler on this database, so a test runs each policy's
 * job itself (CALL run_job) without one of the scheduler's runs in the way: no new runs start,
 * and runs under way have finished when this resolves.
 */
export async function holdScheduledJobs(sql: postgres.Sql): Promise<void> {
  await sql`SELECT alter_job(job_id, scheduled => false) FROM timescaledb_information.jobs WHERE job_id >= 1000`;
  await eventually(async () => (await sql`SELECT 1 FROM timescaledb_information.job_stats WHERE job_status = 'Running'`).length === 0);
}

/** Lets the scheduler run the jobs again. */
export async function releaseScheduledJobs(sql: postgres.Sql): Promise<void> {
  await sql`SELECT alter_job(job_id, scheduled => true) FROM timescaledb_information.jobs WHERE job_id >= 1000`;
}
