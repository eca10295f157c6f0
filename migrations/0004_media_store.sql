CREATE TABLE "grid_media_chunks" (
	"object" text NOT NULL,
	"start" bigint NOT NULL,
	"content" "bytea" NOT NULL,
	CONSTRAINT "grid_media_chunks_object_start_pk" PRIMARY KEY("object","start")
);
--> statement-breakpoint
CREATE TABLE "grid_media_uploads" (
	"id" text PRIMARY KEY NOT NULL,
	"owner" text NOT NULL,
	"idempotency_key" text,
	"size" bigint NOT NULL,
	"received" bigint DEFAULT 0 NOT NULL,
	"file_name" text,
	"expected_sha256" text,
	"media_id" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "grid_media_blobs" ALTER COLUMN "content" DROP NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "grid_media_uploads_key_idx" ON "grid_media_uploads" USING btree ("owner","idempotency_key");--> statement-breakpoint
CREATE INDEX "grid_media_uploads_owner_idx" ON "grid_media_uploads" USING btree ("owner","media_id");