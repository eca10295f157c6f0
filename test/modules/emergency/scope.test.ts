import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestHub, type TestHub } from '../../support/hub';
import { collect, connectWs } from '../../support/ws';
import { result, standardGrid } from '../grid/support';
import { RESULT, act, report } from './support';

const LIST = `{ emergencyIncidents(first: 100) { edges { node { title } } } }`;

describe.each(ENGINES)('who may see and change incidents on %s', (engine) => {
  let th: TestHub;
  const tokens = {} as Record<'admin' | 'district' | 'townA' | 'townB' | 'a1' | 'enterprise', string>;
  const ids: Record<string, string> = {};
  const id = (key: string): string => ids[key] as string;

  const titles = async (token: string | undefined): Promise<string[] | string> => {
    const response = await th.graphql(LIST, {}, token);
    if (response.body.errors) return String(response.body.errors[0]?.extensions?.code);
    return result<{ edges: { node: { title: string } }[] }>(response, 'emergencyIncidents')
      .edges.map((e) => e.node.title)
      .sort();
  };

  beforeAll(async () => {
    th = await startTestHub({ engine, env: { HUB_MODULES: 'grid,emergency' } });
    tokens.admin = await th.token({ roles: ['admin'], sub: 'admin-1' });
    tokens.district = await th.token({ roles: ['district'], sub: 'district-1' });
    tokens.townA = await th.token({ roles: ['town'], sub: 'town-a', cells: ['G01001'] });
    tokens.townB = await th.token({ roles: ['town'], sub: 'town-b', cells: ['G01002'] });
    tokens.a1 = await th.token({ roles: ['assistant'], sub: 'asst-a1', name: '张伟' });
    tokens.enterprise = await th.token({ roles: ['enterprise'], sub: 'ent-1', enterprise: '91510112MA61XXXX0A' });
    await standardGrid(th, tokens.admin).build();
    ids.a1 = (await report(th, tokens.district, { title: 'A-甲一村', cellCode: 'G01001001' })).id;
    ids.a2 = (await report(th, tokens.district, { title: 'A-甲二村', cellCode: 'G01001002' })).id;
    ids.b1 = (await report(th, tokens.district, { title: 'B-乙一村', cellCode: 'G01002001' })).id;
    ids.none = (await report(th, tokens.admin, { title: 'Z-无网格' })).id;
  });
  afterAll(async () => th?.stop());

  it('lets staff read, town officers and assistants only in their cells, and no one else', async () => {
    expect(await titles(tokens.district)).toEqual(['A-甲一村', 'A-甲二村', 'B-乙一村', 'Z-无网格']);
    expect(await titles(tokens.townA)).toEqual(['A-甲一村', 'A-甲二村']);
    expect(await titles(tokens.townB)).toEqual(['B-乙一村']);
    // the assistant's cell comes from their grid assignment
    expect(await titles(tokens.a1)).toEqual(['A-甲一村']);
    expect(await titles(tokens.enterprise)).toBe('FORBIDDEN');
    expect(await titles(undefined)).toBe('UNAUTHENTICATED');
    const single = await th.graphql(`query($id: ID!) { emergencyIncident(id: $id) { title } }`, { id: id('b1') }, tokens.townA);
    expect(result(single, 'emergencyIncident')).toBeNull();
    const plans = await th.graphql(`{ emergencyPlans { edges { node { name } } } }`, {}, tokens.enterprise);
    expect(plans.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('lets any staff member report, town officers and assistants only in their own cells', async () => {
    const own = await report(th, tokens.a1, { title: '巡查发现油污', cellCode: 'G01001001' });
    expect([own.reporterSubject, own.reporterName, own.cellCode]).toEqual(['asst-a1', '张伟', 'G01001001']);
    const outside = await th.graphql(
      `mutation { reportEmergencyIncident(input: { title: "越界", type: OTHER, cellCode: "G01002001" }) { ${RESULT} } }`,
      {},
      tokens.a1,
    );
    expect(result(outside, 'reportEmergencyIncident')).toEqual({ __typename: 'ForbiddenError', message: 'this cell is outside your grid' });
    const enterprise = await th.graphql(`mutation { reportEmergencyIncident(input: { title: "x", type: OTHER }) { __typename } }`, {}, tokens.enterprise);
    expect(enterprise.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('lets the district command anywhere, a town only in its cells, and an assistant nowhere', async () => {
    expect((await act(th, tokens.townA, 'verifyEmergencyIncident', id('a1'))).data?.status).toBe('VERIFIED');
    expect(await act(th, tokens.townA, 'verifyEmergencyIncident', id('b1'))).toMatchObject({ __typename: 'NotFoundError' });
    expect(await act(th, tokens.townA, 'verifyEmergencyIncident', id('none'))).toMatchObject({ __typename: 'NotFoundError' });
    expect((await act(th, tokens.district, 'verifyEmergencyIncident', id('b1'))).data?.status).toBe('VERIFIED');
    const assistant = await th.graphql(`mutation($id: ID!) { verifyEmergencyIncident(id: $id) { __typename } }`, { id: id('a2') }, tokens.a1);
    expect(assistant.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const plan = await th.graphql(
      `mutation { createEmergencyPlan(input: { name: "p", incidentType: OTHER, level: IV, steps: [{ title: "s", ownerRole: "r" }] }) { __typename } }`,
      {},
      tokens.townA,
    );
    expect(plan.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const level = await th.graphql(
      `mutation($id: ID!) { assessEmergencyIncident(id: $id, input: { criteria: { deaths: 3 } }) { __typename ... on MutationAssessEmergencyIncidentSuccess { data { level } } } }`,
      { id: id('a2') },
      tokens.townA,
    );
    expect(result(level, 'assessEmergencyIncident')).toEqual({ __typename: 'MutationAssessEmergencyIncidentSuccess', data: { level: 'III' } });
  });

  it('streams incident updates to each viewer within their scope, with replay from an event id', async () => {
    const townWs = connectWs(th.hub.port, tokens.townB);
    const enterpriseWs = connectWs(th.hub.port, tokens.enterprise);
    try {
      const town = collect<{ incidentUpdates: { kind: string; title: string; cellCode: string; status: string } }>(
        townWs.client,
        `subscription { incidentUpdates(since: "0") { kind title cellCode status } }`,
      );
      await town.until(2);
      // replayed: B-乙一村 reported, then verified by the district; nothing from other cells
      expect(town.received.map((r) => `${r.data?.incidentUpdates.kind} ${r.data?.incidentUpdates.title}`)).toEqual([
        'REPORTED B-乙一村',
        'STATUS_CHANGED B-乙一村',
      ]);
      await th.graphql(`mutation($id: ID!) { addEmergencyIncidentNote(id: $id, text: "甲街道的备注") { __typename } }`, { id: id('a1') }, tokens.district);
      await th.graphql(`mutation($id: ID!) { respondToEmergencyIncident(id: $id) { __typename } }`, { id: id('b1') }, tokens.district);
      await town.until(3);
      expect(town.received[2]?.data?.incidentUpdates).toEqual({ kind: 'STATUS_CHANGED', title: 'B-乙一村', cellCode: 'G01002001', status: 'RESPONDING' });
      const denied = collect(enterpriseWs.client, `subscription { incidentUpdates { kind } }`);
      await denied.until(1);
      expect(JSON.stringify(denied.received[0] ?? denied.ended)).toContain('FORBIDDEN');
      town.dispose();
    } finally {
      await townWs.dispose();
      await enterpriseWs.dispose();
    }
  });
});
