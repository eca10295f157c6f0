-- TimescaleDB step: the continuous aggregates' refresh policies look back 3 days (hourly) and 40
-- days (daily). Readings that arrive later than that (a logger's backlog after a long outage, an
-- import of old data) are below the aggregates' watermark, so real-time aggregation does not see
-- them either: without this job their buckets would stay empty or stale. The job refreshes both
-- aggregates over every retained day; a refresh only recomputes buckets that changed, so a run
-- with nothing late costs little. Its lower bound stays inside the retention period (the hub sets
-- `retain_days` from READINGS_RETENTION_DAYS at start), so a bucket whose raw chunks were dropped is
-- never recomputed from what is left.
CREATE OR REPLACE PROCEDURE monitoring_refresh_late_readings(job_id int, config jsonb)
LANGUAGE plpgsql AS $$
DECLARE
  horizon timestamptz := now() - make_interval(days => greatest(coalesce((config->>'retain_days')::int, 1095) - 2, 1));
BEGIN
  CALL refresh_continuous_aggregate('monitoring_readings_hourly', horizon, now() - INTERVAL '1 hour');
  COMMIT;
  CALL refresh_continuous_aggregate('monitoring_readings_daily', horizon, now() - INTERVAL '1 day');
END
$$;
--> statement-breakpoint
SELECT add_job('monitoring_refresh_late_readings', INTERVAL '1 hour', config => '{"retain_days": 1095}');
