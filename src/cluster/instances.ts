import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Database } from '../db';

/** How often an instance says it is alive, and how long after its last word it counts as gone. */
export const HEARTBEAT_MS = 10_000;
export const GONE_AFTER_SECONDS = 45;

/** A short id, unique per process start, readable in logs and in pg_stat_activity. */
export function newInstanceId(): string {
  return `${
    hostname()
      .replace(/[^A-Za-z0-9.-]/g, '')
      .slice(0, 40) || 'hub'
  }-${process.pid}-${randomBytes(3).toString('hex')}`;
}

/**
 * This instance's row among the hub instances on the database. What an instance holds for the
 * others (its devices' sessions) is looked up through live instances only, so a crashed one's
 * leftovers route nothing; the sweep removes them.
 */
export class InstanceRegistry {
  constructor(
    private readonly db: Database,
    readonly instanceId: string,
  ) {}

  async register(version: string): Promise<void> {
    await this.db.query(
      `INSERT INTO hub_instances (id, hostname, pid, version) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO UPDATE SET heartbeat_at = now()`,
      [this.instanceId, hostname(), process.pid, version],
    );
  }

  async heartbeat(): Promise<void> {
    // an instance swept while it was cut off from the database comes back
    await this.db.query(
      `INSERT INTO hub_instances (id, hostname, pid, version) VALUES ($1, $2, $3, 'unknown')
       ON CONFLICT (id) DO UPDATE SET heartbeat_at = now()`,
      [this.instanceId, hostname(), process.pid],
    );
  }

  /** Removes instances that stopped saying they are alive, the sessions they held and old command rows. */
  async sweep(): Promise<number> {
    const gone = await this.db.query(`DELETE FROM hub_instances WHERE heartbeat_at < now() - make_interval(secs => $1) RETURNING id`, [GONE_AFTER_SECONDS]);
    await this.db.query('DELETE FROM hub_device_sessions s WHERE NOT EXISTS (SELECT 1 FROM hub_instances i WHERE i.id = s.instance_id)');
    await this.db.query("DELETE FROM hub_device_commands WHERE created_at < now() - INTERVAL '1 day'");
    return gone.length;
  }

  async deregister(): Promise<void> {
    await this.db.query('DELETE FROM hub_device_sessions WHERE instance_id = $1', [this.instanceId]);
    await this.db.query('DELETE FROM hub_instances WHERE id = $1', [this.instanceId]);
  }

  /** The live instances, oldest first. */
  async live(): Promise<{ id: string; hostname: string; startedAt: Date; heartbeatAt: Date }[]> {
    const rows = await this.db.query<{ id: string; hostname: string; started_at: Date | string; heartbeat_at: Date | string }>(
      `SELECT id, hostname, started_at, heartbeat_at FROM hub_instances
        WHERE heartbeat_at >= now() - make_interval(secs => $1) ORDER BY started_at, id`,
      [GONE_AFTER_SECONDS],
    );
    return rows.map((row) => ({ id: row.id, hostname: row.hostname, startedAt: new Date(row.started_at), heartbeatAt: new Date(row.heartbeat_at) }));
  }
}
