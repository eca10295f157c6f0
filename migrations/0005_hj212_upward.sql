CREATE TABLE "hj212_forward_cursors" (
	"target" text NOT NULL,
	"monitor_id" integer NOT NULL,
	"received_at" timestamp (6) with time zone NOT NULL,
	"interval" text NOT NULL,
	"time" timestamp with time zone NOT NULL,
	"acknowledged_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "hj212_forward_cursors_target_monitor_id_pk" PRIMARY KEY("target","monitor_id")
);
--> statement-breakpoint
CREATE TABLE "hj212_forward_leases" (
	"target" text PRIMARY KEY NOT NULL,
	"owner_instance" text NOT NULL,
	"lease_until" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "monitoring_facility_run_times" (
	"monitor_id" integer NOT NULL,
	"facility" text NOT NULL,
	"time" timestamp with time zone NOT NULL,
	"run_hours" double precision NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "monitoring_readings" ADD COLUMN "min" double precision;--> statement-breakpoint
ALTER TABLE "monitoring_readings" ADD COLUMN "max" double precision;--> statement-breakpoint
ALTER TABLE "monitoring_readings" ADD COLUMN "cou" double precision;--> statement-breakpoint
ALTER TABLE "monitoring_facility_run_times" ADD CONSTRAINT "monitoring_facility_run_times_monitor_id_monitoring_monitors_id_fk" FOREIGN KEY ("monitor_id") REFERENCES "public"."monitoring_monitors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "hj212_forward_cursors_monitor_idx" ON "hj212_forward_cursors" USING btree ("monitor_id");--> statement-breakpoint
CREATE UNIQUE INDEX "monitoring_facility_run_times_key" ON "monitoring_facility_run_times" USING btree ("monitor_id","facility","time");--> statement-breakpoint
CREATE INDEX "monitoring_readings_arrival_idx" ON "monitoring_readings" USING btree ("monitor_id","received_at");