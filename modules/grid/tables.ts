import {
  bigint,
  boolean,
  customType,
  doublePrecision,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type { Polygon } from './service/geometry';

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/**
 * The three-level grid. Codes are hierarchical (a cell's code begins with its parent's), which is
 * what row scope relies on. The bounding box is kept beside the boundary so that locating a point
 * reads only the cells whose box holds it.
 */
export const gridCells = pgTable(
  'grid_cells',
  {
    id: serial('id').primaryKey(),
    code: text('code').notNull().unique('grid_cells_code_key'),
    name: text('name').notNull(),
    level: integer('level').notNull(),
    parentCode: text('parent_code'),
    /** the national 12-digit division code (统计用区划代码) of a town or village, when it has one */
    adminCode: text('admin_code').unique('grid_cells_admin_code_key'),
    boundary: jsonb('boundary').$type<Polygon>(),
    minLongitude: doublePrecision('min_longitude'),
    maxLongitude: doublePrecision('max_longitude'),
    minLatitude: doublePrecision('min_latitude'),
    maxLatitude: doublePrecision('max_latitude'),
    longitude: doublePrecision('longitude'),
    latitude: doublePrecision('latitude'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('grid_cells_parent_idx').on(t.parentCode),
    index('grid_cells_level_idx').on(t.level, t.code),
    foreignKey({ name: 'grid_cells_parent_fk', columns: [t.parentCode], foreignColumns: [t.code] }),
  ],
);

/**
 * Assistants and officers. `organisationCode` is the town office's level-2 cell, or null for the
 * district bureau; `subject` links the record to a token's `sub`.
 */
export const gridStaff = pgTable(
  'grid_staff',
  {
    id: serial('id').primaryKey(),
    subject: text('subject'),
    name: text('name').notNull(),
    role: text('role').notNull(),
    organisationCode: text('organisation_code').references(() => gridCells.code),
    phone: text('phone'),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('grid_staff_subject_key').on(t.subject), index('grid_staff_role_idx').on(t.role, t.id)],
);

/** The officers responsible for a cell (定位定责). */
export const gridCellOfficers = pgTable(
  'grid_cell_officers',
  {
    cellCode: text('cell_code')
      .notNull()
      .references(() => gridCells.code, { onDelete: 'cascade' }),
    staffId: integer('staff_id')
      .notNull()
      .references(() => gridStaff.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ name: 'grid_cell_officers_pkey', columns: [t.cellCode, t.staffId] }), index('grid_cell_officers_staff_idx').on(t.staffId)],
);

/** An assistant answers for a cell from `validFrom` until `validTo` (分片包干、定人定岗). */
export const gridAssignments = pgTable(
  'grid_assignments',
  {
    id: serial('id').primaryKey(),
    staffId: integer('staff_id')
      .notNull()
      .references(() => gridStaff.id, { onDelete: 'cascade' }),
    cellCode: text('cell_code')
      .notNull()
      .references(() => gridCells.code, { onDelete: 'cascade' }),
    validFrom: timestamp('valid_from', { withTimezone: true }).notNull(),
    validTo: timestamp('valid_to', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('grid_assignments_cell_idx').on(t.cellCode, t.validFrom), index('grid_assignments_staff_idx').on(t.staffId, t.validFrom)],
);

/**
 * Supervision tasks. `exceedanceId` is unique, so an exceedance episode dispatches one task
 * however often its event is delivered. Timestamps of each stage feed the assessment.
 */
export const gridTasks = pgTable(
  'grid_tasks',
  {
    id: serial('id').primaryKey(),
    type: text('type').notNull(),
    title: text('title').notNull(),
    description: text('description'),
    targetKind: text('target_kind').notNull(),
    targetUscc: text('target_uscc'),
    targetMonitorId: integer('target_monitor_id'),
    targetLongitude: doublePrecision('target_longitude'),
    targetLatitude: doublePrecision('target_latitude'),
    targetDescription: text('target_description'),
    cellCode: text('cell_code')
      .notNull()
      .references(() => gridCells.code),
    assigneeId: integer('assignee_id').references(() => gridStaff.id),
    status: text('status').notNull(),
    /** where an OVERDUE task resumes from: overdue marks lateness, not a stage of the work */
    statusBeforeOverdue: text('status_before_overdue'),
    deadline: timestamp('deadline', { withTimezone: true }).notNull(),
    dispatchedBy: text('dispatched_by').notNull(),
    dispatchedAt: timestamp('dispatched_at', { withTimezone: true }).notNull(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    startedAt: timestamp('started_at', { withTimezone: true }),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    verifiedAt: timestamp('verified_at', { withTimezone: true }),
    overdueAt: timestamp('overdue_at', { withTimezone: true }),
    exceedanceId: integer('exceedance_id'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('grid_tasks_exceedance_key').on(t.exceedanceId),
    index('grid_tasks_cell_idx').on(t.cellCode, t.id),
    index('grid_tasks_assignee_idx').on(t.assigneeId, t.status),
    index('grid_tasks_deadline_idx').on(t.status, t.deadline),
    index('grid_tasks_dispatched_idx').on(t.dispatchedAt),
  ],
);

/** Every transition of a task: who, when, from what to what, and why. */
export const gridTaskHistory = pgTable(
  'grid_task_history',
  {
    id: serial('id').primaryKey(),
    taskId: integer('task_id')
      .notNull()
      .references(() => gridTasks.id, { onDelete: 'cascade' }),
    action: text('action').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    actor: text('actor').notNull(),
    actorName: text('actor_name'),
    note: text('note'),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [index('grid_task_history_task_idx').on(t.taskId, t.id)],
);

/** A patrol on the ground: the checklist the bureau asks for, position, time and media. */
export const gridPatrols = pgTable(
  'grid_patrols',
  {
    id: serial('id').primaryKey(),
    taskId: integer('task_id').references(() => gridTasks.id),
    cellCode: text('cell_code')
      .notNull()
      .references(() => gridCells.code),
    staffId: integer('staff_id').references(() => gridStaff.id),
    authorSubject: text('author_subject').notNull(),
    authorName: text('author_name'),
    patrolledAt: timestamp('patrolled_at', { withTimezone: true }).notNull(),
    longitude: doublePrecision('longitude').notNull(),
    latitude: doublePrecision('latitude').notNull(),
    targetUscc: text('target_uscc'),
    productionStatus: text('production_status').notNull(),
    dischargeStatus: text('discharge_status').notNull(),
    treatmentFacility: text('treatment_facility').notNull(),
    hazardousWaste: text('hazardous_waste').notNull(),
    findings: text('findings'),
    notes: text('notes'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('grid_patrols_cell_idx').on(t.cellCode, t.id),
    index('grid_patrols_task_idx').on(t.taskId),
    index('grid_patrols_staff_idx').on(t.staffId, t.patrolledAt),
    index('grid_patrols_time_idx').on(t.patrolledAt),
  ],
);

/**
 * Files once per SHA-256: the same photo uploaded twice is stored once. The bytes are in the media
 * store (chunk rows or files); `content` holds only files stored before the store existed.
 */
export const gridMediaBlobs = pgTable('grid_media_blobs', {
  sha256: text('sha256').primaryKey(),
  content: bytea('content'),
  size: integer('size').notNull(),
  contentType: text('content_type').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** One upload: who sent which blob, and the patrol it was attached to (none until then). */
export const gridMedia = pgTable(
  'grid_media',
  {
    id: text('id').primaryKey(),
    sha256: text('sha256')
      .notNull()
      .references(() => gridMediaBlobs.sha256),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    fileName: text('file_name'),
    uploadedBy: text('uploaded_by').notNull(),
    uploadedAt: timestamp('uploaded_at', { withTimezone: true }).notNull(),
    patrolId: integer('patrol_id').references(() => gridPatrols.id),
  },
  (t) => [
    index('grid_media_patrol_idx').on(t.patrolId),
    index('grid_media_uploader_idx').on(t.uploadedBy, t.uploadedAt),
    index('grid_media_sha_idx').on(t.sha256),
  ],
);

/**
 * The database media store: file contents in rows of at most 1 MiB, so neither a write nor a ranged
 * read ever holds a whole video. `object` is `blob:<sha256>` for a stored file or `upload:<id>` for
 * the bytes an unfinished upload has received; finishing an upload renames its rows.
 */
export const gridMediaChunks = pgTable(
  'grid_media_chunks',
  {
    object: text('object').notNull(),
    start: bigint('start', { mode: 'number' }).notNull(),
    content: bytea('content').notNull(),
  },
  (t) => [primaryKey({ columns: [t.object, t.start] })],
);

/** A resumable upload: declared up front, filled at offsets over as many requests as it takes. */
export const gridMediaUploads = pgTable(
  'grid_media_uploads',
  {
    id: text('id').primaryKey(),
    owner: text('owner').notNull(),
    /** the client's key for the creation: a retried create returns the same upload */
    idempotencyKey: text('idempotency_key'),
    size: bigint('size', { mode: 'number' }).notNull(),
    received: bigint('received', { mode: 'number' }).notNull().default(0),
    fileName: text('file_name'),
    /** the SHA-256 the client says the file has: checked when the upload completes */
    expectedSha256: text('expected_sha256'),
    /** the media record made when the upload completed */
    mediaId: text('media_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('grid_media_uploads_key_idx').on(t.owner, t.idempotencyKey), index('grid_media_uploads_owner_idx').on(t.owner, t.mediaId)],
);

/**
 * The thumbnail of a stored photo, made once per content on its first request: its bytes are a blob
 * of the media store under their own hash. A photo that could not be read keeps its `error`, so a
 * corrupt file or an image bomb is tried once, not on every list the app shows.
 */
export const gridMediaThumbnails = pgTable('grid_media_thumbnails', {
  sourceSha256: text('source_sha256')
    .primaryKey()
    .references(() => gridMediaBlobs.sha256),
  sha256: text('sha256'),
  contentType: text('content_type'),
  size: integer('size'),
  width: integer('width'),
  height: integer('height'),
  error: text('error'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});
