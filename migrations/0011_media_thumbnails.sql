CREATE TABLE "grid_media_thumbnails" (
	"source_sha256" text PRIMARY KEY NOT NULL,
	"sha256" text,
	"content_type" text,
	"size" integer,
	"width" integer,
	"height" integer,
	"error" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "grid_media_thumbnails" ADD CONSTRAINT "grid_media_thumbnails_source_sha256_grid_media_blobs_sha256_fk" FOREIGN KEY ("source_sha256") REFERENCES "public"."grid_media_blobs"("sha256") ON DELETE no action ON UPDATE no action;