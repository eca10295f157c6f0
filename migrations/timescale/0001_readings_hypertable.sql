-- TimescaleDB step: applied only where the extension exists (see src/db/migrate.ts).
SELECT create_hypertable('monitoring_readings', by_range('time', INTERVAL '7 days'), migrate_data => true);
--> statement-breakpoint
CREATE MATERIALIZED VIEW monitoring_readings_hourly
WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT time_bucket(INTERVAL '1 hour', time) AS bucket,
       monitor_id, factor, interval,
       avg(value) FILTER (WHERE flag IS NULL OR upper(flag) NOT IN ('F','M','D','C','B','P','S')) AS avg_value,
       min(value) FILTER (WHERE flag IS NULL OR upper(flag) NOT IN ('F','M','D','C','B','P','S')) AS min_value,
       max(value) FILTER (WHERE flag IS NULL OR upper(flag) NOT IN ('F','M','D','C','B','P','S')) AS max_value,
       count(*) AS value_count,
       count(value) FILTER (WHERE flag IS NULL OR upper(flag) NOT IN ('F','M','D','C','B','P','S')) AS valid_count
  FROM monitoring_readings
 GROUP BY 1, 2, 3, 4
WITH NO DATA;
--> statement-breakpoint
CREATE MATERIALIZED VIEW monitoring_readings_daily
WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT time_bucket(INTERVAL '1 day', time, 'Asia/Shanghai') AS bucket,
       monitor_id, factor, interval,
       avg(value) FILTER (WHERE flag IS NULL OR upper(flag) NOT IN ('F','M','D','C','B','P','S')) AS avg_value,
       min(value) FILTER (WHERE flag IS NULL OR upper(flag) NOT IN ('F','M','D','C','B','P','S')) AS min_value,
       max(value) FILTER (WHERE flag IS NULL OR upper(flag) NOT IN ('F','M','D','C','B','P','S')) AS max_value,
       count(*) AS value_count,
       count(value) FILTER (WHERE flag IS NULL OR upper(flag) NOT IN ('F','M','D','C','B','P','S')) AS valid_count
  FROM monitoring_readings
 GROUP BY 1, 2, 3, 4
WITH NO DATA;
--> statement-breakpoint
SELECT add_continuous_aggregate_policy('monitoring_readings_hourly', start_offset => INTERVAL '3 days', end_offset => INTERVAL '1 hour', schedule_interval => INTERVAL '30 minutes');
--> statement-breakpoint
SELECT add_continuous_aggregate_policy('monitoring_readings_daily', start_offset => INTERVAL '40 days', end_offset => INTERVAL '1 day', schedule_interval => INTERVAL '6 hours');
--> statement-breakpoint
ALTER TABLE monitoring_readings SET (timescaledb.compress, timescaledb.compress_segmentby = 'monitor_id, factor, interval', timescaledb.compress_orderby = 'time DESC');
--> statement-breakpoint
SELECT add_compression_policy('monitoring_readings', INTERVAL '7 days');
