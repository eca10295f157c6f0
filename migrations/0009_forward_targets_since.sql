CREATE TABLE "hj212_forward_targets" (
	"target" text PRIMARY KEY NOT NULL,
	"configured_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "monitoring_facility_run_times_arrival_idx" ON "monitoring_facility_run_times" USING btree ("monitor_id","received_at");