ALTER TABLE "hj212_forward_cursors" ADD COLUMN "status_forwarded" jsonb;--> statement-breakpoint
ALTER TABLE "hj212_forward_cursors" ADD COLUMN "restart_forwarded" timestamp with time zone;