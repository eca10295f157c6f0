import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../../support/hub';
import { demoCells } from '../../../src/demo/district';
import { data } from './support';

interface Staff {
  subject: string;
  name: string;
  organisationCode: string | null;
  assignments: { cellCode: string; active: boolean }[];
}

async function seeded(): Promise<TestHub> {
  return startTestHub({ env: { HUB_SEED: 'true', HUB_MODULES: 'grid' } });
}

describe('the demo district’s grid (pglite)', () => {
  let hub: TestHub;
  let district: string;
  let assistants: Staff[];

  const assistantsOf = async (target: TestHub, token: string): Promise<Staff[]> => {
    const response = await target.graphql(
      `{ gridStaff(filter: { role: ASSISTANT }, first: 100) { edges { node { subject name organisationCode assignments { cellCode active } } } pageInfo { hasNextPage } } }`,
      {},
      token,
    );
    expect(response.body.errors).toBeUndefined();
    const page = (response.body.data as { gridStaff: { edges: { node: Staff }[]; pageInfo: { hasNextPage: boolean } } }).gridStaff;
    expect(page.pageInfo.hasNextPage).toBe(false);
    return page.edges.map((e) => e.node);
  };

  beforeAll(async () => {
    hub = await seeded();
    district = await hub.token({ roles: ['district'], sub: 'district-officer-01' });
    assistants = await assistantsOf(hub, district);
  });
  afterAll(async () => hub?.stop());

  it('has the 163 cells in three levels', async () => {
    const counts = await hub.graphql(`{
      l1: gridCells(filter: { level: 1 }, first: 100) { edges { node { code } } }
      l2: gridCells(filter: { level: 2 }, first: 100) { edges { node { code children { code } } } }
    }`);
    const body = counts.body.data as { l1: { edges: unknown[] }; l2: { edges: { node: { children: unknown[] } }[] } };
    expect(body.l1.edges).toHaveLength(10);
    expect(body.l2.edges).toHaveLength(12);
    expect(body.l2.edges.reduce((sum, e) => sum + e.node.children.length, 0)).toBe(141);
  });

  it('has 100 assistants, 50 in the district bureau and 50 spread over the 12 towns', () => {
    expect(assistants).toHaveLength(100);
    expect(assistants.map((a) => a.subject)).toEqual(Array.from({ length: 100 }, (_v, i) => `assistant-${String(i + 1).padStart(3, '0')}`));
    expect(assistants.filter((a) => a.organisationCode === null)).toHaveLength(50);
    const towns = new Set(assistants.filter((a) => a.organisationCode !== null).map((a) => a.organisationCode));
    expect(towns.size).toBe(12);
    expect(assistants.every((a) => /^[\u4e00-\u9fff]{2,3}$/.test(a.name))).toBe(true);
    expect(assistants.every((a) => a.assignments.some((s) => s.active))).toBe(true);
  });

  it('leaves no village without an assistant and no assistant without a cell', async () => {
    const response = await hub.graphql(
      `{ gridCoverage { ... on QueryGridCoverageSuccess { data { cellsWithoutAssistantCount assistantsWithoutCellCount } } } }`,
      {},
      district,
    );
    expect(response.body.data).toEqual({ gridCoverage: { data: { cellsWithoutAssistantCount: 0, assistantsWithoutCellCount: 0 } } });
  });

  it('places every village centre in its own village by boundary', async () => {
    const villages = demoCells()
      .filter((c) => c.level === 3)
      .slice(0, 20);
    const query = `{ ${villages.map((v, i) => `v${i}: locateGridCell(longitude: ${v.longitude}, latitude: ${v.latitude}) { code }`).join(' ')} }`;
    const response = await hub.graphql(query);
    expect(response.body.data).toEqual(Object.fromEntries(villages.map((v, i) => [`v${i}`, { code: v.code }])));
  });

  it('has a history of tasks and patrols for a town officer and an assistant to work with', async () => {
    const town = await hub.token({ roles: ['town'], sub: 'town-officer-01' });
    const response = await hub.graphql(
      `{
      gridTasks(first: 100) { edges { node { cellCode status history { action } } } }
      gridPatrols(first: 5) { edges { node { cellCode checklist { productionStatus } } } }
    }`,
      {},
      town,
    );
    const body = response.body.data as {
      gridTasks: { edges: { node: { cellCode: string; status: string; history: { action: string }[] } }[] };
      gridPatrols: { edges: { node: { cellCode: string } }[] };
    };
    const townCode = demoCells().filter((c) => c.level === 2)[0]?.code as string;
    expect(body.gridTasks.edges.length).toBeGreaterThan(0);
    expect(body.gridTasks.edges.every((e) => e.node.cellCode.startsWith(townCode) && e.node.history[0]?.action === 'DISPATCH')).toBe(true);
    expect(body.gridPatrols.edges.length).toBeGreaterThan(0);
    const assistant = assistants.find((a) => a.organisationCode === townCode) as Staff;
    const own = await hub.graphql(
      `{ gridTasks(filter: { mine: true }, first: 100) { edges { node { cellCode } } } }`,
      {},
      await hub.token({ roles: ['assistant'], sub: assistant.subject }),
    );
    const cells = assistant.assignments.map((a) => a.cellCode);
    const mine = (own.body.data as { gridTasks: { edges: { node: { cellCode: string } }[] } }).gridTasks.edges;
    expect(mine.every((e) => cells.includes(e.node.cellCode))).toBe(true);
    const assessment = await hub.graphql(
      `query($from: DateTime!, $to: DateTime!) { gridAssessment(period: { from: $from, to: $to }, groupBy: TOWN) { edges { node { rank name score } } } }`,
      { from: new Date(Date.now() - 31 * 86_400_000).toISOString(), to: new Date().toISOString() },
      district,
    );
    const rows = data<{ edges: { node: { rank: number } }[] }>(assessment, 'gridAssessment').edges;
    expect(rows).toHaveLength(12);
    expect(rows[0]?.node.rank).toBe(1);
  });

  it('comes out the same in another database', async () => {
    const other = await seeded();
    try {
      const again = await assistantsOf(other, await other.token({ roles: ['district'], sub: 'district-officer-01' }));
      expect(again).toEqual(assistants);
      const boundary = `{ gridCell(code: "${demoCells().find((c) => c.level === 3)?.code}") { boundary } }`;
      expect((await other.graphql(boundary)).body.data).toEqual((await hub.graphql(boundary)).body.data);
    } finally {
      await other.stop();
    }
  });
});
