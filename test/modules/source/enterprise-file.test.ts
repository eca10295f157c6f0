import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monitoringServiceRef } from '../../../src/monitoring/public';
import { demoDevicePassword } from '../../../src/demo/devices';
import { RESULT_FIELDS, data, noErrors, result, startSourceHub, statementsOf, uscc, type SourceHub } from './support';
import { ENGINES } from '../../support/hub';

const FILE = `
  uscc name industry controlLevel status cellCode cell { code name }
  location { longitude latitude }
  permits { number permittedFactors limits { factor upper unit basis } }
  outlets { code kind referenceO2 limits { factor upper lower unit basis } monitors { mn kind enterpriseUscc cellCode } }
  facilities { name deviceCode runState { status runHours } }
  hazardousWaste { wasteCode quantityTonnes }
  riskSources { name riskLevel }
  documents { title url }
  inspections { inspector result findings }
  cases { caseNumber status penaltyYuan published snapshots { url } }
  samplers { code bottles retentions { bottleNumber } }
  videoSites { code cameras { code status streamUrl } }
`;

const SMALL = uscc(1);
const LARGE = uscc(2);
const OTHER_TOWN = uscc(3);

describe.each(ENGINES)('the enterprise file on %s', (engine) => {
  let s: SourceHub;

  const create = async (token: string, input: Record<string, unknown>) =>
    result<{ __typename: string; problems?: { path: string; message: string }[]; message?: string }>(
      await s.hub.graphql(
        `mutation($input: CreateEnterpriseInput!) { createEnterprise(input: $input) { ${RESULT_FIELDS} ... on MutationCreateEnterpriseSuccess { data { uscc } } } }`,
        { input },
        token,
      ),
      'createEnterprise',
    );

  const fileOf = async (code: string, token: string) => {
    const response = await s.hub.graphql(`query($uscc: String!) { enterprise(uscc: $uscc) { ${FILE} } }`, { uscc: code }, token);
    noErrors(response);
    return (response.body.data as { enterprise: Record<string, unknown> | null }).enterprise;
  };

  beforeAll(async () => {
    s = await startSourceHub(engine);
    const base = { industry: '汽车零部件及配件制造', controlLevel: 'CITY' };
    expect(
      (await create(s.tokens.district, { ...base, uscc: SMALL, name: '小企业', cellCode: 'G01001001', longitude: 104.2, latitude: 30.5 })).__typename,
    ).toBe('MutationCreateEnterpriseSuccess');
    expect((await create(s.tokens.district, { ...base, uscc: LARGE, name: '大企业', cellCode: 'G01001002', controlLevel: 'STATE' })).__typename).toBe(
      'MutationCreateEnterpriseSuccess',
    );
    expect((await create(s.tokens.district, { ...base, uscc: OTHER_TOWN, name: '乙镇企业', cellCode: 'G01002001' })).__typename).toBe(
      'MutationCreateEnterpriseSuccess',
    );

    const { registry, video, enforcement } = s.source;
    const district = { subject: 'district-1', roles: ['district'] as const, cells: [], enterprise: undefined, name: '区局' };
    const fill = async (code: string, outlets: number, serial: number) => {
      const permit = await registry.createPermit({
        enterpriseUscc: code,
        number: `${code}001P`,
        validFrom: new Date('2023-01-01T00:00:00Z'),
        validTo: new Date('2028-01-01T00:00:00Z'),
      });
      for (let o = 1; o <= outlets; o += 1) {
        const mnW = `T${serial}W${o}`;
        const mnH = `T${serial}H${o}`;
        await registry.createOutlet({
          enterpriseUscc: code,
          code: `DW00${o}`,
          name: `废水排口${o}`,
          kind: 'WASTEWATER',
          monitors: [
            { mn: mnW, password: demoDevicePassword(mnW) },
            { mn: mnH, password: demoDevicePassword(mnH), kind: 'HEAVY_METAL_ANALYSER' },
          ],
        });
        await registry.setPermitLimit({
          permitNumber: permit.number,
          outletCode: `DW00${o}`,
          factor: 'w01018',
          upper: 100,
          validFrom: new Date('2024-01-01T00:00:00Z'),
        });
        await registry.createFacility({ enterpriseUscc: code, outletCode: `DW00${o}`, name: `污水站${o}`, deviceCode: 'SB1' });
        await registry.recordHazardousWaste({
          enterpriseUscc: code,
          wasteCode: 'HW17 336-054-17',
          name: '电镀污泥',
          quantityTonnes: o,
          recordedAt: new Date('2024-03-01T00:00:00Z'),
        });
        await registry.createRiskSource({ enterpriseUscc: code, name: `储罐${o}`, substance: '铬酸', riskLevel: 'GENERAL' });
        await registry.addDocument({ enterpriseUscc: code, title: `文件${o}`, kind: 'EIA_APPROVAL', url: `https://example.org/${code}/${o}.pdf` });
        const inspection = await enforcement.recordInspection(district as never, { enterpriseUscc: code, result: 'ISSUES_FOUND', findings: `问题${o}` });
        const opened = await enforcement.openCase(district as never, {
          enterpriseUscc: code,
          caseNumber: `龙环罚〔2024〕${serial}${o}号`,
          findings: `问题${o}`,
          inspectionId: inspection.id,
        });
        await enforcement.decideCase(district as never, opened.id, { decision: '罚款', penaltyYuan: 10_000 * o });
        const site = await video.createSite({
          code: `S${serial}-${o}`,
          name: `厂区${o}`,
          kind: 'ENTERPRISE',
          enterpriseUscc: code,
          longitude: 104.2,
          latitude: 30.5,
        });
        for (let c = 1; c <= 2; c += 1)
          await video.createCamera({ code: `S${serial}-${o}-C${c}`, siteCode: site.code, name: `摄像机${c}`, streamUrl: `rtsp://10.0.${serial}.${o}/ch${c}` });
      }
      await registry.createSampler({ enterpriseUscc: code, outletCode: 'DW001', code: `LY${serial}` });
    };
    await fill(SMALL, 1, 1);
    await fill(LARGE, 5, 2);
    await fill(OTHER_TOWN, 1, 3);
  }, 120_000);

  afterAll(async () => {
    await s?.hub.stop();
  });

  it('returns the whole file in one request with the same statement count for one outlet or five', async () => {
    const small = await fileOf(SMALL, s.tokens.district);
    const large = await fileOf(LARGE, s.tokens.district);
    expect((small?.outlets as unknown[]).length).toBe(1);
    expect((large?.outlets as { monitors: unknown[] }[]).length).toBe(5);
    expect((large?.outlets as { monitors: unknown[] }[]).flatMap((o) => o.monitors)).toHaveLength(10);
    expect((large?.videoSites as { cameras: unknown[] }[]).flatMap((site) => site.cameras)).toHaveLength(10);
    expect(large?.cell).toEqual({ code: 'G01001002', name: '甲二村' });
    expect((large?.cases as { penaltyYuan: number }[]).map((c) => c.penaltyYuan).sort((a, b) => a - b)).toEqual([10_000, 20_000, 30_000, 40_000, 50_000]);
    const smallCount = await statementsOf(s.hub, () => fileOf(SMALL, s.tokens.district));
    const largeCount = await statementsOf(s.hub, () => fileOf(LARGE, s.tokens.district));
    expect(largeCount).toBe(smallCount);
    expect(smallCount).toBeLessThanOrEqual(25);
  });

  it('carries the monitors’ enterprise and cell, so the core’s row scope works', async () => {
    const file = await fileOf(SMALL, s.tokens.district);
    const monitors = (file?.outlets as { monitors: { mn: string; kind: string; enterpriseUscc: string; cellCode: string }[] }[])[0]?.monitors;
    expect(monitors).toEqual([
      expect.objectContaining({ mn: 'T1W1', kind: 'WASTEWATER_OUTLET', enterpriseUscc: SMALL, cellCode: 'G01001001' }),
      expect.objectContaining({ mn: 'T1H1', kind: 'HEAVY_METAL_ANALYSER', enterpriseUscc: SMALL, cellCode: 'G01001001' }),
    ]);
  });

  it('rejects a USCC with a wrong check character as a typed validation error', async () => {
    const wrong = `${SMALL.slice(0, 17)}${SMALL.endsWith('0') ? '1' : '0'}`;
    const outcome = await create(s.tokens.district, { uscc: wrong, name: '错码企业', industry: '食品制造', controlLevel: 'CITY' });
    expect(outcome.__typename).toBe('ValidationError');
    expect(outcome.problems).toEqual([
      { path: 'uscc', message: 'not a valid unified social credit code: check character (18) does not match characters 1-17' },
    ]);
    const lower = await create(s.tokens.district, { uscc: SMALL.toLowerCase(), name: '小写', industry: '食品制造', controlLevel: 'CITY' });
    expect(lower.problems?.[0]?.path).toBe('uscc');
    const duplicate = await create(s.tokens.district, { uscc: SMALL, name: '重复', industry: '食品制造', controlLevel: 'CITY' });
    expect(duplicate.__typename).toBe('ConflictError');
  });

  it('accepts only level-3 cells', async () => {
    const outcome = await create(s.tokens.district, { uscc: uscc(9), name: '街道企业', industry: '食品制造', controlLevel: 'CITY', cellCode: 'G01001' });
    expect(outcome.__typename).toBe('ValidationError');
    expect(outcome.problems).toEqual([{ path: 'cellCode', message: 'cell G01001 is level 2; enterprises sit in level-3 cells' }]);
  });

  it('sets the permit limit on every monitor of the outlet in the monitoring core, keeping history', async () => {
    const set = async (upper: number, validFrom: string) =>
      data<{ factor: string; monitorsUpdated: number }>(
        await s.hub.graphql(
          `mutation($input: SetPermitLimitInput!) { setPermitLimit(input: $input) { ${RESULT_FIELDS} ... on MutationSetPermitLimitSuccess { data { factor outletCode monitorsUpdated } } } }`,
          { input: { permitNumber: `${SMALL}001P`, outletCode: 'DW001', factor: 'w21003', upper, validFrom } },
          s.tokens.district,
        ),
        'setPermitLimit',
      );
    expect(await set(15, '2024-01-01T00:00:00Z')).toEqual({ factor: 'w21003', outletCode: 'DW001', monitorsUpdated: 2 });
    await set(8, '2024-06-01T00:00:00Z');
    const monitoring = s.hub.hub.services.get(monitoringServiceRef);
    const monitor = await monitoring.monitorByMn('T1W1');
    const limits = (await monitoring.limitsOf({ id: monitor?.id as number, kind: 'WASTEWATER_OUTLET' })).filter(
      (l) => l.factor === 'w21003' && l.period === 'HOUR',
    );
    expect(limits.map((l) => [l.upper, l.validFrom.toISOString(), l.validTo?.toISOString() ?? null])).toEqual([
      [8, '2024-06-01T00:00:00.000Z', null],
      [15, '2024-01-01T00:00:00.000Z', '2024-06-01T00:00:00.000Z'],
    ]);
    const file = await fileOf(SMALL, s.tokens.district);
    const current = (file?.outlets as { limits: { factor: string; upper: number }[] }[])[0]?.limits.find((l) => l.factor === 'w21003');
    expect(current?.upper).toBe(8);
  });

  it('shows an enterprise account its own file and nothing else', async () => {
    const token = await s.enterpriseToken(SMALL);
    expect((await fileOf(SMALL, token))?.uscc).toBe(SMALL);
    expect(await fileOf(LARGE, token)).toBeNull();
    const list = await s.hub.graphql(`{ enterprises(first: 50) { edges { node { uscc } } } }`, {}, token);
    expect((list.body.data as { enterprises: { edges: { node: { uscc: string } }[] } }).enterprises.edges.map((e) => e.node.uscc)).toEqual([SMALL]);
    const monitors = await s.hub.graphql(`{ monitors(first: 50) { edges { node { mn } } } }`, {}, token);
    expect((monitors.body.data as { monitors: { edges: { node: { mn: string } }[] } }).monitors.edges.map((e) => e.node.mn).sort()).toEqual(['T1H1', 'T1W1']);
    const file = await fileOf(SMALL, token);
    expect(file?.videoSites).toEqual([]);
  });

  it('shows grid staff the enterprises in their cells, the district all, the public none', async () => {
    const visible = async (token: string) => {
      const response = await s.hub.graphql(`{ enterprises(first: 50) { edges { node { uscc } } } }`, {}, token);
      if (response.body.errors) return response.body.errors.map((e) => e.extensions?.code);
      return (response.body.data as { enterprises: { edges: { node: { uscc: string } }[] } }).enterprises.edges.map((e) => e.node.uscc).sort();
    };
    expect(await visible(s.tokens.assistantA1)).toEqual([SMALL]);
    expect(await visible(s.tokens.townA)).toEqual([SMALL, LARGE].sort());
    expect(await visible(s.tokens.assistantB1)).toEqual([OTHER_TOWN]);
    expect(await visible(s.tokens.district)).toEqual([SMALL, LARGE, OTHER_TOWN].sort());
    expect(await visible('')).toEqual(['UNAUTHENTICATED']);
    expect(await fileOf(LARGE, s.tokens.assistantA1)).toBeNull();
    const camera = (await fileOf(SMALL, s.tokens.assistantA1))?.videoSites as { cameras: { streamUrl: string | null }[] }[];
    expect(camera[0]?.cameras[0]?.streamUrl).toBe('rtsp://10.0.1.1/ch1');
  });

  it('filters by cell prefix, control level and search, and pages', async () => {
    const list = async (filter: Record<string, unknown>, first = 50, after?: string) => {
      const response = await s.hub.graphql(
        `query($filter: EnterpriseFilter, $first: Int, $after: String) { enterprises(filter: $filter, first: $first, after: $after) { edges { node { uscc } } pageInfo { hasNextPage endCursor } } }`,
        { filter, first, after },
        s.tokens.district,
      );
      noErrors(response);
      return (response.body.data as { enterprises: { edges: { node: { uscc: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } })
        .enterprises;
    };
    expect((await list({ cell: 'G01001' })).edges.map((e) => e.node.uscc).sort()).toEqual([SMALL, LARGE].sort());
    expect((await list({ controlLevel: 'STATE' })).edges.map((e) => e.node.uscc)).toEqual([LARGE]);
    expect((await list({ search: '乙镇' })).edges.map((e) => e.node.uscc)).toEqual([OTHER_TOWN]);
    const first = await list({}, 2);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = await list({}, 2, first.pageInfo.endCursor);
    expect(second.edges.map((e) => e.node.uscc)).toEqual([OTHER_TOWN]);
  });

  it('reads a page’s columns by its selection and shows every field as the whole file does', async () => {
    const selections = [
      'uscc name',
      'id controlLevel',
      'n: name ... on Enterprise { location { longitude latitude } } ...more',
      'status cell { code } outlets { code monitors { mn } }',
      'uscc address industry cellCode',
      // a field outside the page's column map: the page reads the whole row
      'name emissionTotals(factor: "w01018", period: DAY, from: "2026-01-01T00:00:00Z", to: "2026-01-03T00:00:00Z") { amount }',
    ];
    const codes = await s.hub.graphql(`{ enterprises(first: 50) { edges { node { uscc } } } }`, {}, s.tokens.district);
    const order = (codes.body.data as { enterprises: { edges: { node: { uscc: string } }[] } }).enterprises.edges.map((e) => e.node.uscc);
    for (const selection of selections) {
      // the fragment goes with the one selection that spreads it (an unused fragment is refused)
      const fragment = selection.includes('...more') ? 'fragment more on Enterprise { industry status }' : '';
      const statements: string[] = [];
      const stop = s.hub.hub.db.observeStatements((text) => statements.push(text));
      const page = await s.hub.graphql(`{ enterprises(first: 50) { edges { node { ${selection} } } } } ${fragment}`, {}, s.tokens.district);
      stop();
      noErrors(page);
      const nodes = (page.body.data as { enterprises: { edges: { node: Record<string, unknown> }[] } }).enterprises.edges.map((e) => e.node);
      expect(nodes).toHaveLength(3);
      for (const [index, node] of nodes.entries()) {
        const one = await s.hub.graphql(
          `query($uscc: String!) { enterprise(uscc: $uscc) { ${selection} } } ${fragment}`,
          { uscc: order[index] },
          s.tokens.district,
        );
        noErrors(one);
        expect(node).toEqual((one.body.data as { enterprise: Record<string, unknown> }).enterprise);
      }
      const pageStatement = statements.find((text) => /FROM source_enterprises WHERE/.test(text)) ?? '';
      const readsAddress = pageStatement.includes('source_enterprises.address');
      expect(readsAddress, `${selection}: ${pageStatement}`).toBe(/address|emissionTotals/.test(selection));
    }
  });

  it('reads the outlets’ monitors by the page’s selection and shows them as the whole file does', async () => {
    // [the enterprise's selection, whether the page's statement reads the monitors' last data time]
    const selections: [string, boolean][] = [
      ['uscc outlets { code monitors { mn } }', false],
      ['outlets { monitors { id mn kind name status lastDataAt intervalSeconds location { longitude latitude } cellCode enterpriseUscc } }', true],
      ['outlets { monitors { m: mn ... on Monitor { ownerModule ownerId } facilityStatus restartedAt limits(limit: 2) { factor upper } } }', false],
      ['outlets { code } ', false],
      // a field outside the monitors' column map: they are read whole
      ['outlets(limit: 5) { monitors(limit: 2) { mn forecast(factor: "w01018") { factor } } }', true],
      // the same monitors asked whole elsewhere in the request: from their own read, not from the page's partial one
      ['outlets { monitors { mn } } facilities { name runState { status } }', false],
    ];
    // a treatment facility of the small enterprise reports running (a 2021 state on its outlet's monitor)
    await s.source.registry.createFacility({ enterpriseUscc: SMALL, outletCode: 'DW001', name: '在线污水站', deviceCode: 'SB1', monitorMn: 'T1W1' });
    const monitoring = s.hub.hub.services.get(monitoringServiceRef);
    const reporting = await monitoring.monitorByMn('T1W1');
    await monitoring.recordDeviceState(reporting?.id as number, {
      facilityStatus: { time: '2026-03-01T08:00:00Z', facilities: [{ id: 'SB1', runStatus: 1, runHours: 8 }] },
    });
    const codes = await s.hub.graphql(`{ enterprises(first: 50) { edges { node { uscc } } } }`, {}, s.tokens.district);
    const order = (codes.body.data as { enterprises: { edges: { node: { uscc: string } }[] } }).enterprises.edges.map((e) => e.node.uscc);
    for (const [selection, readsLastData] of selections) {
      const statements: string[] = [];
      const stop = s.hub.hub.db.observeStatements((text) => statements.push(text));
      const page = await s.hub.graphql(`{ enterprises(first: 3) { edges { node { ${selection} } } } }`, {}, s.tokens.district);
      stop();
      noErrors(page);
      const nodes = (page.body.data as { enterprises: { edges: { node: Record<string, unknown> }[] } }).enterprises.edges.map((e) => e.node);
      expect(nodes).toHaveLength(3);
      for (const [index, node] of nodes.entries()) {
        const one = await s.hub.graphql(`query($uscc: String!) { enterprise(uscc: $uscc) { ${selection} } }`, { uscc: order[index] }, s.tokens.district);
        noErrors(one);
        expect(node, selection).toEqual((one.body.data as { enterprise: Record<string, unknown> }).enterprise);
      }
      const pageStatement = statements.find((text) => /FROM source_enterprises WHERE/.test(text)) ?? '';
      expect(pageStatement.includes('monitoring_monitors.last_data_at'), `${selection}: ${pageStatement}`).toBe(readsLastData);
      if (selection.includes('runState')) {
        const states = nodes.flatMap((node) => (node.facilities as { runState: { status: string } }[]).map((f) => f.runState.status));
        expect(states).toContain('RUNNING');
      }
    }
  });

  it('lists enterprises without a level-3 cell in the grid’s coverage report', async () => {
    await s.source.enterprises.create({ uscc: uscc(7), name: '未落格企业', industry: '食品制造', controlLevel: 'DISTRICT_KEY' });
    const response = await s.hub.graphql(
      `{ gridCoverage { __typename ... on Error { message } ... on QueryGridCoverageSuccess { data { entitiesWithoutCell { kind id name } } } } }`,
      {},
      s.tokens.district,
    );
    const gaps = data<{ entitiesWithoutCell: { kind: string; id: string }[] }>(response, 'gridCoverage').entitiesWithoutCell;
    expect(result(response, 'gridCoverage')).toMatchObject({ __typename: 'QueryGridCoverageSuccess' });
    expect(gaps.filter((g) => g.kind === 'enterprise')).toEqual([{ kind: 'enterprise', id: uscc(7), name: '未落格企业' }]);
  });

  it('finds enterprises near a point with their monitors, nearest first', async () => {
    const near = await s.source.nearbyEnterprises({ longitude: 104.2, latitude: 30.5, radiusKm: 5, limit: 10 });
    expect(near.map((e) => e.uscc)).toEqual([SMALL]);
    expect(near[0]?.distanceKm).toBeLessThan(0.01);
    expect(near[0]?.outlets.map((o) => o.code)).toEqual(['DW001']);
    expect(near[0]?.monitorIds).toHaveLength(2);
    await expect(s.source.nearbyEnterprises({ longitude: 104.2, latitude: 30.5, radiusKm: 500, limit: 10 })).rejects.toThrow(/radiusKm/);
  });

  it('publishes decided cases only, for disclosure', async () => {
    const before = await s.source.publishedDecisions({ limit: 10 });
    expect(before).toEqual([]);
    const cases = await s.hub.graphql(
      `{ enforcementCases(first: 1, filter: { enterpriseUscc: "${SMALL}" }) { edges { node { id status } } } }`,
      {},
      s.tokens.district,
    );
    const id = (cases.body.data as { enforcementCases: { edges: { node: { id: string; status: string } }[] } }).enforcementCases.edges[0]?.node.id;
    const publish = await s.hub.graphql(
      `mutation($id: ID!) { publishEnforcementDecision(id: $id) { ${RESULT_FIELDS} ... on MutationPublishEnforcementDecisionSuccess { data { published } } } }`,
      { id },
      s.tokens.district,
    );
    expect(data(publish, 'publishEnforcementDecision')).toEqual({ published: true });
    const after = await s.source.publishedDecisions({ limit: 10 });
    expect(after.map((d) => [d.enterpriseUscc, d.penaltyYuan, d.decision])).toEqual([[SMALL, 10_000, '罚款']]);
    const denied = await s.hub.graphql(`mutation($id: ID!) { publishEnforcementDecision(id: $id) { __typename } }`, { id }, s.tokens.assistantA1);
    expect(denied.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
