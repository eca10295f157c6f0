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
CREATE INDEX "hub_idempotency_keys_expires_idx" ON "hub_idempotency_keys" USING btree ("expires_at");