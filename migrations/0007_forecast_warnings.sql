CREATE TABLE "monitoring_forecast_warnings" (
	"id" serial PRIMARY KEY NOT NULL,
	"monitor_id" integer NOT NULL,
	"factor" text NOT NULL,
	"interval" text NOT NULL,
	"status" text NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"expected_at" timestamp with time zone NOT NULL,
	"probability" double precision NOT NULL,
	"expected_value" double precision NOT NULL,
	"method" text NOT NULL,
	"closed_at" timestamp with time zone,
	"close_reason" text,
	"limit_upper" double precision,
	"limit_lower" double precision
);
--> statement-breakpoint
ALTER TABLE "monitoring_forecast_warnings" ADD CONSTRAINT "monitoring_forecast_warnings_monitor_id_monitoring_monitors_id_fk" FOREIGN KEY ("monitor_id") REFERENCES "public"."monitoring_monitors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "monitoring_forecast_warnings_one_open_key" ON "monitoring_forecast_warnings" USING btree ("monitor_id","factor","interval") WHERE status = 'OPEN';--> statement-breakpoint
CREATE INDEX "monitoring_forecast_warnings_opened_idx" ON "monitoring_forecast_warnings" USING btree ("opened_at");