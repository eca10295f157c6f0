import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestHub, type TestHub } from '../../support/hub';
import { gridServiceRef } from '../../../modules/grid/public';
import { GRID_ONLY, result, standardGrid } from './support';

const P0 = new Date('2025-03-03T00:00:00+08:00');
const HOUR = 3_600_000;
const PERIOD = { from: P0.toISOString(), to: new Date(P0.getTime() + 7 * 24 * HOUR).toISOString() };
const ROW = `rank unranked name assignedTasks completedTasks onTimeTasks overdueTasks meanResponseSeconds patrols media score`;

describe.each(ENGINES)('grid assessment on %s', (engine) => {
  let hub: TestHub;
  let clock = new Date(P0.getTime() + HOUR);
  const tokens = { admin: '', district: '', townA: '', a1: '', a2: '', b1: '' };
  const at = (hours: number): void => {
    clock = new Date(P0.getTime() + hours * HOUR);
  };
  const dispatch = async (cellCode: string, title: string, deadlineHours: number): Promise<string> => {
    const response = await hub.graphql(
      `mutation($input: GridDispatchTaskInput!) { dispatchGridTask(input: $input) { ... on MutationDispatchGridTaskSuccess { data { id } } } }`,
      {
        input: {
          type: 'ROUTINE_PATROL',
          title,
          target: { kind: 'PLACE', description: title },
          cellCode,
          deadline: new Date(clock.getTime() + deadlineHours * HOUR).toISOString(),
        },
      },
      tokens.townA,
    );
    return result<{ data: { id: string } }>(response, 'dispatchGridTask').data.id;
  };
  const act = async (field: string, id: string, token: string): Promise<void> => {
    const response = await hub.graphql(`mutation($id: ID!) { ${field}(id: $id) { __typename } }`, { id }, token);
    expect(result<{ __typename: string }>(response, field).__typename).toMatch(/Success$/);
  };
  const patrol = async (token: string, longitude: number, latitude: number, media: string[]): Promise<void> => {
    const response = await hub.graphql(
      `mutation($input: GridPatrolInput!) { recordGridPatrol(input: $input) { __typename } }`,
      {
        input: {
          patrolledAt: new Date(clock.getTime() - 600_000).toISOString(),
          longitude,
          latitude,
          cellCode: longitude > 104.25 ? 'G01002001' : undefined,
          checklist: { productionStatus: 'PRODUCING', dischargeStatus: 'NORMAL', treatmentFacility: 'RUNNING', hazardousWaste: 'NOT_APPLICABLE' },
          media,
        },
      },
      token,
    );
    expect(result(response, 'recordGridPatrol')).toEqual({ __typename: 'MutationRecordGridPatrolSuccess' });
  };
  const assess = async (token: string, groupBy: string) => {
    const response = await hub.graphql(
      `query($period: GridPeriodInput!, $groupBy: GridAssessmentGroup!) { gridAssessment(period: $period, groupBy: $groupBy) { edges { node { ${ROW} } } } }`,
      { period: PERIOD, groupBy },
      token,
    );
    return response;
  };
  const rows = async (token: string, groupBy: string) => {
    const response = await assess(token, groupBy);
    expect(response.body.errors).toBeUndefined();
    return (response.body.data as { gridAssessment: { edges: { node: Record<string, unknown> }[] } }).gridAssessment.edges.map((e) => e.node);
  };

  beforeAll(async () => {
    hub = await startTestHub({ engine, now: () => clock, env: GRID_ONLY });
    tokens.admin = await hub.token({ roles: ['admin'], sub: 'admin-1' });
    await standardGrid(hub, tokens.admin).build();
    tokens.district = await hub.token({ roles: ['district'], sub: 'district-1' });
    tokens.townA = await hub.token({ roles: ['town'], sub: 'town-a' });
    tokens.a1 = await hub.token({ roles: ['assistant'], sub: 'asst-a1' });
    tokens.a2 = await hub.token({ roles: ['assistant'], sub: 'asst-a2' });
    tokens.b1 = await hub.token({ roles: ['assistant'], sub: 'asst-b1' });

    // 张伟: one task done on time (accepted after 1 h), one late (accepted after 3 h, past its deadline)
    at(1);
    const onTime = await dispatch('G01001001', '按时完成', 48);
    at(2);
    await act('acceptGridTask', onTime, tokens.a1);
    await act('startGridTask', onTime, tokens.a1);
    await act('submitGridTask', onTime, tokens.a1);
    await act('verifyGridTask', onTime, tokens.townA);
    at(3);
    const late = await dispatch('G01001001', '逾期完成', 1);
    at(6);
    expect(await hub.hub.services.get(gridServiceRef).tasks.markOverdue()).toBe(1);
    await act('acceptGridTask', late, tokens.a1);
    await act('startGridTask', late, tokens.a1);
    await act('submitGridTask', late, tokens.a1);
    await act('verifyGridTask', late, tokens.townA);
    // 李娜: one task not yet taken up, still within its deadline
    await dispatch('G01001002', '尚未接收', 48);
    // patrols: 张伟 two, one with a photo; 王强 one
    const form = new FormData();
    form.append('file', new Blob([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3])]), 'site.jpg');
    const uploaded = await fetch(`http://127.0.0.1:${hub.hub.port}/media`, { method: 'POST', headers: { authorization: `Bearer ${tokens.a1}` }, body: form });
    const photo = ((await uploaded.json()) as { media: { id: string }[] }).media[0]?.id as string;
    await patrol(tokens.a1, 104.2, 30.5, [photo]);
    await patrol(tokens.a1, 104.201, 30.501, []);
    await patrol(tokens.b1, 104.3, 30.6, []);
    // the app lost the answer and sent the same patrol again, without a key
    await patrol(tokens.b1, 104.3, 30.6, []);
    at(7);
  });
  afterAll(async () => hub?.stop());

  it('counts, scores and ranks each assistant, the idle listed unranked', async () => {
    expect(await rows(tokens.district, 'ASSISTANT')).toEqual([
      {
        rank: 1,
        unranked: null,
        name: '张伟',
        assignedTasks: 2,
        completedTasks: 2,
        onTimeTasks: 1,
        overdueTasks: 1,
        meanResponseSeconds: 7200,
        patrols: 2,
        media: 1,
        score: 78,
      },
      {
        rank: 2,
        unranked: null,
        name: '王强',
        assignedTasks: 0,
        completedTasks: 0,
        onTimeTasks: 0,
        overdueTasks: 0,
        meanResponseSeconds: null,
        patrols: 1,
        media: 0,
        score: 30,
      },
      {
        rank: 3,
        unranked: null,
        name: '李娜',
        assignedTasks: 1,
        completedTasks: 0,
        onTimeTasks: 0,
        overdueTasks: 0,
        meanResponseSeconds: null,
        patrols: 0,
        media: 0,
        score: 0,
      },
      {
        rank: null,
        unranked: 'NO_ACTIVITY',
        name: '赵敏',
        assignedTasks: 0,
        completedTasks: 0,
        onTimeTasks: 0,
        overdueTasks: 0,
        meanResponseSeconds: null,
        patrols: 0,
        media: 0,
        score: 0,
      },
    ]);
  });

  it('shows each part of the score, the overdue deduction among them', async () => {
    const response = await hub.graphql(
      `query($period: GridPeriodInput!) { gridAssessment(period: $period, groupBy: ASSISTANT) { edges { node { name score parts { completion media overdueDeduction } lines { part applicable share maxPoints points } } } } }`,
      { period: PERIOD },
      tokens.district,
    );
    type Node = {
      name: string;
      score: number;
      parts: Record<string, number | null>;
      lines: { part: string; applicable: boolean; share: number | null; maxPoints: number; points: number }[];
    };
    const nodes = result<{ edges: { node: Node }[] }>(response, 'gridAssessment').edges.map((e) => e.node);
    const zhang = nodes.find((n) => n.name === '张伟') as Node;
    expect(zhang.parts).toEqual({ completion: 1, media: 0.25, overdueDeduction: 2 });
    expect(zhang.lines.map((l) => [l.part, l.points])).toEqual([
      ['COMPLETION', 35],
      ['PUNCTUALITY', 12.5],
      ['RESPONSIVENESS', 15],
      ['PATROLS', 15],
      ['MEDIA', 2.5],
      ['OVERDUE', -2],
    ]);
    const wang = nodes.find((n) => n.name === '王强') as Node;
    expect(wang.parts.completion).toBeNull();
    expect(wang.lines.filter((l) => l.applicable).map((l) => [l.part, l.share, l.maxPoints, l.points])).toEqual([
      ['PATROLS', 0.5, 60, 30],
      ['MEDIA', 0, 40, 0],
    ]);
  });

  it('groups by cell and by town', async () => {
    const cells = await rows(tokens.district, 'CELL');
    expect(cells.map((r) => [r.rank, r.name, r.assignedTasks, r.patrols, r.score])).toEqual([
      [1, '甲一村', 2, 2, 78],
      [2, '乙一村', 0, 1, 30],
      [3, '甲二村', 1, 0, 0],
    ]);
    const towns = await rows(tokens.district, 'TOWN');
    expect(towns.map((r) => [r.rank, r.name, r.assignedTasks, r.completedTasks, r.overdueTasks, r.meanResponseSeconds, r.patrols, r.media, r.score])).toEqual([
      [1, '甲街道', 3, 2, 1, 7200, 2, 1, 58.8],
      [2, '乙镇', 0, 0, 0, null, 1, 0, 30],
    ]);
  });

  it('shows a town officer their town and an assistant their own row', async () => {
    expect((await rows(tokens.townA, 'ASSISTANT')).map((r) => [r.rank, r.name, r.score])).toEqual([
      [1, '张伟', 78],
      [2, '李娜', 0],
    ]);
    expect((await rows(tokens.townA, 'TOWN')).map((r) => r.name)).toEqual(['甲街道']);
    expect((await rows(tokens.a1, 'ASSISTANT')).map((r) => [r.name, r.score])).toEqual([['张伟', 78]]);
    expect((await assess(tokens.a1, 'TOWN')).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const enterprise = await hub.token({ roles: ['enterprise'], enterprise: '91510112MA61XXXX0A', sub: 'ent-1' });
    expect((await assess(enterprise, 'ASSISTANT')).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('refuses a period that is empty or longer than a year', async () => {
    const response = await hub.graphql(
      `{ gridAssessment(period: { from: "2025-03-01T00:00:00Z", to: "2026-06-01T00:00:00Z" }, groupBy: CELL) { edges { node { rank } } } }`,
      {},
      tokens.district,
    );
    expect(response.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
