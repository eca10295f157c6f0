import { boolean, doublePrecision, index, integer, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * One file per enterprise (一企一档), keyed nationally by its USCC. `cellCode` is the level-3 grid
 * cell; null for records imported before anyone placed them, which the coverage report lists.
 */
export const sourceEnterprises = pgTable(
  'source_enterprises',
  {
    id: serial('id').primaryKey(),
    uscc: text('uscc').notNull(),
    name: text('name').notNull(),
    industry: text('industry').notNull(),
    address: text('address'),
    longitude: doublePrecision('longitude'),
    latitude: doublePrecision('latitude'),
    cellCode: text('cell_code'),
    controlLevel: text('control_level').notNull(),
    status: text('status').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('source_enterprises_uscc_key').on(t.uscc),
    index('source_enterprises_cell_idx').on(t.cellCode),
    index('source_enterprises_level_idx').on(t.controlLevel),
  ],
);

/** A pollutant discharge permit (排污许可证). */
export const sourcePermits = pgTable(
  'source_permits',
  {
    id: serial('id').primaryKey(),
    enterpriseId: integer('enterprise_id')
      .notNull()
      .references(() => sourceEnterprises.id, { onDelete: 'cascade' }),
    number: text('number').notNull(),
    validFrom: timestamp('valid_from', { withTimezone: true }).notNull(),
    validTo: timestamp('valid_to', { withTimezone: true }).notNull(),
    issuedBy: text('issued_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('source_permits_number_key').on(t.number), index('source_permits_enterprise_idx').on(t.enterpriseId)],
);

/** A discharge outlet (排放口): wastewater (HJ 212 ST 32) or flue gas (ST 31). */
export const sourceOutlets = pgTable(
  'source_outlets',
  {
    id: serial('id').primaryKey(),
    enterpriseId: integer('enterprise_id')
      .notNull()
      .references(() => sourceEnterprises.id, { onDelete: 'cascade' }),
    code: text('code').notNull(),
    name: text('name').notNull(),
    kind: text('kind').notNull(),
    longitude: doublePrecision('longitude'),
    latitude: doublePrecision('latitude'),
    /** flue gas: the standard's reference O2 (%) its limits are converted to */
    referenceO2: doublePrecision('reference_o2'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('source_outlets_code_key').on(t.enterpriseId, t.code), index('source_outlets_enterprise_idx').on(t.enterpriseId)],
);

/** The monitoring core's monitors at an outlet, so an outlet's devices load in one statement. */
export const sourceOutletMonitors = pgTable(
  'source_outlet_monitors',
  {
    id: serial('id').primaryKey(),
    outletId: integer('outlet_id')
      .notNull()
      .references(() => sourceOutlets.id, { onDelete: 'cascade' }),
    monitorId: integer('monitor_id').notNull(),
    mn: text('mn').notNull(),
    kind: text('kind').notNull(),
  },
  (t) => [uniqueIndex('source_outlet_monitors_monitor_key').on(t.monitorId), index('source_outlet_monitors_outlet_idx').on(t.outletId)],
);

/**
 * A permitted limit of one factor at one outlet, from `validFrom` on. The monitoring core keeps
 * the limits its evaluation uses (with their own history); this is the permit's side of it.
 */
export const sourcePermitLimits = pgTable(
  'source_permit_limits',
  {
    id: serial('id').primaryKey(),
    permitId: integer('permit_id')
      .notNull()
      .references(() => sourcePermits.id, { onDelete: 'cascade' }),
    outletId: integer('outlet_id')
      .notNull()
      .references(() => sourceOutlets.id, { onDelete: 'cascade' }),
    factor: text('factor').notNull(),
    upper: doublePrecision('upper'),
    lower: doublePrecision('lower'),
    unit: text('unit').notNull(),
    basis: text('basis').notNull(),
    standard: text('standard'),
    validFrom: timestamp('valid_from', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('source_permit_limits_key').on(t.outletId, t.factor, t.validFrom), index('source_permit_limits_permit_idx').on(t.permitId)],
);

/** A treatment facility; its run status comes from the HJ 212 2021 reports of `monitorId`. */
export const sourceFacilities = pgTable(
  'source_facilities',
  {
    id: serial('id').primaryKey(),
    enterpriseId: integer('enterprise_id')
      .notNull()
      .references(() => sourceEnterprises.id, { onDelete: 'cascade' }),
    outletId: integer('outlet_id').references(() => sourceOutlets.id, { onDelete: 'set null' }),
    name: text('name').notNull(),
    process: text('process'),
    monitorId: integer('monitor_id'),
    /** the facility's id in the 2021 report: `SB1` for `SB1-RS` */
    deviceCode: text('device_code'),
  },
  (t) => [index('source_facilities_enterprise_idx').on(t.enterpriseId)],
);

/** Hazardous waste produced and handed over (危险废物), by National Hazardous Waste List code. */
export const sourceHazardousWaste = pgTable(
  'source_hazardous_waste',
  {
    id: serial('id').primaryKey(),
    enterpriseId: integer('enterprise_id')
      .notNull()
      .references(() => sourceEnterprises.id, { onDelete: 'cascade' }),
    wasteCode: text('waste_code').notNull(),
    name: text('name').notNull(),
    quantityTonnes: doublePrecision('quantity_tonnes').notNull(),
    disposer: text('disposer'),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('source_hazardous_waste_enterprise_idx').on(t.enterpriseId, t.recordedAt)],
);

/** Environmental risk sources (环境风险源): what could cause an incident, and how bad. */
export const sourceRiskSources = pgTable(
  'source_risk_sources',
  {
    id: serial('id').primaryKey(),
    enterpriseId: integer('enterprise_id')
      .notNull()
      .references(() => sourceEnterprises.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    substance: text('substance').notNull(),
    quantityTonnes: doublePrecision('quantity_tonnes'),
    riskLevel: text('risk_level').notNull(),
  },
  (t) => [index('source_risk_sources_enterprise_idx').on(t.enterpriseId)],
);

/** Documents of the file (EIA approval, acceptance, emergency plan): metadata and where to get it. */
export const sourceDocuments = pgTable(
  'source_documents',
  {
    id: serial('id').primaryKey(),
    enterpriseId: integer('enterprise_id')
      .notNull()
      .references(() => sourceEnterprises.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    kind: text('kind').notNull(),
    mediaId: text('media_id'),
    url: text('url'),
    issuedAt: timestamp('issued_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('source_documents_enterprise_idx').on(t.enterpriseId)],
);

/** An on-site inspection; `patrolId` names the grid patrol it was recorded from, if any. */
export const sourceInspections = pgTable(
  'source_inspections',
  {
    id: serial('id').primaryKey(),
    enterpriseId: integer('enterprise_id')
      .notNull()
      .references(() => sourceEnterprises.id, { onDelete: 'cascade' }),
    inspectedAt: timestamp('inspected_at', { withTimezone: true }).notNull(),
    inspector: text('inspector').notNull(),
    patrolId: integer('patrol_id'),
    result: text('result').notNull(),
    findings: text('findings'),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('source_inspections_enterprise_idx').on(t.enterpriseId, t.inspectedAt), uniqueIndex('source_inspections_patrol_key').on(t.patrolId)],
);

/** An enforcement case (行政处罚案件): findings, decision, penalty; published decisions are public. */
export const sourceCases = pgTable(
  'source_cases',
  {
    id: serial('id').primaryKey(),
    enterpriseId: integer('enterprise_id')
      .notNull()
      .references(() => sourceEnterprises.id, { onDelete: 'cascade' }),
    inspectionId: integer('inspection_id').references(() => sourceInspections.id, { onDelete: 'set null' }),
    caseNumber: text('case_number').notNull(),
    findings: text('findings').notNull(),
    decision: text('decision'),
    penaltyYuan: doublePrecision('penalty_yuan'),
    status: text('status').notNull(),
    published: boolean('published').notNull().default(false),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull(),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    publishedAt: timestamp('published_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('source_cases_number_key').on(t.caseNumber),
    index('source_cases_enterprise_idx').on(t.enterpriseId),
    index('source_cases_published_idx').on(t.published, t.decidedAt),
  ],
);

/** A video site: an enterprise, a district key area or a drinking-water source. */
export const sourceVideoSites = pgTable(
  'source_video_sites',
  {
    id: serial('id').primaryKey(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    kind: text('kind').notNull(),
    enterpriseId: integer('enterprise_id').references(() => sourceEnterprises.id, { onDelete: 'set null' }),
    longitude: doublePrecision('longitude').notNull(),
    latitude: doublePrecision('latitude').notNull(),
    cellCode: text('cell_code'),
  },
  (t) => [uniqueIndex('source_video_sites_code_key').on(t.code), index('source_video_sites_enterprise_idx').on(t.enterpriseId)],
);

/** A camera; the video platform reports its status, the stream address is for staff only. */
export const sourceCameras = pgTable(
  'source_cameras',
  {
    id: serial('id').primaryKey(),
    code: text('code').notNull(),
    siteId: integer('site_id')
      .notNull()
      .references(() => sourceVideoSites.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    streamUrl: text('stream_url').notNull(),
    /** an address a browser can play (HLS, HTTP-FLV, WebRTC) when the video platform gives one */
    playUrl: text('play_url'),
    status: text('status').notNull(),
    statusChangedAt: timestamp('status_changed_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('source_cameras_code_key').on(t.code), index('source_cameras_site_idx').on(t.siteId)],
);

/** A camera snapshot kept as evidence of an exceedance, a patrol or a case. */
export const sourceSnapshots = pgTable(
  'source_snapshots',
  {
    id: serial('id').primaryKey(),
    cameraId: integer('camera_id')
      .notNull()
      .references(() => sourceCameras.id, { onDelete: 'cascade' }),
    targetKind: text('target_kind').notNull(),
    targetId: integer('target_id').notNull(),
    mediaId: text('media_id'),
    url: text('url'),
    takenAt: timestamp('taken_at', { withTimezone: true }).notNull(),
    attachedBy: text('attached_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('source_snapshots_target_idx').on(t.targetKind, t.targetId), index('source_snapshots_camera_idx').on(t.cameraId)],
);

/** An automatic water sampler (留样器) at an enterprise's wastewater outlet. */
export const sourceSamplers = pgTable(
  'source_samplers',
  {
    id: serial('id').primaryKey(),
    enterpriseId: integer('enterprise_id')
      .notNull()
      .references(() => sourceEnterprises.id, { onDelete: 'cascade' }),
    outletId: integer('outlet_id')
      .notNull()
      .references(() => sourceOutlets.id, { onDelete: 'cascade' }),
    code: text('code').notNull(),
    bottles: integer('bottles').notNull(),
    /** MN of the HJ 212 data logger that drives the sampler (3015); null: not connected */
    deviceMn: text('device_mn'),
  },
  (t) => [uniqueIndex('source_samplers_code_key').on(t.code), uniqueIndex('source_samplers_outlet_key').on(t.outletId)],
);

/**
 * A sample retained for an exceedance episode: one per episode, whatever the redeliveries. The
 * command columns record the last 3015 sent to the sampler's logger for it; `commandAttempt`
 * numbers the sends so an answer to an older one never overwrites a newer one's.
 */
export const sourceSamplerRetentions = pgTable(
  'source_sampler_retentions',
  {
    id: serial('id').primaryKey(),
    samplerId: integer('sampler_id')
      .notNull()
      .references(() => sourceSamplers.id, { onDelete: 'cascade' }),
    exceedanceId: integer('exceedance_id').notNull(),
    bottleNumber: integer('bottle_number').notNull(),
    retainedAt: timestamp('retained_at', { withTimezone: true }).notNull(),
    factor: text('factor').notNull(),
    value: doublePrecision('value'),
    commandStatus: text('command_status').notNull().default('NOT_SENT'),
    commandAttempt: integer('command_attempt').notNull().default(0),
    commandMn: text('command_mn'),
    commandQn: text('command_qn'),
    qnRtn: integer('qn_rtn'),
    exeRtn: integer('exe_rtn'),
    deviceBottle: integer('device_bottle'),
    commandSentAt: timestamp('command_sent_at', { withTimezone: true }),
    commandAnsweredAt: timestamp('command_answered_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('source_sampler_retentions_episode_key').on(t.exceedanceId), index('source_sampler_retentions_sampler_idx').on(t.samplerId)],
);
