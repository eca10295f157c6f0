CREATE TABLE "hub_idempotency_keys" (
	"identity" text NOT NULL,
	"operation" text NOT NULL,
	"key" text NOT NULL,
	"input_hash" text NOT NULL,
	"result" jsonb,
	"claimed_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "hub_idempotency_keys_pkey" PRIMARY KEY("identity","operation","key")
);
--> statement-breakpoint
CREATE TABLE "notify_deliveries" (
	"notification_id" integer PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"last_error" text,
	"delivered_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "notify_notifications" (
	"id" serial PRIMARY KEY NOT NULL,
	"recipient" text NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"subject" jsonb NOT NULL,
	"source_event_id" bigint NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"read_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "notify_deliveries" ADD CONSTRAINT "notify_deliveries_notification_id_notify_notifications_id_fk" FOREIGN KEY ("notification_id") REFERENCES "public"."notify_notifications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "hub_idempotency_keys_expires_idx" ON "hub_idempotency_keys" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "notify_deliveries_due_idx" ON "notify_deliveries" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE UNIQUE INDEX "notify_notifications_source_idx" ON "notify_notifications" USING btree ("source_event_id","recipient","kind");--> statement-breakpoint
CREATE INDEX "notify_notifications_recipient_idx" ON "notify_notifications" USING btree ("recipient","id");