CREATE TABLE "hub_meta" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "hub_consumers" (
	"name" text PRIMARY KEY NOT NULL,
	"last_event_id" bigint NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "hub_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"topic" text NOT NULL,
	"payload" jsonb NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "monitoring_exceedances" (
	"id" serial PRIMARY KEY NOT NULL,
	"monitor_id" integer NOT NULL,
	"factor" text NOT NULL,
	"interval" text NOT NULL,
	"severity" text NOT NULL,
	"status" text NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"last_out_at" timestamp with time zone NOT NULL,
	"closed_at" timestamp with time zone,
	"peak_value" double precision NOT NULL,
	"peak_at" timestamp with time zone NOT NULL,
	"limit_id" integer,
	"limit_upper" double precision,
	"limit_lower" double precision,
	"basis" text NOT NULL,
	"monitor_kind" text NOT NULL,
	"owner_module" text,
	"enterprise_uscc" text,
	"cell_code" text,
	"acknowledged_at" timestamp with time zone,
	"acknowledged_by" text,
	"acknowledge_note" text
);
--> statement-breakpoint
CREATE TABLE "monitoring_limits" (
	"id" serial PRIMARY KEY NOT NULL,
	"monitor_id" integer,
	"monitor_kind" text,
	"factor" text NOT NULL,
	"period" text NOT NULL,
	"basis" text DEFAULT 'RAW' NOT NULL,
	"upper" double precision,
	"lower" double precision,
	"warning_ratio" double precision DEFAULT 0.8 NOT NULL,
	"standard" text,
	"valid_from" timestamp with time zone NOT NULL,
	"valid_to" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "monitoring_monitors" (
	"id" serial PRIMARY KEY NOT NULL,
	"mn" text NOT NULL,
	"password_hash" text NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"owner_module" text,
	"owner_id" text,
	"enterprise_uscc" text,
	"cell_code" text,
	"longitude" double precision,
	"latitude" double precision,
	"interval_seconds" integer NOT NULL,
	"status" text DEFAULT 'UNKNOWN' NOT NULL,
	"last_data_at" timestamp with time zone,
	"status_changed_at" timestamp with time zone,
	"facility_status" jsonb,
	"restarted_at" timestamp with time zone,
	"units" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "monitoring_readings" (
	"time" timestamp with time zone NOT NULL,
	"monitor_id" integer NOT NULL,
	"factor" text NOT NULL,
	"interval" text NOT NULL,
	"value" double precision,
	"converted" double precision,
	"flag" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "monitoring_series" (
	"monitor_id" integer NOT NULL,
	"factor" text NOT NULL,
	"interval" text NOT NULL,
	"last_time" timestamp with time zone NOT NULL,
	"last_value" double precision,
	"last_converted" double precision,
	"last_flag" text
);
--> statement-breakpoint
ALTER TABLE "monitoring_exceedances" ADD CONSTRAINT "monitoring_exceedances_monitor_id_monitoring_monitors_id_fk" FOREIGN KEY ("monitor_id") REFERENCES "public"."monitoring_monitors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monitoring_limits" ADD CONSTRAINT "monitoring_limits_monitor_id_monitoring_monitors_id_fk" FOREIGN KEY ("monitor_id") REFERENCES "public"."monitoring_monitors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monitoring_series" ADD CONSTRAINT "monitoring_series_monitor_id_monitoring_monitors_id_fk" FOREIGN KEY ("monitor_id") REFERENCES "public"."monitoring_monitors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "hub_events_topic_id_idx" ON "hub_events" USING btree ("topic","id");--> statement-breakpoint
CREATE UNIQUE INDEX "monitoring_exceedances_one_open_key" ON "monitoring_exceedances" USING btree ("monitor_id","factor","interval") WHERE status = 'OPEN';--> statement-breakpoint
CREATE INDEX "monitoring_exceedances_series_idx" ON "monitoring_exceedances" USING btree ("monitor_id","factor","interval","opened_at");--> statement-breakpoint
CREATE INDEX "monitoring_exceedances_opened_idx" ON "monitoring_exceedances" USING btree ("opened_at");--> statement-breakpoint
CREATE INDEX "monitoring_exceedances_cell_idx" ON "monitoring_exceedances" USING btree ("cell_code");--> statement-breakpoint
CREATE INDEX "monitoring_limits_monitor_idx" ON "monitoring_limits" USING btree ("monitor_id","factor","period");--> statement-breakpoint
CREATE INDEX "monitoring_limits_kind_idx" ON "monitoring_limits" USING btree ("monitor_kind","factor","period");--> statement-breakpoint
CREATE UNIQUE INDEX "monitoring_monitors_mn_key" ON "monitoring_monitors" USING btree ("mn");--> statement-breakpoint
CREATE INDEX "monitoring_monitors_enterprise_idx" ON "monitoring_monitors" USING btree ("enterprise_uscc");--> statement-breakpoint
CREATE INDEX "monitoring_monitors_cell_idx" ON "monitoring_monitors" USING btree ("cell_code");--> statement-breakpoint
CREATE INDEX "monitoring_monitors_owner_idx" ON "monitoring_monitors" USING btree ("owner_module","owner_id");--> statement-breakpoint
CREATE UNIQUE INDEX "monitoring_readings_series_time_key" ON "monitoring_readings" USING btree ("monitor_id","factor","interval","time");--> statement-breakpoint
CREATE UNIQUE INDEX "monitoring_series_key" ON "monitoring_series" USING btree ("monitor_id","factor","interval");