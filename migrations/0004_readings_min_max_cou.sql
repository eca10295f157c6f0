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
CREATE UNIQUE INDEX "monitoring_facility_run_times_key" ON "monitoring_facility_run_times" USING btree ("monitor_id","facility","time");