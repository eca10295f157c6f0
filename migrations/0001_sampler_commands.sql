ALTER TABLE "source_sampler_retentions" ADD COLUMN "command_status" text DEFAULT 'NOT_SENT' NOT NULL;--> statement-breakpoint
ALTER TABLE "source_sampler_retentions" ADD COLUMN "command_attempt" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "source_sampler_retentions" ADD COLUMN "command_mn" text;--> statement-breakpoint
ALTER TABLE "source_sampler_retentions" ADD COLUMN "command_qn" text;--> statement-breakpoint
ALTER TABLE "source_sampler_retentions" ADD COLUMN "qn_rtn" integer;--> statement-breakpoint
ALTER TABLE "source_sampler_retentions" ADD COLUMN "exe_rtn" integer;--> statement-breakpoint
ALTER TABLE "source_sampler_retentions" ADD COLUMN "device_bottle" integer;--> statement-breakpoint
ALTER TABLE "source_sampler_retentions" ADD COLUMN "command_sent_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "source_sampler_retentions" ADD COLUMN "command_answered_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "source_samplers" ADD COLUMN "device_mn" text;