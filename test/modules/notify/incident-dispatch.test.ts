import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestHub, type TestHub } from '../../support/hub';
import { until } from '../../support/webhook';
import { data, result, standardGrid } from '../grid/support';
import { RESULT, report } from '../emergency/support';

interface Notified {
  kind: string;
  title: string;
  body: string;
  subjectType: string;
  subjectId: string;
}

describe.each(ENGINES)('incident dispatch notifications on %s', (engine) => {
  let th: TestHub;
  let admin = '';
  let district = '';
  const leaderToken = { value: '' };

  const dispatchedNotifications = async (token: string): Promise<Notified[]> => {
    const response = await th.graphql<{ myNotifications: { edges: { node: Notified }[] } }>(
      `{ myNotifications(first: 50) { edges { node { kind title body subjectType subjectId } } } }`,
      {},
      token,
    );
    expect(response.body.errors).toBeUndefined();
    return (response.body.data?.myNotifications.edges ?? []).map((e) => e.node).filter((n) => n.kind === 'INCIDENT_DISPATCHED');
  };

  const resource = async (name: string): Promise<string> => {
    const response = await th.graphql(
      `mutation($input: EmergencyResourceInput!) { createEmergencyResource(input: $input) { ${RESULT} ... on MutationCreateEmergencyResourceSuccess { data { id } } } }`,
      { input: { kind: 'TEAM', name, quantity: 8, unit: '人', longitude: 104.2, latitude: 30.5, contactName: '周队长', contactPhone: '13800000009' } },
      admin,
    );
    return data<{ id: string }>(response, 'createEmergencyResource').id;
  };

  beforeAll(async () => {
    th = await startTestHub({ engine, env: { HUB_MODULES: 'grid,emergency,notify' } });
    admin = await th.token({ roles: ['admin'], sub: 'admin-1' });
    district = await th.token({ roles: ['district'], sub: 'district-1', name: '刘科长' });
    leaderToken.value = await th.token({ roles: ['town'], sub: 'team-leader-1', cells: ['G01001'] });
    await standardGrid(th, admin).build();
  });
  afterAll(async () => th?.stop());

  it('tells the people an order names, with the incident as its subject, and not the commander', async () => {
    const incident = await report(th, district, { title: '沟渠油污', longitude: 104.2, latitude: 30.5 });
    const team = await resource('甲街道应急队');
    const dispatched = await th.graphql(
      `mutation($i: ID!, $r: ID!) { dispatchEmergencyResource(input: { incident: $i, resource: $r, instructions: "围堵油污", notify: ["team-leader-1", "district-1"] }) { ${RESULT} ... on MutationDispatchEmergencyResourceSuccess { data { id } } } }`,
      { i: incident.id, r: team },
      district,
    );
    expect(data<{ id: string }>(dispatched, 'dispatchEmergencyResource').id).toBeTruthy();
    await until(async () => (await dispatchedNotifications(leaderToken.value)).length === 1, 'the team leader is told');
    const [told] = await dispatchedNotifications(leaderToken.value);
    expect(told).toEqual({
      kind: 'INCIDENT_DISPATCHED',
      title: '应急调派：沟渠油污',
      body: '调派 甲街道应急队 8人：围堵油污',
      subjectType: 'EmergencyIncident',
      subjectId: expect.any(String),
    });
    expect(await dispatchedNotifications(district)).toEqual([]);
  });

  it('refuses an order naming too many people, and tells nobody of an order that names none', async () => {
    const incident = await report(th, district, { title: '河面泡沫', longitude: 104.2, latitude: 30.5 });
    const team = await resource('乙街道应急队');
    const tooMany = await th.graphql(
      `mutation($i: ID!, $r: ID!, $n: [String!]) { dispatchEmergencyResource(input: { incident: $i, resource: $r, notify: $n }) { __typename ... on ValidationError { problems { path } } } }`,
      { i: incident.id, r: team, n: Array.from({ length: 21 }, (_v, k) => `person-${k}`) },
      district,
    );
    expect(result(tooMany, 'dispatchEmergencyResource')).toEqual({ __typename: 'ValidationError', problems: [{ path: 'input.notify' }] });
    const silent = await th.graphql(
      `mutation($i: ID!, $r: ID!) { dispatchEmergencyResource(input: { incident: $i, resource: $r }) { __typename } }`,
      { i: incident.id, r: team },
      district,
    );
    expect(result(silent, 'dispatchEmergencyResource')).toEqual({ __typename: 'MutationDispatchEmergencyResourceSuccess' });
    // the first order's notification is still the only one
    expect(await dispatchedNotifications(leaderToken.value)).toHaveLength(1);
  });
});
