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
CREATE INDEX "hj212_forward_cursors_monitor_idx" ON "hj212_forward_cursors" USING btree ("monitor_id");--> statement-breakpoint
CREATE INDEX "monitoring_readings_arrival_idx" ON "monitoring_readings" USING btree ("monitor_id","received_at");