CREATE TABLE "hub_device_commands" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"mn" text NOT NULL,
	"target_instance" text NOT NULL,
	"origin_instance" text NOT NULL,
	"request" jsonb NOT NULL,
	"status" text DEFAULT 'PENDING' NOT NULL,
	"result" jsonb,
	"error_code" text,
	"error_message" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "hub_device_sessions" (
	"mn" text PRIMARY KEY NOT NULL,
	"instance_id" text NOT NULL,
	"connected_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "hub_instances" (
	"id" text PRIMARY KEY NOT NULL,
	"hostname" text NOT NULL,
	"pid" integer NOT NULL,
	"version" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"heartbeat_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "hub_jobs" (
	"name" text PRIMARY KEY NOT NULL,
	"period" bigint NOT NULL,
	"instance_id" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"lease_until" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"failed" boolean
);
--> statement-breakpoint
ALTER TABLE "hub_consumers" ADD COLUMN "owner_instance" text;--> statement-breakpoint
ALTER TABLE "hub_consumers" ADD COLUMN "lease_until" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "hub_device_commands_target_status_idx" ON "hub_device_commands" USING btree ("target_instance","status");