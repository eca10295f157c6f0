import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestHub, type TestHub } from '../../support/hub';
import { GRID_ONLY, RESULT_FIELDS, data, standardGrid } from './support';

describe.each(ENGINES)('grid cells and people on %s', (engine) => {
  let hub: TestHub;
  let admin: string;
  let ids: Map<string, string>;

  beforeAll(async () => {
    hub = await startTestHub({ engine, env: GRID_ONLY });
    admin = await hub.token({ roles: ['admin'], sub: 'admin-1' });
    ids = await standardGrid(hub, admin).build();
  });
  afterAll(async () => hub?.stop());

  it('walks the tree down, up and across, without a token', async () => {
    const response = await hub.graphql(`{
      gridCell(code: "G01001") {
        code name level parentCode
        parent { code name level }
        children { code name level }
        ancestors { code }
      }
      village: gridCell(code: "G01001002") { ancestors { code level } parent { parent { code } } }
      missing: gridCell(code: "NOPE") { code }
    }`);
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data).toEqual({
      gridCell: {
        code: 'G01001',
        name: '甲街道',
        level: 2,
        parentCode: 'G01',
        parent: { code: 'G01', name: '测试片区', level: 1 },
        children: [
          { code: 'G01001001', name: '甲一村', level: 3 },
          { code: 'G01001002', name: '甲二村', level: 3 },
        ],
        ancestors: [{ code: 'G01' }],
      },
      village: {
        ancestors: [
          { code: 'G01', level: 1 },
          { code: 'G01001', level: 2 },
        ],
        parent: { parent: { code: 'G01' } },
      },
      missing: null,
    });
  });

  it('lists cells by level, parent, subtree and name, a page at a time', async () => {
    const first = await hub.graphql(`{ gridCells(filter: { level: 3 }, first: 2) { edges { node { code } } pageInfo { hasNextPage endCursor } } }`);
    const page = (first.body.data as { gridCells: { edges: { node: { code: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } }).gridCells;
    expect(page.edges.map((e) => e.node.code)).toEqual(['G01001001', 'G01001002']);
    expect(page.pageInfo.hasNextPage).toBe(true);
    const second = await hub.graphql(
      `query($after: String) { gridCells(filter: { level: 3 }, first: 2, after: $after) { edges { node { code } } pageInfo { hasNextPage } } }`,
      {
        after: page.pageInfo.endCursor,
      },
    );
    expect(second.body.data).toEqual({ gridCells: { edges: [{ node: { code: 'G01002001' } }], pageInfo: { hasNextPage: false } } });
    const filtered = await hub.graphql(`{
      byParent: gridCells(filter: { parentCode: "G01" }) { edges { node { code } } }
      under: gridCells(filter: { under: "G01002" }) { edges { node { code } } }
      named: gridCells(filter: { search: "二村" }) { edges { node { code } } }
    }`);
    expect(filtered.body.data).toEqual({
      byParent: { edges: [{ node: { code: 'G01001' } }, { node: { code: 'G01002' } }] },
      under: { edges: [{ node: { code: 'G01002' } }, { node: { code: 'G01002001' } }] },
      named: { edges: [{ node: { code: 'G01001002' } }] },
    });
    const tooMany = await hub.graphql(`{ gridCells(first: 101) { edges { node { code } } } }`);
    expect(tooMany.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('locates a point in the level-3 cell whose boundary holds it', async () => {
    const response = await hub.graphql(`{
      inside: locateGridCell(longitude: 104.225, latitude: 30.505) { code }
      onSharedEdge: locateGridCell(longitude: 104.21, latitude: 30.5) { code }
      outside: locateGridCell(longitude: 104.5, latitude: 30.5) { code }
      invalid: locateGridCell(longitude: 200, latitude: 30.5) { code }
    }`);
    expect(response.body.data).toEqual({ inside: { code: 'G01001002' }, onSharedEdge: { code: 'G01001001' }, outside: null, invalid: null });
  });

  it('validates cells: hierarchy, boundary shape and size', async () => {
    const attempt = async (input: Record<string, unknown>) =>
      data<{ __typename: string; problems?: { path: string }[] }>(
        await hub.graphql(`mutation($input: GridCellInput!) { upsertGridCell(input: $input) { ${RESULT_FIELDS} } }`, { input }, admin),
        'upsertGridCell',
      );
    expect(await attempt({ code: 'X99001', name: '外码', parentCode: 'G01' })).toMatchObject({ __typename: 'ValidationError', problems: [{ path: 'code' }] });
    expect(await attempt({ code: 'G01001001001', name: '第四级', parentCode: 'G01001001' })).toMatchObject({
      __typename: 'ValidationError',
      problems: [{ path: 'parentCode' }],
    });
    expect(await attempt({ code: 'G01003', name: '无父', parentCode: 'G09' })).toMatchObject({ __typename: 'NotFoundError' });
    const open = {
      type: 'Polygon',
      coordinates: [
        [
          [104, 30],
          [104.1, 30],
          [104.1, 30.1],
          [104, 30.1],
        ],
      ],
    };
    expect(await attempt({ code: 'G01001003', name: '开口', parentCode: 'G01001', boundary: open })).toMatchObject({
      __typename: 'ValidationError',
      problems: [{ path: 'boundary' }],
    });
    const huge = {
      type: 'Polygon',
      coordinates: [[...Array.from({ length: 5001 }, (_v, i) => [104 + Math.cos(i) / 100, 30 + Math.sin(i) / 100]), [104 + 1 / 100, 30]]],
    };
    expect(await attempt({ code: 'G01001003', name: '太大', parentCode: 'G01001', boundary: huge })).toMatchObject({
      __typename: 'ValidationError',
      problems: [{ path: 'boundary' }],
    });
    expect(await attempt({ code: 'G01001001', name: '移走', parentCode: 'G01002' })).toMatchObject({ __typename: 'ValidationError' });
    const town = await hub.token({ roles: ['town'], sub: 'town-a' });
    const denied = await hub.graphql(`mutation { upsertGridCell(input: { code: "G01001009", name: "x", parentCode: "G01001" }) { __typename } }`, {}, town);
    expect(denied.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('shows staff records to staff only: an enterprise or the public gets neither the person nor the phone', async () => {
    const query = `{ gridCell(code: "G01001001") { assistants { name phone } } }`;
    const staff = await hub.graphql(
      `query($id: ID!) { node(id: $id) { ... on GridStaff { name phone subject role organisationCode } } }`,
      { id: ids.get('asst-a1') },
      await hub.token({ roles: ['assistant'], sub: 'asst-a2' }),
    );
    expect(staff.body.data).toEqual({ node: { name: '张伟', phone: '13800000001', subject: 'asst-a1', role: 'ASSISTANT', organisationCode: 'G01001' } });
    const enterprise = await hub.token({ roles: ['enterprise'], enterprise: '91510112MA61XXXX0A', sub: 'ent-1' });
    const asEnterprise = await hub.graphql(
      `query($id: ID!) { node(id: $id) { ... on GridStaff { name phone subject } } }`,
      { id: ids.get('asst-a1') },
      enterprise,
    );
    expect(asEnterprise.body.data).toEqual({ node: null });
    expect((await hub.graphql(query)).body.data).toEqual({ gridCell: { assistants: [] } });
    expect((await hub.graphql(query, {}, admin)).body.data).toEqual({ gridCell: { assistants: [{ name: '张伟', phone: '13800000001' }] } });
    const list = await hub.graphql(`{ gridStaff { edges { node { name } } } }`, {}, enterprise);
    expect(list.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('names the officers responsible for a cell, who must be officers', async () => {
    const set = async (officers: string[]) =>
      data<{ __typename?: string; officers?: { name: string; role: string }[]; problems?: { path: string }[] }>(
        await hub.graphql(
          `mutation($officers: [ID!]!) { setGridCellOfficers(code: "G01001", officers: $officers) { ${RESULT_FIELDS} ... on MutationSetGridCellOfficersSuccess { data { officers { name role } } } } }`,
          { officers },
          admin,
        ),
        'setGridCellOfficers',
      );
    expect(await set([ids.get('town-a') as string])).toEqual({ officers: [{ name: '陈静', role: 'TOWN_OFFICER' }] });
    expect(await set([ids.get('asst-a1') as string])).toMatchObject({ __typename: 'ValidationError', problems: [{ path: 'staff.0' }] });
    const shown = await hub.graphql(`{ gridCell(code: "G01001") { officers { name role } } }`, {}, await hub.token({ roles: ['assistant'], sub: 'asst-b1' }));
    expect(shown.body.data).toEqual({ gridCell: { officers: [{ name: '陈静', role: 'TOWN_OFFICER' }] } });
    // the cell is public, the people behind it are not
    expect((await hub.graphql(`{ gridCell(code: "G01001") { name officers { name } } }`)).body.data).toEqual({
      gridCell: { name: expect.any(String), officers: [] },
    });
  });

  it('lists staff with filters and the viewer’s own record', async () => {
    const token = await hub.token({ roles: ['assistant'], sub: 'asst-b1' });
    const response = await hub.graphql(
      `{
      gridMe { name organisation { name } assignments { cellCode active } }
      gridStaff(filter: { role: TOWN_OFFICER }) { edges { node { name organisationCode } } }
      inTown: gridStaff(filter: { organisationCode: "G01002", role: ASSISTANT }) { edges { node { name } } }
    }`,
      {},
      token,
    );
    expect(response.body.data).toEqual({
      gridMe: { name: '王强', organisation: { name: '乙镇' }, assignments: [{ cellCode: 'G01002001', active: true }] },
      gridStaff: { edges: [{ node: { name: '陈静', organisationCode: 'G01001' } }, { node: { name: '杨磊', organisationCode: 'G01002' } }] },
      inTown: { edges: [{ node: { name: '王强' } }, { node: { name: '赵敏' } }] },
    });
  });

  it('reports coverage gaps: cells without assistant, assistants without cell, monitors in no cell', async () => {
    const created = await hub.graphql(
      `mutation { a: createMonitor(input: { mn: "COVER-1", password: "p", name: "无网格监测点", kind: WASTEWATER_OUTLET, intervalSeconds: 60 }) { __typename }
                  b: createMonitor(input: { mn: "COVER-2", password: "p", name: "街道级监测点", kind: WASTEWATER_OUTLET, intervalSeconds: 60, cellCode: "G01001" }) { __typename }
                  c: createMonitor(input: { mn: "COVER-3", password: "p", name: "村级监测点", kind: WASTEWATER_OUTLET, intervalSeconds: 60, cellCode: "G01001001" }) { __typename } }`,
      {},
      admin,
    );
    expect(created.body.errors).toBeUndefined();
    await hub.graphql(`mutation { upsertGridCell(input: { code: "G01002002", name: "乙二村", parentCode: "G01002" }) { __typename } }`, {}, admin);
    const query = `{ gridCoverage { __typename ... on QueryGridCoverageSuccess { data {
      complete
      cellsWithoutAssistant { code } cellsWithoutAssistantCount
      assistantsWithoutCell { name } assistantsWithoutCellCount
      entitiesWithoutCell { kind id name cellCode } entitiesWithoutCellCount
    } } } }`;
    const district = await hub.token({ roles: ['district'], sub: 'district-1' });
    expect(data(await hub.graphql(query, {}, district), 'gridCoverage')).toEqual({
      complete: false,
      cellsWithoutAssistant: [{ code: 'G01002002' }],
      cellsWithoutAssistantCount: 1,
      assistantsWithoutCell: [{ name: '赵敏' }],
      assistantsWithoutCellCount: 1,
      entitiesWithoutCell: [
        { kind: 'monitor', id: 'COVER-1', name: '无网格监测点', cellCode: null },
        { kind: 'monitor', id: 'COVER-2', name: '街道级监测点', cellCode: 'G01001' },
      ],
      entitiesWithoutCellCount: 2,
    });
    // monitors are scoped by the token's cells claim, as in every module
    const townA = await hub.token({ roles: ['town'], sub: 'town-a', cells: ['G01001'] });
    expect(data(await hub.graphql(query, {}, townA), 'gridCoverage')).toMatchObject({
      cellsWithoutAssistantCount: 0,
      assistantsWithoutCellCount: 0,
      entitiesWithoutCell: [{ id: 'COVER-2' }],
    });
    const assistant = await hub.graphql(query, {}, await hub.token({ roles: ['assistant'], sub: 'asst-a1' }));
    expect(assistant.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const assignment = await hub.graphql(`query($id: ID!) { node(id: $id) { ... on GridStaff { assignments { id } } } }`, { id: ids.get('asst-b1') }, district);
    const assignmentId = (assignment.body.data as { node: { assignments: { id: string }[] } }).node.assignments[0]?.id;
    const end = `mutation($id: ID!) { endGridAssignment(id: $id) { ${RESULT_FIELDS} ... on MutationEndGridAssignmentSuccess { data { active cellCode } } } }`;
    expect(data(await hub.graphql(end, { id: assignmentId }, await hub.token({ roles: ['town'], sub: 'town-a' })), 'endGridAssignment')).toMatchObject({
      __typename: 'ForbiddenError',
    });
    expect(data(await hub.graphql(end, { id: assignmentId }, district), 'endGridAssignment')).toEqual({ active: false, cellCode: 'G01002001' });
    expect(data(await hub.graphql(end, { id: assignmentId }, district), 'endGridAssignment')).toMatchObject({ __typename: 'ConflictError' });
    expect(data(await hub.graphql(query, {}, district), 'gridCoverage')).toMatchObject({
      cellsWithoutAssistant: [{ code: 'G01002001' }, { code: 'G01002002' }],
      assistantsWithoutCell: [{ name: '王强' }, { name: '赵敏' }],
    });
  });
});
