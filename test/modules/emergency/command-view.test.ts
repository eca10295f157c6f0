import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestHub, type TestHub } from '../../support/hub';
import { createMonitor, ingest, minutesAgo, setLimit } from '../../support/monitoring';
import { data, result, standardGrid } from '../grid/support';
import { completeUscc } from '../../../modules/source/public';
import { RESULT, report } from './support';

const VIEW = `query($id: ID!) { commandView(incident: $id, radiusKm: 5, limit: 10) {
  __typename ... on Error { message }
  ... on QueryCommandViewSuccess { data {
    incident { title level status }
    timeline { kind actor }
    centre { longitude latitude }
    exceedances { factor severity monitor { mn latestReadings { factor value } } }
    nearbySources { uscc monitors { mn } }
    nearbyCameras { name streamUrl }
    resources { distanceKm resource { name kind available contactPhone } }
    cell { code name }
    assistants { name }
  } } } }`;

interface View {
  incident: { title: string };
  timeline: { kind: string }[];
  centre: { longitude: number; latitude: number } | null;
  exceedances: { factor: string; monitor: { mn: string; latestReadings: { factor: string; value: number }[] } }[];
  nearbySources: unknown[];
  nearbyCameras: unknown[];
  resources: { distanceKm: number; resource: { name: string; available: boolean; contactPhone: string | null } }[];
  cell: { code: string; name: string } | null;
  assistants: { name: string }[];
}

describe.each(ENGINES)('the command view on %s', (engine) => {
  let th: TestHub;
  let admin: string;
  let district: string;
  const ids: { one: string; four: string } = { one: '', four: '' };
  const base = Date.now();

  const view = async (id: string, token = district): Promise<{ view: View; statements: number }> => {
    const before = th.hub.db.statementCount();
    const response = await th.graphql(VIEW, { id }, token);
    const statements = th.hub.db.statementCount() - before;
    return { view: data<View>(response, 'commandView'), statements };
  };

  beforeAll(async () => {
    // the source module stays off here: the view must work without it
    th = await startTestHub({ engine, env: { HUB_MODULES: 'grid,emergency' } });
    admin = await th.token({ roles: ['admin'], sub: 'admin-1' });
    district = await th.token({ roles: ['district'], sub: 'district-1' });
    await standardGrid(th, admin).build();
    for (const [name, longitude] of [
      ['近处应急队', 104.201],
      ['远处应急队', 104.3],
      ['中间物资库', 104.23],
    ] as const) {
      const created = await th.graphql(
        `mutation($input: EmergencyResourceInput!) { createEmergencyResource(input: $input) { ${RESULT} } }`,
        { input: { kind: 'TEAM', name, quantity: 5, longitude, latitude: 30.5, contactPhone: '13800000000' } },
        admin,
      );
      expect(result(created, 'createEmergencyResource')).toEqual({ __typename: 'MutationCreateEmergencyResourceSuccess' });
    }
    for (let n = 1; n <= 4; n += 1) {
      const monitor = await createMonitor(th, admin, { mn: `CV-${n}`, cellCode: 'G01001001' });
      await setLimit(th, admin, { monitor, factor: 'w01018', upper: 100 });
      await ingest(th, admin, [{ mn: `CV-${n}`, time: minutesAgo(10, base), value: 100 + n * 10 }]);
    }
    const listed = await th.graphql(`{ exceedances(filter: { cellCode: "G01001001" }) { edges { node { id monitor { mn } } } } }`, {}, admin);
    const episodes = result<{ edges: { node: { id: string; monitor: { mn: string } } }[] }>(listed, 'exceedances').edges.map((e) => e.node);
    expect(episodes).toHaveLength(4);
    const first = episodes.find((e) => e.monitor.mn === 'CV-1')?.id as string;
    ids.one = (await report(th, district, { title: '单一超标', longitude: 104.2, latitude: 30.5, exceedances: [first] })).id;
    ids.four = (await report(th, district, { title: '多点超标', longitude: 104.2, latitude: 30.5, exceedances: episodes.map((e) => e.id) })).id;
    for (const text of ['现场照片已上传', '企业已停产', '下游取样中']) {
      await th.graphql(
        `mutation($id: ID!, $text: String!) { addEmergencyIncidentNote(id: $id, text: $text) { __typename } }`,
        { id: ids.four, text },
        district,
      );
    }
  });
  afterAll(async () => th?.stop());

  it('gives everything the duty officer needs in one request', async () => {
    const { view: seen } = await view(ids.four);
    expect(seen.incident.title).toBe('多点超标');
    expect(seen.timeline.map((e) => e.kind)).toEqual(['REPORTED', 'NOTE', 'NOTE', 'NOTE']);
    expect(seen.centre).toEqual({ longitude: 104.2, latitude: 30.5 });
    expect(seen.exceedances.map((e) => `${e.monitor.mn} ${e.monitor.latestReadings.map((r) => `${r.factor}=${r.value}`).join()}`).sort()).toEqual([
      'CV-1 w01018=110',
      'CV-2 w01018=120',
      'CV-3 w01018=130',
      'CV-4 w01018=140',
    ]);
    expect(seen.resources.map((r) => r.resource.name)).toEqual(['近处应急队', '中间物资库', '远处应急队']);
    expect(seen.resources[0]?.distanceKm).toBeCloseTo(0.097, 2);
    expect(seen.cell).toEqual({ code: 'G01001001', name: '甲一村' });
    expect(seen.assistants).toEqual([{ name: '张伟' }]);
    // no source module: no sources, no cameras, and no error
    expect([seen.nearbySources, seen.nearbyCameras]).toEqual([[], []]);
  });

  it('costs the same number of statements whatever the number of linked episodes and timeline entries', async () => {
    await view(ids.one);
    const one = await view(ids.one);
    const four = await view(ids.four);
    expect(one.view.exceedances).toHaveLength(1);
    expect(four.view.exceedances).toHaveLength(4);
    expect(four.view.timeline.length).toBeGreaterThan(one.view.timeline.length);
    expect(four.statements).toBe(one.statements);
    expect(four.statements).toBeLessThanOrEqual(12);
  });

  it('is not found for a viewer outside the incident’s cell, and refused to enterprises', async () => {
    const other = await th.token({ roles: ['town'], sub: 'town-b', cells: ['G01002'] });
    const response = await th.graphql(VIEW, { id: ids.one }, other);
    expect(result(response, 'commandView')).toMatchObject({ __typename: 'NotFoundError' });
    const enterprise = await th.graphql(VIEW, { id: ids.one }, await th.token({ roles: ['enterprise'], sub: 'ent-1', enterprise: '91510112MA61XXXX0A' }));
    expect(enterprise.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe.each(ENGINES)('the command view with the source module on %s', (engine) => {
  let th: TestHub;
  let admin: string;
  let district: string;
  const incidents: string[] = [];
  const near = (n: number) => completeUscc(`91510112000000${n}0`);

  const source = async (n: number, longitude: number): Promise<void> => {
    const uscc = near(n);
    const enterprise = await th.graphql(
      `mutation($input: CreateEnterpriseInput!) { createEnterprise(input: $input) { ${RESULT} } }`,
      { input: { uscc, name: `企业${n}`, industry: '化工', controlLevel: 'CITY', longitude, latitude: 30.5, cellCode: 'G01001001' } },
      admin,
    );
    expect(result(enterprise, 'createEnterprise')).toEqual({ __typename: 'MutationCreateEnterpriseSuccess' });
    const outlet = await th.graphql(
      `mutation($input: CreateOutletInput!) { createOutlet(input: $input) { ${RESULT} } }`,
      { input: { enterpriseUscc: uscc, code: 'DW001', name: '总排口', kind: 'WASTEWATER', monitors: [{ mn: `SRC-${n}`, password: 'pw-123456' }] } },
      admin,
    );
    expect(result(outlet, 'createOutlet')).toEqual({ __typename: 'MutationCreateOutletSuccess' });
    const site = await th.graphql(
      `mutation($input: CreateVideoSiteInput!) { createVideoSite(input: $input) { ${RESULT} } }`,
      { input: { code: `SITE-${n}`, name: `企业${n}厂区`, kind: 'ENTERPRISE', enterpriseUscc: uscc, longitude, latitude: 30.5, cellCode: 'G01001001' } },
      admin,
    );
    expect(result(site, 'createVideoSite')).toEqual({ __typename: 'MutationCreateVideoSiteSuccess' });
    const camera = await th.graphql(
      `mutation($input: CreateCameraInput!) { createCamera(input: $input) { ${RESULT} } }`,
      { input: { code: `CAM-${n}`, name: `企业${n}排口摄像机`, site: `SITE-${n}`, streamUrl: `rtsp://10.0.0.${n}/live` } },
      admin,
    );
    expect(result(camera, 'createCamera')).toEqual({ __typename: 'MutationCreateCameraSuccess' });
  };

  beforeAll(async () => {
    th = await startTestHub({ engine, env: { HUB_MODULES: 'grid,source,emergency' } });
    admin = await th.token({ roles: ['admin'], sub: 'admin-1' });
    district = await th.token({ roles: ['district'], sub: 'district-1' });
    await standardGrid(th, admin).build();
    await source(1, 104.21);
    await source(2, 104.202);
    // two incidents at different places: one with a single source and camera in reach, one with both
    incidents.push((await report(th, district, { title: '东侧', longitude: 104.215, latitude: 30.5, cellCode: 'G01001001' })).id);
    incidents.push((await report(th, district, { title: '西侧', longitude: 104.2, latitude: 30.5, cellCode: 'G01001001' })).id);
  });
  afterAll(async () => th?.stop());

  it('lists nearby sources with their monitors and cameras with stream addresses, nearest first, at a flat statement count', async () => {
    const query = `query($id: ID!, $r: Float) { commandView(incident: $id, radiusKm: $r) { __typename ... on QueryCommandViewSuccess { data {
      nearbySources { name monitors { mn latestReadings { value } } } nearbyCameras { name streamUrl } } } } }`;
    const run = async (id: string, radiusKm: number) => {
      const before = th.hub.db.statementCount();
      const response = await th.graphql(query, { id, r: radiusKm }, district);
      const statements = th.hub.db.statementCount() - before;
      return {
        view: data<{ nearbySources: { name: string; monitors: { mn: string }[] }[]; nearbyCameras: { name: string; streamUrl: string }[] }>(
          response,
          'commandView',
        ),
        statements,
      };
    };
    // the viewer's grid scope is cached for a short while after the first request: warm it first
    await run(incidents[0] as string, 0.8);
    const one = await run(incidents[0] as string, 0.8);
    expect(one.view.nearbySources.map((s) => `${s.name} ${s.monitors.map((m) => m.mn).join()}`)).toEqual(['企业1 SRC-1']);
    const both = await run(incidents[1] as string, 5);
    expect(both.view.nearbySources.map((s) => `${s.name} ${s.monitors.map((m) => m.mn).join()}`)).toEqual(['企业2 SRC-2', '企业1 SRC-1']);
    expect(both.view.nearbyCameras).toEqual([
      { name: '企业2排口摄像机', streamUrl: 'rtsp://10.0.0.2/live' },
      { name: '企业1排口摄像机', streamUrl: 'rtsp://10.0.0.1/live' },
    ]);
    expect(both.statements).toBe(one.statements);
  });
});
