ALTER TABLE "grid_cells" ADD COLUMN "admin_code" text;--> statement-breakpoint
ALTER TABLE "grid_cells" ADD CONSTRAINT "grid_cells_admin_code_key" UNIQUE("admin_code");