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
CREATE TABLE "air_episodes" (
	"id" serial PRIMARY KEY NOT NULL,
	"station_code" text NOT NULL,
	"cell_code" text,
	"status" text NOT NULL,
	"threshold" integer NOT NULL,
	"opened_hour" timestamp with time zone NOT NULL,
	"last_hour" timestamp with time zone NOT NULL,
	"closed_hour" timestamp with time zone,
	"last_aqi" integer NOT NULL,
	"peak_aqi" integer NOT NULL,
	"peak_hour" timestamp with time zone NOT NULL,
	"peak_primary_pollutants" jsonb NOT NULL,
	"edition" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "air_stations" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"level" text NOT NULL,
	"longitude" double precision,
	"latitude" double precision,
	"cell_code" text,
	"monitor_id" integer NOT NULL,
	"mn" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "emergency_actions" (
	"id" serial PRIMARY KEY NOT NULL,
	"incident_id" integer NOT NULL,
	"plan_id" integer NOT NULL,
	"position" integer NOT NULL,
	"title" text NOT NULL,
	"owner_role" text NOT NULL,
	"status" text NOT NULL,
	"done_by" text,
	"done_by_name" text,
	"done_at" timestamp with time zone,
	"note" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "emergency_incidents" (
	"id" serial PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"type" text NOT NULL,
	"description" text,
	"level" text NOT NULL,
	"criteria" jsonb NOT NULL,
	"warning_colour" text NOT NULL,
	"status" text NOT NULL,
	"proposed" boolean DEFAULT false NOT NULL,
	"longitude" double precision,
	"latitude" double precision,
	"address" text,
	"cell_code" text,
	"reporter_subject" text NOT NULL,
	"reporter_name" text,
	"occurred_at" timestamp with time zone,
	"reported_at" timestamp with time zone NOT NULL,
	"reported_upward_at" timestamp with time zone,
	"reported_upward_by" text,
	"closed_at" timestamp with time zone,
	"exceedance_ids" jsonb NOT NULL,
	"source_usccs" jsonb NOT NULL,
	"camera_ids" jsonb NOT NULL,
	"origin_exceedance_id" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "emergency_orders" (
	"id" serial PRIMARY KEY NOT NULL,
	"incident_id" integer NOT NULL,
	"resource_id" integer NOT NULL,
	"quantity" integer NOT NULL,
	"instructions" text,
	"issued_by" text NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"acknowledged_at" timestamp with time zone,
	"arrived_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "emergency_plan_steps" (
	"id" serial PRIMARY KEY NOT NULL,
	"plan_id" integer NOT NULL,
	"position" integer NOT NULL,
	"title" text NOT NULL,
	"owner_role" text NOT NULL,
	"description" text
);
--> statement-breakpoint
CREATE TABLE "emergency_plans" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"incident_type" text NOT NULL,
	"level" text NOT NULL,
	"summary" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "emergency_resources" (
	"id" serial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"quantity" integer NOT NULL,
	"unit" text,
	"longitude" double precision NOT NULL,
	"latitude" double precision NOT NULL,
	"cell_code" text,
	"contact_name" text,
	"contact_phone" text,
	"available" boolean DEFAULT true NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "emergency_timeline" (
	"id" serial PRIMARY KEY NOT NULL,
	"incident_id" integer NOT NULL,
	"kind" text NOT NULL,
	"summary" text NOT NULL,
	"detail" jsonb,
	"actor" text NOT NULL,
	"actor_name" text,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "grid_assignments" (
	"id" serial PRIMARY KEY NOT NULL,
	"staff_id" integer NOT NULL,
	"cell_code" text NOT NULL,
	"valid_from" timestamp with time zone NOT NULL,
	"valid_to" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "grid_cell_officers" (
	"cell_code" text NOT NULL,
	"staff_id" integer NOT NULL,
	CONSTRAINT "grid_cell_officers_pkey" PRIMARY KEY("cell_code","staff_id")
);
--> statement-breakpoint
CREATE TABLE "grid_cells" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"level" integer NOT NULL,
	"parent_code" text,
	"boundary" jsonb,
	"min_longitude" double precision,
	"max_longitude" double precision,
	"min_latitude" double precision,
	"max_latitude" double precision,
	"longitude" double precision,
	"latitude" double precision,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "grid_cells_code_key" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "grid_media" (
	"id" text PRIMARY KEY NOT NULL,
	"sha256" text NOT NULL,
	"content_type" text NOT NULL,
	"size" integer NOT NULL,
	"file_name" text,
	"uploaded_by" text NOT NULL,
	"uploaded_at" timestamp with time zone NOT NULL,
	"patrol_id" integer
);
--> statement-breakpoint
CREATE TABLE "grid_media_blobs" (
	"sha256" text PRIMARY KEY NOT NULL,
	"content" "bytea" NOT NULL,
	"size" integer NOT NULL,
	"content_type" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "grid_patrols" (
	"id" serial PRIMARY KEY NOT NULL,
	"task_id" integer,
	"cell_code" text NOT NULL,
	"staff_id" integer,
	"author_subject" text NOT NULL,
	"author_name" text,
	"patrolled_at" timestamp with time zone NOT NULL,
	"longitude" double precision NOT NULL,
	"latitude" double precision NOT NULL,
	"target_uscc" text,
	"production_status" text NOT NULL,
	"discharge_status" text NOT NULL,
	"treatment_facility" text NOT NULL,
	"hazardous_waste" text NOT NULL,
	"findings" text,
	"notes" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "grid_staff" (
	"id" serial PRIMARY KEY NOT NULL,
	"subject" text,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"organisation_code" text,
	"phone" text,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "grid_task_history" (
	"id" serial PRIMARY KEY NOT NULL,
	"task_id" integer NOT NULL,
	"action" text NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"actor" text NOT NULL,
	"actor_name" text,
	"note" text,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "grid_tasks" (
	"id" serial PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"target_kind" text NOT NULL,
	"target_uscc" text,
	"target_monitor_id" integer,
	"target_longitude" double precision,
	"target_latitude" double precision,
	"target_description" text,
	"cell_code" text NOT NULL,
	"assignee_id" integer,
	"status" text NOT NULL,
	"status_before_overdue" text,
	"deadline" timestamp with time zone NOT NULL,
	"dispatched_by" text NOT NULL,
	"dispatched_at" timestamp with time zone NOT NULL,
	"accepted_at" timestamp with time zone,
	"started_at" timestamp with time zone,
	"submitted_at" timestamp with time zone,
	"verified_at" timestamp with time zone,
	"overdue_at" timestamp with time zone,
	"exceedance_id" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "oa_documents" (
	"id" serial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"number" text NOT NULL,
	"year" integer NOT NULL,
	"sequence" integer NOT NULL,
	"title" text NOT NULL,
	"sender_organisation" text NOT NULL,
	"recipient_organisation" text NOT NULL,
	"security_level" text NOT NULL,
	"urgency" text NOT NULL,
	"status" text NOT NULL,
	"body" text NOT NULL,
	"attachments" jsonb NOT NULL,
	"links" jsonb NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "oa_notice_reads" (
	"notice_id" integer NOT NULL,
	"subject" text NOT NULL,
	"read_at" timestamp with time zone NOT NULL,
	CONSTRAINT "oa_notice_reads_pkey" PRIMARY KEY("notice_id","subject")
);
--> statement-breakpoint
CREATE TABLE "oa_notices" (
	"id" serial PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"publisher" text NOT NULL,
	"publisher_name" text,
	"audience_organisations" jsonb NOT NULL,
	"audience_roles" jsonb NOT NULL,
	"published_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "oa_people" (
	"id" serial PRIMARY KEY NOT NULL,
	"subject" text NOT NULL,
	"name" text NOT NULL,
	"organisation" text NOT NULL,
	"title" text,
	"roles" jsonb NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "oa_supervised_tasks" (
	"id" serial PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"owner_organisation" text NOT NULL,
	"supervisor" text NOT NULL,
	"subject_global_id" text,
	"deadline" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"progress" integer DEFAULT 0 NOT NULL,
	"escalation_level" integer DEFAULT 0 NOT NULL,
	"escalated_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "oa_supervision_reports" (
	"id" serial PRIMARY KEY NOT NULL,
	"task_id" integer NOT NULL,
	"reporter" text NOT NULL,
	"reporter_name" text,
	"progress" integer NOT NULL,
	"note" text NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "oa_workflow_actions" (
	"id" serial PRIMARY KEY NOT NULL,
	"instance_id" integer NOT NULL,
	"step" text,
	"action" text NOT NULL,
	"actor" text NOT NULL,
	"actor_name" text,
	"opinion" text,
	"return_to" text,
	"forward_to" text,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "oa_workflow_definitions" (
	"id" serial PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"version" integer NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"steps" jsonb NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "oa_workflow_instances" (
	"id" serial PRIMARY KEY NOT NULL,
	"definition_id" integer NOT NULL,
	"title" text NOT NULL,
	"subject_global_id" text,
	"document_id" integer,
	"confidential" boolean DEFAULT false NOT NULL,
	"fields" jsonb NOT NULL,
	"status" text NOT NULL,
	"current_step" text,
	"state" jsonb NOT NULL,
	"pending_subjects" jsonb NOT NULL,
	"participants" jsonb NOT NULL,
	"step_deadline" timestamp with time zone,
	"step_overdue_at" timestamp with time zone,
	"revision" integer DEFAULT 0 NOT NULL,
	"started_by" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "source_cameras" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"site_id" integer NOT NULL,
	"name" text NOT NULL,
	"stream_url" text NOT NULL,
	"status" text NOT NULL,
	"status_changed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "source_cases" (
	"id" serial PRIMARY KEY NOT NULL,
	"enterprise_id" integer NOT NULL,
	"inspection_id" integer,
	"case_number" text NOT NULL,
	"findings" text NOT NULL,
	"decision" text,
	"penalty_yuan" double precision,
	"status" text NOT NULL,
	"published" boolean DEFAULT false NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"decided_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"published_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "source_documents" (
	"id" serial PRIMARY KEY NOT NULL,
	"enterprise_id" integer NOT NULL,
	"title" text NOT NULL,
	"kind" text NOT NULL,
	"media_id" text,
	"url" text,
	"issued_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "source_enterprises" (
	"id" serial PRIMARY KEY NOT NULL,
	"uscc" text NOT NULL,
	"name" text NOT NULL,
	"industry" text NOT NULL,
	"address" text,
	"longitude" double precision,
	"latitude" double precision,
	"cell_code" text,
	"control_level" text NOT NULL,
	"status" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "source_facilities" (
	"id" serial PRIMARY KEY NOT NULL,
	"enterprise_id" integer NOT NULL,
	"outlet_id" integer,
	"name" text NOT NULL,
	"process" text,
	"monitor_id" integer,
	"device_code" text
);
--> statement-breakpoint
CREATE TABLE "source_hazardous_waste" (
	"id" serial PRIMARY KEY NOT NULL,
	"enterprise_id" integer NOT NULL,
	"waste_code" text NOT NULL,
	"name" text NOT NULL,
	"quantity_tonnes" double precision NOT NULL,
	"disposer" text,
	"recorded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "source_inspections" (
	"id" serial PRIMARY KEY NOT NULL,
	"enterprise_id" integer NOT NULL,
	"inspected_at" timestamp with time zone NOT NULL,
	"inspector" text NOT NULL,
	"patrol_id" integer,
	"result" text NOT NULL,
	"findings" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "source_outlet_monitors" (
	"id" serial PRIMARY KEY NOT NULL,
	"outlet_id" integer NOT NULL,
	"monitor_id" integer NOT NULL,
	"mn" text NOT NULL,
	"kind" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "source_outlets" (
	"id" serial PRIMARY KEY NOT NULL,
	"enterprise_id" integer NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"longitude" double precision,
	"latitude" double precision,
	"reference_o2" double precision,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "source_permit_limits" (
	"id" serial PRIMARY KEY NOT NULL,
	"permit_id" integer NOT NULL,
	"outlet_id" integer NOT NULL,
	"factor" text NOT NULL,
	"upper" double precision,
	"lower" double precision,
	"unit" text NOT NULL,
	"basis" text NOT NULL,
	"standard" text,
	"valid_from" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "source_permits" (
	"id" serial PRIMARY KEY NOT NULL,
	"enterprise_id" integer NOT NULL,
	"number" text NOT NULL,
	"valid_from" timestamp with time zone NOT NULL,
	"valid_to" timestamp with time zone NOT NULL,
	"issued_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "source_risk_sources" (
	"id" serial PRIMARY KEY NOT NULL,
	"enterprise_id" integer NOT NULL,
	"name" text NOT NULL,
	"substance" text NOT NULL,
	"quantity_tonnes" double precision,
	"risk_level" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "source_sampler_retentions" (
	"id" serial PRIMARY KEY NOT NULL,
	"sampler_id" integer NOT NULL,
	"exceedance_id" integer NOT NULL,
	"bottle_number" integer NOT NULL,
	"retained_at" timestamp with time zone NOT NULL,
	"factor" text NOT NULL,
	"value" double precision
);
--> statement-breakpoint
CREATE TABLE "source_samplers" (
	"id" serial PRIMARY KEY NOT NULL,
	"enterprise_id" integer NOT NULL,
	"outlet_id" integer NOT NULL,
	"code" text NOT NULL,
	"bottles" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "source_snapshots" (
	"id" serial PRIMARY KEY NOT NULL,
	"camera_id" integer NOT NULL,
	"target_kind" text NOT NULL,
	"target_id" integer NOT NULL,
	"media_id" text,
	"url" text,
	"taken_at" timestamp with time zone NOT NULL,
	"attached_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "source_video_sites" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"enterprise_id" integer,
	"longitude" double precision NOT NULL,
	"latitude" double precision NOT NULL,
	"cell_code" text
);
--> statement-breakpoint
CREATE TABLE "water_episodes" (
	"id" serial PRIMARY KEY NOT NULL,
	"station_id" integer NOT NULL,
	"station_code" text NOT NULL,
	"source_code" text NOT NULL,
	"cell_code" text NOT NULL,
	"status" text NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"last_breach_at" timestamp with time zone NOT NULL,
	"closed_at" timestamp with time zone,
	"breach_hours" integer NOT NULL,
	"target_class" text NOT NULL,
	"current_class" text NOT NULL,
	"worst_class" text NOT NULL,
	"failing_items" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "water_sources" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"waterbody" text NOT NULL,
	"protection_zone" text,
	"target_class" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "water_station_checks" (
	"station_id" integer PRIMARY KEY NOT NULL,
	"last_hour" timestamp with time zone NOT NULL,
	"last_class" text,
	"last_meets_target" boolean,
	"checked_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "water_stations" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"source_id" integer NOT NULL,
	"cell_code" text NOT NULL,
	"longitude" double precision,
	"latitude" double precision,
	"monitor_id" integer NOT NULL,
	"mn" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "monitoring_exceedances" ADD CONSTRAINT "monitoring_exceedances_monitor_id_monitoring_monitors_id_fk" FOREIGN KEY ("monitor_id") REFERENCES "public"."monitoring_monitors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monitoring_limits" ADD CONSTRAINT "monitoring_limits_monitor_id_monitoring_monitors_id_fk" FOREIGN KEY ("monitor_id") REFERENCES "public"."monitoring_monitors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monitoring_series" ADD CONSTRAINT "monitoring_series_monitor_id_monitoring_monitors_id_fk" FOREIGN KEY ("monitor_id") REFERENCES "public"."monitoring_monitors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "emergency_actions" ADD CONSTRAINT "emergency_actions_incident_id_emergency_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."emergency_incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "emergency_actions" ADD CONSTRAINT "emergency_actions_plan_id_emergency_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."emergency_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "emergency_orders" ADD CONSTRAINT "emergency_orders_incident_id_emergency_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."emergency_incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "emergency_orders" ADD CONSTRAINT "emergency_orders_resource_id_emergency_resources_id_fk" FOREIGN KEY ("resource_id") REFERENCES "public"."emergency_resources"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "emergency_plan_steps" ADD CONSTRAINT "emergency_plan_steps_plan_id_emergency_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."emergency_plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "emergency_timeline" ADD CONSTRAINT "emergency_timeline_incident_id_emergency_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."emergency_incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grid_assignments" ADD CONSTRAINT "grid_assignments_staff_id_grid_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."grid_staff"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grid_assignments" ADD CONSTRAINT "grid_assignments_cell_code_grid_cells_code_fk" FOREIGN KEY ("cell_code") REFERENCES "public"."grid_cells"("code") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grid_cell_officers" ADD CONSTRAINT "grid_cell_officers_cell_code_grid_cells_code_fk" FOREIGN KEY ("cell_code") REFERENCES "public"."grid_cells"("code") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grid_cell_officers" ADD CONSTRAINT "grid_cell_officers_staff_id_grid_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."grid_staff"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grid_cells" ADD CONSTRAINT "grid_cells_parent_fk" FOREIGN KEY ("parent_code") REFERENCES "public"."grid_cells"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grid_media" ADD CONSTRAINT "grid_media_sha256_grid_media_blobs_sha256_fk" FOREIGN KEY ("sha256") REFERENCES "public"."grid_media_blobs"("sha256") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grid_media" ADD CONSTRAINT "grid_media_patrol_id_grid_patrols_id_fk" FOREIGN KEY ("patrol_id") REFERENCES "public"."grid_patrols"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grid_patrols" ADD CONSTRAINT "grid_patrols_task_id_grid_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."grid_tasks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grid_patrols" ADD CONSTRAINT "grid_patrols_cell_code_grid_cells_code_fk" FOREIGN KEY ("cell_code") REFERENCES "public"."grid_cells"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grid_patrols" ADD CONSTRAINT "grid_patrols_staff_id_grid_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."grid_staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grid_staff" ADD CONSTRAINT "grid_staff_organisation_code_grid_cells_code_fk" FOREIGN KEY ("organisation_code") REFERENCES "public"."grid_cells"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grid_task_history" ADD CONSTRAINT "grid_task_history_task_id_grid_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."grid_tasks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grid_tasks" ADD CONSTRAINT "grid_tasks_cell_code_grid_cells_code_fk" FOREIGN KEY ("cell_code") REFERENCES "public"."grid_cells"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grid_tasks" ADD CONSTRAINT "grid_tasks_assignee_id_grid_staff_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."grid_staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oa_notice_reads" ADD CONSTRAINT "oa_notice_reads_notice_id_oa_notices_id_fk" FOREIGN KEY ("notice_id") REFERENCES "public"."oa_notices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oa_supervision_reports" ADD CONSTRAINT "oa_supervision_reports_task_id_oa_supervised_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."oa_supervised_tasks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oa_workflow_actions" ADD CONSTRAINT "oa_workflow_actions_instance_id_oa_workflow_instances_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."oa_workflow_instances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oa_workflow_instances" ADD CONSTRAINT "oa_workflow_instances_definition_id_oa_workflow_definitions_id_fk" FOREIGN KEY ("definition_id") REFERENCES "public"."oa_workflow_definitions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oa_workflow_instances" ADD CONSTRAINT "oa_workflow_instances_document_id_oa_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."oa_documents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "source_cameras" ADD CONSTRAINT "source_cameras_site_id_source_video_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."source_video_sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "source_cases" ADD CONSTRAINT "source_cases_enterprise_id_source_enterprises_id_fk" FOREIGN KEY ("enterprise_id") REFERENCES "public"."source_enterprises"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "source_cases" ADD CONSTRAINT "source_cases_inspection_id_source_inspections_id_fk" FOREIGN KEY ("inspection_id") REFERENCES "public"."source_inspections"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "source_documents" ADD CONSTRAINT "source_documents_enterprise_id_source_enterprises_id_fk" FOREIGN KEY ("enterprise_id") REFERENCES "public"."source_enterprises"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "source_facilities" ADD CONSTRAINT "source_facilities_enterprise_id_source_enterprises_id_fk" FOREIGN KEY ("enterprise_id") REFERENCES "public"."source_enterprises"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "source_facilities" ADD CONSTRAINT "source_facilities_outlet_id_source_outlets_id_fk" FOREIGN KEY ("outlet_id") REFERENCES "public"."source_outlets"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "source_hazardous_waste" ADD CONSTRAINT "source_hazardous_waste_enterprise_id_source_enterprises_id_fk" FOREIGN KEY ("enterprise_id") REFERENCES "public"."source_enterprises"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "source_inspections" ADD CONSTRAINT "source_inspections_enterprise_id_source_enterprises_id_fk" FOREIGN KEY ("enterprise_id") REFERENCES "public"."source_enterprises"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "source_outlet_monitors" ADD CONSTRAINT "source_outlet_monitors_outlet_id_source_outlets_id_fk" FOREIGN KEY ("outlet_id") REFERENCES "public"."source_outlets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "source_outlets" ADD CONSTRAINT "source_outlets_enterprise_id_source_enterprises_id_fk" FOREIGN KEY ("enterprise_id") REFERENCES "public"."source_enterprises"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "source_permit_limits" ADD CONSTRAINT "source_permit_limits_permit_id_source_permits_id_fk" FOREIGN KEY ("permit_id") REFERENCES "public"."source_permits"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "source_permit_limits" ADD CONSTRAINT "source_permit_limits_outlet_id_source_outlets_id_fk" FOREIGN KEY ("outlet_id") REFERENCES "public"."source_outlets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "source_permits" ADD CONSTRAINT "source_permits_enterprise_id_source_enterprises_id_fk" FOREIGN KEY ("enterprise_id") REFERENCES "public"."source_enterprises"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "source_risk_sources" ADD CONSTRAINT "source_risk_sources_enterprise_id_source_enterprises_id_fk" FOREIGN KEY ("enterprise_id") REFERENCES "public"."source_enterprises"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "source_sampler_retentions" ADD CONSTRAINT "source_sampler_retentions_sampler_id_source_samplers_id_fk" FOREIGN KEY ("sampler_id") REFERENCES "public"."source_samplers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "source_samplers" ADD CONSTRAINT "source_samplers_enterprise_id_source_enterprises_id_fk" FOREIGN KEY ("enterprise_id") REFERENCES "public"."source_enterprises"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "source_samplers" ADD CONSTRAINT "source_samplers_outlet_id_source_outlets_id_fk" FOREIGN KEY ("outlet_id") REFERENCES "public"."source_outlets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "source_snapshots" ADD CONSTRAINT "source_snapshots_camera_id_source_cameras_id_fk" FOREIGN KEY ("camera_id") REFERENCES "public"."source_cameras"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "source_video_sites" ADD CONSTRAINT "source_video_sites_enterprise_id_source_enterprises_id_fk" FOREIGN KEY ("enterprise_id") REFERENCES "public"."source_enterprises"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "water_episodes" ADD CONSTRAINT "water_episodes_station_id_water_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."water_stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "water_station_checks" ADD CONSTRAINT "water_station_checks_station_id_water_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."water_stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "water_stations" ADD CONSTRAINT "water_stations_source_id_water_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."water_sources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
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
CREATE UNIQUE INDEX "monitoring_series_key" ON "monitoring_series" USING btree ("monitor_id","factor","interval");--> statement-breakpoint
CREATE UNIQUE INDEX "air_episodes_one_open_key" ON "air_episodes" USING btree ("station_code") WHERE status = 'OPEN';--> statement-breakpoint
CREATE INDEX "air_episodes_station_idx" ON "air_episodes" USING btree ("station_code","id");--> statement-breakpoint
CREATE INDEX "air_episodes_opened_idx" ON "air_episodes" USING btree ("opened_hour");--> statement-breakpoint
CREATE UNIQUE INDEX "air_stations_code_key" ON "air_stations" USING btree ("code");--> statement-breakpoint
CREATE UNIQUE INDEX "air_stations_monitor_key" ON "air_stations" USING btree ("monitor_id");--> statement-breakpoint
CREATE INDEX "air_stations_cell_idx" ON "air_stations" USING btree ("cell_code");--> statement-breakpoint
CREATE UNIQUE INDEX "emergency_actions_step_key" ON "emergency_actions" USING btree ("incident_id","plan_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "emergency_incidents_origin_exceedance_key" ON "emergency_incidents" USING btree ("origin_exceedance_id");--> statement-breakpoint
CREATE INDEX "emergency_incidents_cell_idx" ON "emergency_incidents" USING btree ("cell_code");--> statement-breakpoint
CREATE INDEX "emergency_incidents_status_idx" ON "emergency_incidents" USING btree ("status","id");--> statement-breakpoint
CREATE INDEX "emergency_orders_incident_idx" ON "emergency_orders" USING btree ("incident_id");--> statement-breakpoint
CREATE UNIQUE INDEX "emergency_plan_steps_position_key" ON "emergency_plan_steps" USING btree ("plan_id","position");--> statement-breakpoint
CREATE INDEX "emergency_plans_type_idx" ON "emergency_plans" USING btree ("incident_type","level");--> statement-breakpoint
CREATE INDEX "emergency_resources_available_idx" ON "emergency_resources" USING btree ("available","kind");--> statement-breakpoint
CREATE INDEX "emergency_timeline_incident_idx" ON "emergency_timeline" USING btree ("incident_id","id");--> statement-breakpoint
CREATE INDEX "grid_assignments_cell_idx" ON "grid_assignments" USING btree ("cell_code","valid_from");--> statement-breakpoint
CREATE INDEX "grid_assignments_staff_idx" ON "grid_assignments" USING btree ("staff_id","valid_from");--> statement-breakpoint
CREATE INDEX "grid_cell_officers_staff_idx" ON "grid_cell_officers" USING btree ("staff_id");--> statement-breakpoint
CREATE INDEX "grid_cells_parent_idx" ON "grid_cells" USING btree ("parent_code");--> statement-breakpoint
CREATE INDEX "grid_cells_level_idx" ON "grid_cells" USING btree ("level","code");--> statement-breakpoint
CREATE INDEX "grid_media_patrol_idx" ON "grid_media" USING btree ("patrol_id");--> statement-breakpoint
CREATE INDEX "grid_media_uploader_idx" ON "grid_media" USING btree ("uploaded_by","uploaded_at");--> statement-breakpoint
CREATE INDEX "grid_media_sha_idx" ON "grid_media" USING btree ("sha256");--> statement-breakpoint
CREATE INDEX "grid_patrols_cell_idx" ON "grid_patrols" USING btree ("cell_code","id");--> statement-breakpoint
CREATE INDEX "grid_patrols_task_idx" ON "grid_patrols" USING btree ("task_id");--> statement-breakpoint
CREATE INDEX "grid_patrols_staff_idx" ON "grid_patrols" USING btree ("staff_id","patrolled_at");--> statement-breakpoint
CREATE INDEX "grid_patrols_time_idx" ON "grid_patrols" USING btree ("patrolled_at");--> statement-breakpoint
CREATE UNIQUE INDEX "grid_staff_subject_key" ON "grid_staff" USING btree ("subject");--> statement-breakpoint
CREATE INDEX "grid_staff_role_idx" ON "grid_staff" USING btree ("role","id");--> statement-breakpoint
CREATE INDEX "grid_task_history_task_idx" ON "grid_task_history" USING btree ("task_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "grid_tasks_exceedance_key" ON "grid_tasks" USING btree ("exceedance_id");--> statement-breakpoint
CREATE INDEX "grid_tasks_cell_idx" ON "grid_tasks" USING btree ("cell_code","id");--> statement-breakpoint
CREATE INDEX "grid_tasks_assignee_idx" ON "grid_tasks" USING btree ("assignee_id","status");--> statement-breakpoint
CREATE INDEX "grid_tasks_deadline_idx" ON "grid_tasks" USING btree ("status","deadline");--> statement-breakpoint
CREATE INDEX "grid_tasks_dispatched_idx" ON "grid_tasks" USING btree ("dispatched_at");--> statement-breakpoint
CREATE UNIQUE INDEX "oa_documents_number_key" ON "oa_documents" USING btree ("kind","year","number");--> statement-breakpoint
CREATE INDEX "oa_documents_kind_idx" ON "oa_documents" USING btree ("kind","year","sequence");--> statement-breakpoint
CREATE INDEX "oa_notices_published_idx" ON "oa_notices" USING btree ("published_at");--> statement-breakpoint
CREATE UNIQUE INDEX "oa_people_subject_key" ON "oa_people" USING btree ("subject");--> statement-breakpoint
CREATE INDEX "oa_people_organisation_idx" ON "oa_people" USING btree ("organisation");--> statement-breakpoint
CREATE INDEX "oa_supervised_tasks_owner_idx" ON "oa_supervised_tasks" USING btree ("owner_organisation","status");--> statement-breakpoint
CREATE INDEX "oa_supervised_tasks_deadline_idx" ON "oa_supervised_tasks" USING btree ("status","deadline");--> statement-breakpoint
CREATE INDEX "oa_supervision_reports_task_idx" ON "oa_supervision_reports" USING btree ("task_id","id");--> statement-breakpoint
CREATE INDEX "oa_workflow_actions_instance_idx" ON "oa_workflow_actions" USING btree ("instance_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "oa_workflow_definitions_key_version_key" ON "oa_workflow_definitions" USING btree ("key","version");--> statement-breakpoint
CREATE INDEX "oa_workflow_instances_status_idx" ON "oa_workflow_instances" USING btree ("status","id");--> statement-breakpoint
CREATE INDEX "oa_workflow_instances_document_idx" ON "oa_workflow_instances" USING btree ("document_id");--> statement-breakpoint
CREATE INDEX "oa_workflow_instances_pending_idx" ON "oa_workflow_instances" USING gin ("pending_subjects");--> statement-breakpoint
CREATE UNIQUE INDEX "source_cameras_code_key" ON "source_cameras" USING btree ("code");--> statement-breakpoint
CREATE INDEX "source_cameras_site_idx" ON "source_cameras" USING btree ("site_id");--> statement-breakpoint
CREATE UNIQUE INDEX "source_cases_number_key" ON "source_cases" USING btree ("case_number");--> statement-breakpoint
CREATE INDEX "source_cases_enterprise_idx" ON "source_cases" USING btree ("enterprise_id");--> statement-breakpoint
CREATE INDEX "source_cases_published_idx" ON "source_cases" USING btree ("published","decided_at");--> statement-breakpoint
CREATE INDEX "source_documents_enterprise_idx" ON "source_documents" USING btree ("enterprise_id");--> statement-breakpoint
CREATE UNIQUE INDEX "source_enterprises_uscc_key" ON "source_enterprises" USING btree ("uscc");--> statement-breakpoint
CREATE INDEX "source_enterprises_cell_idx" ON "source_enterprises" USING btree ("cell_code");--> statement-breakpoint
CREATE INDEX "source_enterprises_level_idx" ON "source_enterprises" USING btree ("control_level");--> statement-breakpoint
CREATE INDEX "source_facilities_enterprise_idx" ON "source_facilities" USING btree ("enterprise_id");--> statement-breakpoint
CREATE INDEX "source_hazardous_waste_enterprise_idx" ON "source_hazardous_waste" USING btree ("enterprise_id","recorded_at");--> statement-breakpoint
CREATE INDEX "source_inspections_enterprise_idx" ON "source_inspections" USING btree ("enterprise_id","inspected_at");--> statement-breakpoint
CREATE UNIQUE INDEX "source_inspections_patrol_key" ON "source_inspections" USING btree ("patrol_id");--> statement-breakpoint
CREATE UNIQUE INDEX "source_outlet_monitors_monitor_key" ON "source_outlet_monitors" USING btree ("monitor_id");--> statement-breakpoint
CREATE INDEX "source_outlet_monitors_outlet_idx" ON "source_outlet_monitors" USING btree ("outlet_id");--> statement-breakpoint
CREATE UNIQUE INDEX "source_outlets_code_key" ON "source_outlets" USING btree ("enterprise_id","code");--> statement-breakpoint
CREATE INDEX "source_outlets_enterprise_idx" ON "source_outlets" USING btree ("enterprise_id");--> statement-breakpoint
CREATE UNIQUE INDEX "source_permit_limits_key" ON "source_permit_limits" USING btree ("outlet_id","factor","valid_from");--> statement-breakpoint
CREATE INDEX "source_permit_limits_permit_idx" ON "source_permit_limits" USING btree ("permit_id");--> statement-breakpoint
CREATE UNIQUE INDEX "source_permits_number_key" ON "source_permits" USING btree ("number");--> statement-breakpoint
CREATE INDEX "source_permits_enterprise_idx" ON "source_permits" USING btree ("enterprise_id");--> statement-breakpoint
CREATE INDEX "source_risk_sources_enterprise_idx" ON "source_risk_sources" USING btree ("enterprise_id");--> statement-breakpoint
CREATE UNIQUE INDEX "source_sampler_retentions_episode_key" ON "source_sampler_retentions" USING btree ("exceedance_id");--> statement-breakpoint
CREATE INDEX "source_sampler_retentions_sampler_idx" ON "source_sampler_retentions" USING btree ("sampler_id");--> statement-breakpoint
CREATE UNIQUE INDEX "source_samplers_code_key" ON "source_samplers" USING btree ("code");--> statement-breakpoint
CREATE UNIQUE INDEX "source_samplers_outlet_key" ON "source_samplers" USING btree ("outlet_id");--> statement-breakpoint
CREATE INDEX "source_snapshots_target_idx" ON "source_snapshots" USING btree ("target_kind","target_id");--> statement-breakpoint
CREATE INDEX "source_snapshots_camera_idx" ON "source_snapshots" USING btree ("camera_id");--> statement-breakpoint
CREATE UNIQUE INDEX "source_video_sites_code_key" ON "source_video_sites" USING btree ("code");--> statement-breakpoint
CREATE INDEX "source_video_sites_enterprise_idx" ON "source_video_sites" USING btree ("enterprise_id");--> statement-breakpoint
CREATE UNIQUE INDEX "water_episodes_one_open_key" ON "water_episodes" USING btree ("station_id") WHERE status = 'OPEN';--> statement-breakpoint
CREATE INDEX "water_episodes_station_idx" ON "water_episodes" USING btree ("station_id","opened_at");--> statement-breakpoint
CREATE INDEX "water_episodes_cell_idx" ON "water_episodes" USING btree ("cell_code");--> statement-breakpoint
CREATE UNIQUE INDEX "water_sources_code_key" ON "water_sources" USING btree ("code");--> statement-breakpoint
CREATE UNIQUE INDEX "water_stations_code_key" ON "water_stations" USING btree ("code");--> statement-breakpoint
CREATE UNIQUE INDEX "water_stations_monitor_key" ON "water_stations" USING btree ("monitor_id");--> statement-breakpoint
CREATE INDEX "water_stations_source_idx" ON "water_stations" USING btree ("source_id");--> statement-breakpoint
CREATE INDEX "water_stations_cell_idx" ON "water_stations" USING btree ("cell_code");