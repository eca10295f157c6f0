import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type EngineName, type TestHub } from '../../support/hub';
import { MATRIX_ROLES, type MatrixRole } from './fixture';
import { rolesReaching, rootFields, type RootKind } from './outcomes';

/*
 * Who may call what: every root field of the schema with the roles that get through its gate.
 * The field list comes from the schema, so a field added without an entry here fails the test.
 * README's "What each role may do" says the same in words.
 */
const EVERYONE = MATRIX_ROLES;
/** node(id): any token; what it returns is each type's own scope (node-matrix.test.ts) */
const ANY_TOKEN = ['admin', 'district', 'town', 'assistant', 'enterprise', 'device', 'upstream'] as const;
/** monitoring and pollution-source data, each in its row scope */
const READERS = ['admin', 'district', 'town', 'assistant', 'enterprise', 'upstream'] as const;
const STAFF_AND_UPSTREAM = ['admin', 'district', 'town', 'assistant', 'upstream'] as const;
const STAFF_AND_ENTERPRISE = ['admin', 'district', 'town', 'assistant', 'enterprise'] as const;
const OFFICERS_AND_UPSTREAM = ['admin', 'district', 'town', 'upstream'] as const;
/** bureau and town staff and grid assistants */
const STAFF = ['admin', 'district', 'town', 'assistant'] as const;
const OFFICERS = ['admin', 'district', 'town'] as const;
/** the district bureau keeps the files */
const BUREAU = ['admin', 'district'] as const;
const ADMIN = ['admin'] as const;
/** data loggers and the video platform (and an administrator) */
const DEVICES = ['admin', 'device'] as const;
/** people with an outbox of notifications: staff and enterprises */
const NOTIFIED = ['admin', 'district', 'town', 'assistant', 'enterprise'] as const;
/** any signed-in person or system: what each may export is its own row scope */
const SIGNED_IN = ANY_TOKEN;

const MATRIX: Record<RootKind, Record<string, readonly MatrixRole[]>> = {
  query: {
    airEpisodes: STAFF_AND_UPSTREAM,
    airQuality: STAFF_AND_UPSTREAM,
    airStation: STAFF_AND_UPSTREAM,
    airStationRanking: STAFF_AND_UPSTREAM,
    airStations: STAFF_AND_UPSTREAM,
    cameras: STAFF_AND_ENTERPRISE,
    classifyWater: EVERYONE,
    commandView: STAFF,
    complianceSummary: OFFICERS_AND_UPSTREAM,
    computeAqi: EVERYONE,
    decodeHj212: ADMIN,
    dutyMap: STAFF,
    dutySummary: STAFF,
    emergencyIncident: STAFF,
    emergencyIncidents: STAFF,
    emergencyPlans: STAFF,
    emergencyResources: STAFF,
    enforcementCases: READERS,
    enterprise: READERS,
    enterprises: READERS,
    exceedances: READERS,
    exportJob: SIGNED_IN,
    exportJobs: SIGNED_IN,
    exportKinds: SIGNED_IN,
    factors: READERS,
    forecastBacktest: ADMIN,
    gridAssessment: STAFF,
    gridCell: EVERYONE,
    gridCells: EVERYONE,
    gridCoverage: OFFICERS,
    gridGeoJson: EVERYONE,
    gridMe: STAFF,
    gridPatrols: STAFF,
    gridStaff: STAFF,
    gridTask: STAFF,
    gridTasks: STAFF,
    hj212ForwardTargets: ADMIN,
    hj212GatewayStats: ADMIN,
    hub: EVERYONE,
    inspections: READERS,
    latestAirQuality: STAFF_AND_UPSTREAM,
    latestReadings: READERS,
    locateGridCell: EVERYONE,
    monitor: READERS,
    monitors: READERS,
    myInbox: STAFF,
    myNotifications: NOTIFIED,
    node: ANY_TOKEN,
    notificationDeadLetters: ADMIN,
    oaDocument: STAFF,
    oaDocuments: STAFF,
    oaNotice: STAFF,
    oaNotices: STAFF,
    oaPeople: STAFF,
    oaPerson: STAFF,
    oaSupervisedTask: STAFF,
    oaSupervisedTasks: STAFF,
    oaWorkflowDefinition: STAFF,
    oaWorkflowDefinitions: STAFF,
    oaWorkflowInstance: STAFF,
    oaWorkflowInstances: STAFF,
    outletCompliance: READERS,
    publicAirQuality: EVERYONE,
    publicAirQualityHistory: EVERYONE,
    publicEnforcementDecisions: EVERYONE,
    publicEnterpriseDisclosure: EVERYONE,
    publicEnterprises: EVERYONE,
    publicWaterQuality: EVERYONE,
    readings: READERS,
    waterEpisodes: STAFF_AND_UPSTREAM,
    waterQuality: STAFF_AND_UPSTREAM,
    waterSources: STAFF_AND_UPSTREAM,
    waterStation: STAFF_AND_UPSTREAM,
  },
  mutation: {
    acceptGridTask: STAFF,
    acknowledgeEmergencyOrder: OFFICERS,
    acknowledgeExceedance: STAFF,
    activateEmergencyPlan: OFFICERS,
    addEmergencyIncidentNote: STAFF,
    addEnterpriseDocument: BUREAU,
    approveOaWorkflow: STAFF,
    archiveOaDocument: STAFF,
    assessEmergencyIncident: OFFICERS,
    assignGridAssistant: OFFICERS,
    attachSnapshot: STAFF,
    cancelExport: SIGNED_IN,
    closeEmergencyIncident: OFFICERS,
    closeEnforcementCase: BUREAU,
    commentOaWorkflow: STAFF,
    completeEmergencyAction: OFFICERS,
    completeOaSupervisedTask: STAFF,
    containEmergencyIncident: OFFICERS,
    createAirStation: ADMIN,
    createCamera: ADMIN,
    createEmergencyPlan: BUREAU,
    createEmergencyResource: BUREAU,
    createEnterprise: BUREAU,
    createFacility: BUREAU,
    createGridStaff: BUREAU,
    createMonitor: ADMIN,
    createOaDocument: STAFF,
    createOaSupervisedTask: BUREAU,
    createOutlet: BUREAU,
    createPermit: BUREAU,
    createRiskSource: BUREAU,
    createVideoSite: ADMIN,
    createWaterSampler: BUREAU,
    createWaterSource: ADMIN,
    createWaterStation: ADMIN,
    decideEnforcementCase: BUREAU,
    dispatchEmergencyResource: OFFICERS,
    dispatchGridTask: OFFICERS,
    endGridAssignment: OFFICERS,
    forwardOaWorkflow: STAFF,
    ingestReadings: DEVICES,
    linkToEmergencyIncident: OFFICERS,
    markNoticeRead: STAFF,
    markNotificationsRead: NOTIFIED,
    openEnforcementCase: BUREAU,
    publishEnforcementDecision: BUREAU,
    publishOaNotice: OFFICERS,
    reassignGridTask: OFFICERS,
    recordEmergencyOrderArrival: OFFICERS,
    recordGridPatrol: STAFF,
    recordHazardousWaste: BUREAU,
    recordInspection: STAFF,
    rejectOaWorkflow: STAFF,
    reportCameraStatus: DEVICES,
    reportEmergencyIncident: STAFF,
    reportEmergencyIncidentUpward: OFFICERS,
    reportOaSupervisedTaskProgress: STAFF,
    resendSampleRetention: BUREAU,
    respondToEmergencyIncident: OFFICERS,
    retryNotificationDelivery: ADMIN,
    returnGridTask: STAFF,
    returnOaWorkflow: STAFF,
    saveOaWorkflowDefinition: ADMIN,
    sendHj212Command: ADMIN,
    setCameraPlayUrl: DEVICES,
    setGridCellOfficers: BUREAU,
    setLimit: ADMIN,
    setPermitLimit: BUREAU,
    setWaterSamplerDevice: BUREAU,
    startGridTask: STAFF,
    startOaWorkflow: STAFF,
    submitGridTask: STAFF,
    updateEmergencyResource: BUREAU,
    updateEnterprise: BUREAU,
    updateGridStaff: BUREAU,
    updateMonitor: ADMIN,
    upsertGridCell: BUREAU,
    upsertOaPerson: ADMIN,
    verifyEmergencyIncident: OFFICERS,
    verifyGridTask: STAFF,
  },
  subscription: {
    airEpisodeEvents: STAFF_AND_UPSTREAM,
    cameraStatusEvents: STAFF,
    exceedanceEvents: READERS,
    gridTaskEvents: STAFF,
    incidentUpdates: STAFF,
    monitorStatus: READERS,
    myInboxChanged: STAFF,
    myNotificationAdded: NOTIFIED,
    taskAssigned: STAFF,
    waterEpisodeEvents: STAFF_AND_UPSTREAM,
  },
};

// The gate is the schema's, decided before any statement runs, so one engine shows it; what each
// role then reads, row by row, is checked on both engines by node-matrix.test.ts.
describe.each(['pglite'] as EngineName[])('who may call each root field (%s)', (engine) => {
  let th: TestHub;
  let tokens: Record<MatrixRole, string | undefined>;

  beforeAll(async () => {
    th = await startTestHub({ engine });
    tokens = {
      admin: await th.token({ roles: ['admin'], sub: 'matrix-admin' }),
      district: await th.token({ roles: ['district'], sub: 'district-officer-01' }),
      town: await th.token({ roles: ['town'], sub: 'town-officer-01', cells: ['51011201001'] }),
      assistant: await th.token({ roles: ['assistant'], sub: 'assistant-001', cells: ['51011201001001'] }),
      enterprise: await th.token({ roles: ['enterprise'], sub: 'ent-1', enterprise: '91510112MA6CAAAAA1' }),
      device: await th.token({ roles: ['device'], sub: 'logger-1', mns: ['SRC5101120001W'], cameras: ['VS-E001-C1'] }),
      upstream: await th.token({ roles: ['upstream'], sub: 'province-platform' }),
      public: undefined,
    };
  });
  afterAll(() => th?.stop());

  it.each(['query', 'mutation', 'subscription'] as const)(
    '%s: every field has an entry, and exactly its roles get through',
    { timeout: 300_000 },
    async (kind) => {
      const fields = rootFields(th.hub.schema, kind).map((field) => field.name);
      expect(Object.keys(MATRIX[kind]).sort()).toEqual([...fields].sort());
      const reached = await rolesReaching(th, tokens, kind);
      const wrong = fields.filter((field) => JSON.stringify(reached[field]) !== JSON.stringify([...(MATRIX[kind][field] ?? [])]));
      expect(wrong.map((field) => `${field}: expected ${(MATRIX[kind][field] ?? []).join(', ')}; got ${reached[field]?.join(', ')}`)).toEqual([]);
    },
  );
});
