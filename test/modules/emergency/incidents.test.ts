import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestHub, type TestHub } from '../../support/hub';
import { data, result, standardGrid } from '../grid/support';
import { RESULT, act, report } from './support';

const HOUR = 3_600_000;

describe.each(ENGINES)('emergency incidents on %s', (engine) => {
  let th: TestHub;
  let admin: string;
  let district: string;
  let clock = Date.now();

  const resource = async (input: Record<string, unknown>): Promise<string> => {
    const response = await th.graphql(
      `mutation($input: EmergencyResourceInput!) { createEmergencyResource(input: $input) { ${RESULT} ... on MutationCreateEmergencyResourceSuccess { data { id } } } }`,
      { input },
      admin,
    );
    return data<{ id: string }>(response, 'createEmergencyResource').id;
  };

  beforeAll(async () => {
    th = await startTestHub({ engine, now: () => new Date(clock), env: { HUB_MODULES: 'grid,emergency' } });
    admin = await th.token({ roles: ['admin'], sub: 'admin-1', name: '管理员' }, 86_400);
    district = await th.token({ roles: ['district'], sub: 'district-1', name: '刘科长' }, 86_400);
    await standardGrid(th, admin).build();
  });
  afterAll(async () => th?.stop());

  it('proposes the level from the recorded criteria, and grades again on assessment', async () => {
    const incident = await report(th, district, {
      title: '化工厂泄漏',
      type: 'HAZARDOUS_CHEMICALS',
      cellCode: 'G01001001',
      criteria: { poisoned: 50, evacuated: 4_999 },
    });
    expect(incident).toMatchObject({
      level: 'II',
      warningColour: 'ORANGE',
      status: 'REPORTED',
      proposed: false,
      reporterSubject: 'district-1',
      reporterName: '刘科长',
      proposedLevel: { level: 'II', decidingCriteria: ['poisoned'] },
      responseLead: 'province',
      availableActions: ['VERIFY', 'CLOSE'],
    });
    const response = await th.graphql(
      `mutation($id: ID!) { assessEmergencyIncident(id: $id, input: { criteria: { deaths: 30, drinkingWaterIntakeCut: COUNTY }, note: "死亡人数上升" }) {
         ${RESULT} ... on MutationAssessEmergencyIncidentSuccess { data { level warningColour proposedLevel { level decidingCriteria reasons } criteria { deaths poisoned drinkingWaterIntakeCut } } } } }`,
      { id: incident.id },
      district,
    );
    expect(data(response, 'assessEmergencyIncident')).toEqual({
      level: 'I',
      warningColour: 'RED',
      proposedLevel: { level: 'I', decidingCriteria: ['deaths'], reasons: ['deaths 30 >= 30: level I'] },
      criteria: { deaths: 30, poisoned: null, drinkingWaterIntakeCut: 'COUNTY' },
    });
    const below = await report(th, district, { title: '轻微油污', cellCode: 'G01001001', criteria: { deaths: 2 } });
    expect([below.level, below.warningColour, below.responseLead, below.reportDeadline, below.upwardReportStatus]).toEqual([
      'IV',
      'BLUE',
      'district',
      null,
      'NOT_REQUIRED',
    ]);
    const invalid = await th.graphql(
      `mutation { reportEmergencyIncident(input: { title: "x", type: OTHER, cellCode: "G01001001", criteria: { deaths: -1 } }) { ${RESULT} } }`,
      {},
      district,
    );
    expect(result<{ __typename: string; problems: { path: string }[] }>(invalid, 'reportEmergencyIncident')).toMatchObject({
      __typename: 'ValidationError',
      problems: [{ path: 'criteria' }],
    });
  });

  it('moves through its life cycle, rejects invalid transitions, and keeps the timeline in order', async () => {
    const teamId = await resource({
      kind: 'TEAM',
      name: '甲街道应急队',
      quantity: 12,
      unit: '人',
      longitude: 104.2,
      latitude: 30.5,
      contactName: '周队长',
      contactPhone: '13800000009',
    });
    const planResponse = await th.graphql(
      `mutation { createEmergencyPlan(input: { name: "水污染预案", incidentType: WATER_POLLUTION, level: IV, steps: [{ title: "现场核实", ownerRole: "值班室" }, { title: "采样监测", ownerRole: "监测站" }] }) {
         ${RESULT} ... on MutationCreateEmergencyPlanSuccess { data { id steps { position title ownerRole } } } } }`,
      {},
      admin,
    );
    const plan = data<{ id: string; steps: unknown[] }>(planResponse, 'createEmergencyPlan');
    expect(plan.steps).toEqual([
      { position: 1, title: '现场核实', ownerRole: '值班室' },
      { position: 2, title: '采样监测', ownerRole: '监测站' },
    ]);
    const incident = await report(th, district, { title: '沟渠油污', longitude: 104.2, latitude: 30.5 });
    expect(incident.cellCode).toBe('G01001001');

    expect(await act(th, district, 'containEmergencyIncident', incident.id)).toMatchObject({
      __typename: 'ConflictError',
      message: 'a REPORTED incident cannot take CONTAIN',
    });
    expect((await act(th, district, 'verifyEmergencyIncident', incident.id)).data?.status).toBe('VERIFIED');
    expect(await act(th, district, 'verifyEmergencyIncident', incident.id)).toMatchObject({ __typename: 'ConflictError' });
    expect(await act(th, district, 'closeEmergencyIncident', incident.id)).toMatchObject({ __typename: 'ConflictError' });
    expect((await act(th, district, 'respondToEmergencyIncident', incident.id)).data?.availableActions).toEqual(['CONTAIN']);

    const activated = await th.graphql(
      `mutation($i: ID!, $p: ID!) { activateEmergencyPlan(incident: $i, plan: $p) { ${RESULT} ... on MutationActivateEmergencyPlanSuccess { data { actions { id title status ownerRole } } } } }`,
      { i: incident.id, p: plan.id },
      district,
    );
    const actions = data<{ actions: { id: string; title: string; status: string }[] }>(activated, 'activateEmergencyPlan').actions;
    expect(actions.map((a) => `${a.title} ${a.status}`)).toEqual(['现场核实 PENDING', '采样监测 PENDING']);
    const again = await th.graphql(
      `mutation($i: ID!, $p: ID!) { activateEmergencyPlan(incident: $i, plan: $p) { __typename } }`,
      { i: incident.id, p: plan.id },
      district,
    );
    expect(result(again, 'activateEmergencyPlan')).toEqual({ __typename: 'ConflictError' });
    const done = await th.graphql(
      `mutation($id: ID!) { completeEmergencyAction(id: $id, note: "已到场") { ${RESULT} ... on MutationCompleteEmergencyActionSuccess { data { status doneBy doneByName note } } } }`,
      { id: actions[0]?.id },
      district,
    );
    expect(data(done, 'completeEmergencyAction')).toEqual({ status: 'DONE', doneBy: 'district-1', doneByName: '刘科长', note: '已到场' });

    const dispatched = await th.graphql(
      `mutation($i: ID!, $r: ID!) { dispatchEmergencyResource(input: { incident: $i, resource: $r, instructions: "围堵" }) { ${RESULT} ... on MutationDispatchEmergencyResourceSuccess { data { id quantity resource { available } } } } }`,
      { i: incident.id, r: teamId },
      district,
    );
    const order = data<{ id: string; quantity: number; resource: { available: boolean } }>(dispatched, 'dispatchEmergencyResource');
    expect([order.quantity, order.resource.available]).toEqual([12, false]);
    const busy = await th.graphql(
      `mutation($i: ID!, $r: ID!) { dispatchEmergencyResource(input: { incident: $i, resource: $r }) { __typename } }`,
      { i: incident.id, r: teamId },
      district,
    );
    expect(result(busy, 'dispatchEmergencyResource')).toEqual({ __typename: 'ConflictError' });
    const early = await th.graphql(`mutation($id: ID!) { recordEmergencyOrderArrival(id: $id) { __typename } }`, { id: order.id }, district);
    expect(result(early, 'recordEmergencyOrderArrival')).toEqual({ __typename: 'ConflictError' });
    for (const field of ['acknowledgeEmergencyOrder', 'recordEmergencyOrderArrival']) {
      const response = await th.graphql(`mutation($id: ID!) { ${field}(id: $id) { __typename } }`, { id: order.id }, district);
      expect(result<{ __typename: string }>(response, field).__typename).toMatch(/Success$/);
    }
    const note = await th.graphql(
      `mutation($id: ID!) { addEmergencyIncidentNote(id: $id, text: "下游断面已达标") { __typename } }`,
      { id: incident.id },
      await th.token({ roles: ['assistant'], sub: 'asst-a1' }),
    );
    expect(result(note, 'addEmergencyIncidentNote')).toEqual({ __typename: 'MutationAddEmergencyIncidentNoteSuccess' });
    expect((await act(th, district, 'containEmergencyIncident', incident.id)).data?.status).toBe('CONTAINED');
    expect((await act(th, district, 'closeEmergencyIncident', incident.id)).data?.status).toBe('CLOSED');
    expect(await act(th, district, 'verifyEmergencyIncident', incident.id)).toMatchObject({ __typename: 'ConflictError' });

    const view = await th.graphql(
      `query($id: ID!) { emergencyIncident(id: $id) { status timeline { kind actor } orders { acknowledgedAt arrivedAt resource { available } } } }`,
      { id: incident.id },
      district,
    );
    const seen = result<{
      timeline: { kind: string; actor: string }[];
      orders: { acknowledgedAt: string | null; arrivedAt: string | null; resource: { available: boolean } }[];
    }>(view, 'emergencyIncident');
    expect(seen.timeline.map((e) => `${e.kind} ${e.actor}`)).toEqual([
      'REPORTED district-1',
      'STATUS_CHANGED district-1',
      'STATUS_CHANGED district-1',
      'PLAN_ACTIVATED district-1',
      'ACTION_DONE district-1',
      'ORDER_ISSUED district-1',
      'ORDER_ACKNOWLEDGED district-1',
      'ORDER_ARRIVED district-1',
      'NOTE asst-a1',
      'STATUS_CHANGED district-1',
      'STATUS_CHANGED district-1',
    ]);
    expect(seen.orders).toHaveLength(1);
    expect(seen.orders[0]?.acknowledgedAt).not.toBeNull();
    expect(seen.orders[0]?.arrivedAt).not.toBeNull();
    // the team is free again once the incident is closed
    expect(seen.orders[0]?.resource.available).toBe(true);
  });

  it('dismisses a report as a false alarm only with a reason', async () => {
    const incident = await report(th, district, { title: '疑似异味', type: 'AIR_POLLUTION', cellCode: 'G01002001' });
    const bare = await act(th, district, 'closeEmergencyIncident', incident.id);
    expect(bare).toMatchObject({ __typename: 'ValidationError' });
    expect((await act(th, district, 'closeEmergencyIncident', incident.id, ', note: "核实为正常生产气味"')).data?.status).toBe('CLOSED');
  });

  it('shows the upward-reporting deadline of a level II incident and whether it was met', async () => {
    const start = clock;
    const met = await report(th, district, { title: '水源地污染', cellCode: 'G01001002', criteria: { drinkingWaterIntakeCut: 'COUNTY' } });
    expect(met.level).toBe('II');
    expect(new Date(met.reportDeadline ?? '').getTime()).toBe(start + 2 * HOUR);
    expect([met.upwardReportStatus, met.reportDeadlineMet]).toEqual(['PENDING', null]);
    const missed = await report(th, district, { title: '跨省污染', cellCode: 'G01001002', criteria: { crossBoundary: 'PROVINCE' } });

    clock = start + 90 * 60_000;
    const reported = await act(th, district, 'reportEmergencyIncidentUpward', met.id, ', note: "已电话报市局"');
    expect(reported.data).toMatchObject({ upwardReportStatus: 'MET', reportDeadlineMet: true, reportedUpwardAt: new Date(clock).toISOString() });
    expect(await act(th, district, 'reportEmergencyIncidentUpward', met.id)).toMatchObject({ __typename: 'ConflictError', message: 'already reported upward' });

    clock = start + 2 * HOUR + 60_000;
    const overdue = await th.graphql(`query($id: ID!) { emergencyIncident(id: $id) { upwardReportStatus reportDeadlineMet } }`, { id: missed.id }, district);
    expect(result(overdue, 'emergencyIncident')).toEqual({ upwardReportStatus: 'MISSED', reportDeadlineMet: false });
    const late = await act(th, district, 'reportEmergencyIncidentUpward', missed.id);
    expect(late.data).toMatchObject({ upwardReportStatus: 'MISSED', reportDeadlineMet: false });
  });
});
