import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestHub, type TestHub } from '../../support/hub';
import { collect, connectWs } from '../../support/ws';
import { gridServiceRef } from '../../../modules/grid/public';
import { GRID_ONLY, RESULT_FIELDS, data, result, standardGrid } from './support';

const TASK = `id status title cellCode assignee { name } availableActions history { action fromStatus toStatus actor note }`;
const capital = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

interface Task {
  id: string;
  status: string;
  title: string;
  cellCode: string;
  assignee: { name: string } | null;
  availableActions: string[];
  history: { action: string; fromStatus: string | null; toStatus: string; actor: string; note: string | null }[];
}

describe.each(ENGINES)('grid tasks on %s', (engine) => {
  let hub: TestHub;
  let clock = new Date();
  let ids: Map<string, string>;
  const tokens = { admin: '', district: '', townA: '', townB: '', a1: '', a2: '', b1: '', enterprise: '' };

  const dispatch = async (token: string, input: Record<string, unknown>) =>
    result<{ __typename: string; data?: Task; problems?: { path: string }[] }>(
      await hub.graphql(
        `mutation($input: GridDispatchTaskInput!) { dispatchGridTask(input: $input) { ${RESULT_FIELDS} ... on MutationDispatchGridTaskSuccess { data { ${TASK} } } } }`,
        { input },
        token,
      ),
      'dispatchGridTask',
    );
  const act = async (field: string, id: string, token: string, note?: string) =>
    result<{ __typename: string; data?: Task; message?: string }>(
      await hub.graphql(
        `mutation($id: ID!, $note: String) { ${field}(id: $id, note: $note) { ${RESULT_FIELDS} ... on Mutation${capital(field)}Success { data { ${TASK} } } } }`,
        { id, note },
        token,
      ),
      field,
    );
  const deadline = (hours: number): string => new Date(clock.getTime() + hours * 3_600_000).toISOString();
  const routine = (cellCode: string, extra: Record<string, unknown> = {}) => ({
    type: 'ROUTINE_PATROL',
    title: `巡查 ${cellCode}`,
    target: { kind: 'PLACE', description: '辖区' },
    cellCode,
    deadline: deadline(48),
    ...extra,
  });
  const visibleTitles = async (token: string): Promise<string[]> => {
    const response = await hub.graphql(`{ gridTasks(first: 100) { edges { node { title } } } }`, {}, token);
    expect(response.body.errors).toBeUndefined();
    return (response.body.data as { gridTasks: { edges: { node: { title: string } }[] } }).gridTasks.edges.map((e) => e.node.title).sort();
  };

  beforeAll(async () => {
    hub = await startTestHub({ engine, now: () => clock, env: GRID_ONLY });
    tokens.admin = await hub.token({ roles: ['admin'], sub: 'admin-1' });
    ids = await standardGrid(hub, tokens.admin).build();
    tokens.district = await hub.token({ roles: ['district'], sub: 'district-1', name: '区局值班' });
    tokens.townA = await hub.token({ roles: ['town'], sub: 'town-a' });
    tokens.townB = await hub.token({ roles: ['town'], sub: 'town-b' });
    tokens.a1 = await hub.token({ roles: ['assistant'], sub: 'asst-a1' });
    tokens.a2 = await hub.token({ roles: ['assistant'], sub: 'asst-a2' });
    tokens.b1 = await hub.token({ roles: ['assistant'], sub: 'asst-b1' });
    tokens.enterprise = await hub.token({ roles: ['enterprise'], enterprise: '91510112MA61XXXX0A', sub: 'ent-1' });
  });
  afterAll(async () => hub?.stop());

  it('takes a task through every stage, recording who did what', async () => {
    const dispatched = await dispatch(tokens.district, routine('G01001001'));
    expect(dispatched.__typename).toBe('MutationDispatchGridTaskSuccess');
    const task = dispatched.data as Task;
    expect(task).toMatchObject({ status: 'DISPATCHED', cellCode: 'G01001001', assignee: { name: '张伟' }, availableActions: ['ACCEPT'] });
    const steps: [string, keyof typeof tokens, string, string | undefined][] = [
      ['acceptGridTask', 'a1', 'ACCEPTED', undefined],
      ['startGridTask', 'a1', 'IN_PROGRESS', undefined],
      ['submitGridTask', 'a1', 'SUBMITTED', '已现场检查'],
      ['returnGridTask', 'townA', 'RETURNED', '缺少照片'],
      ['startGridTask', 'a1', 'IN_PROGRESS', undefined],
      ['submitGridTask', 'a1', 'SUBMITTED', '已补充照片'],
      ['verifyGridTask', 'townA', 'VERIFIED', undefined],
    ];
    for (const [field, who, status, note] of steps) {
      const outcome = await act(field, task.id, tokens[who], note);
      expect(outcome.__typename, `${field} by ${who}`).toBe(`Mutation${capital(field)}Success`);
      expect(outcome.data?.status).toBe(status);
    }
    const final = await act('verifyGridTask', task.id, tokens.townA);
    expect(final).toMatchObject({ __typename: 'ConflictError' });
    const read = await hub.graphql(`query($id: ID!) { gridTask(id: $id) { ${TASK} } }`, { id: task.id }, tokens.a1);
    const history = (read.body.data as { gridTask: Task }).gridTask.history;
    expect(history).toEqual([
      { action: 'DISPATCH', fromStatus: null, toStatus: 'DISPATCHED', actor: 'district-1', note: null },
      { action: 'ACCEPT', fromStatus: 'DISPATCHED', toStatus: 'ACCEPTED', actor: 'asst-a1', note: null },
      { action: 'START', fromStatus: 'ACCEPTED', toStatus: 'IN_PROGRESS', actor: 'asst-a1', note: null },
      { action: 'SUBMIT', fromStatus: 'IN_PROGRESS', toStatus: 'SUBMITTED', actor: 'asst-a1', note: '已现场检查' },
      { action: 'RETURN', fromStatus: 'SUBMITTED', toStatus: 'RETURNED', actor: 'town-a', note: '缺少照片' },
      { action: 'START', fromStatus: 'RETURNED', toStatus: 'IN_PROGRESS', actor: 'asst-a1', note: null },
      { action: 'SUBMIT', fromStatus: 'IN_PROGRESS', toStatus: 'SUBMITTED', actor: 'asst-a1', note: '已补充照片' },
      { action: 'VERIFY', fromStatus: 'SUBMITTED', toStatus: 'VERIFIED', actor: 'town-a', note: null },
    ]);
    expect((read.body.data as { gridTask: Task }).gridTask.availableActions).toEqual([]);
  });

  it('rejects transitions the state does not allow, and actors who may not take them', async () => {
    const task = (await dispatch(tokens.townA, routine('G01001001', { title: '无效操作' }))).data as Task;
    expect(await act('startGridTask', task.id, tokens.a1)).toMatchObject({ __typename: 'ConflictError' });
    expect(await act('submitGridTask', task.id, tokens.a1)).toMatchObject({ __typename: 'ConflictError' });
    expect(await act('verifyGridTask', task.id, tokens.townA)).toMatchObject({ __typename: 'ConflictError' });
    expect(await act('returnGridTask', task.id, tokens.townA, '退回')).toMatchObject({ __typename: 'ConflictError' });
    expect(await act('acceptGridTask', task.id, tokens.a1)).toMatchObject({ __typename: 'MutationAcceptGridTaskSuccess' });
    expect(await act('acceptGridTask', task.id, tokens.a1)).toMatchObject({ __typename: 'ConflictError' });
    // an officer does not do the assistant's part, nor the assistant the officer's
    expect(await act('startGridTask', task.id, tokens.townA)).toMatchObject({ __typename: 'ForbiddenError' });
    await act('startGridTask', task.id, tokens.a1);
    await act('submitGridTask', task.id, tokens.a1);
    expect(await act('verifyGridTask', task.id, tokens.a1)).toMatchObject({ __typename: 'ForbiddenError' });
    expect(await act('returnGridTask', task.id, tokens.townA)).toMatchObject({ __typename: 'ValidationError' });
    // outside their grid the task does not exist for them
    expect(await act('verifyGridTask', task.id, tokens.townB)).toMatchObject({ __typename: 'NotFoundError' });
    expect(await act('acceptGridTask', task.id, tokens.a2)).toMatchObject({ __typename: 'NotFoundError' });
    const read = await hub.graphql(`query($id: ID!) { gridTask(id: $id) { status history { action } } }`, { id: task.id }, tokens.district);
    expect(read.body.data).toEqual({
      gridTask: { status: 'SUBMITTED', history: [{ action: 'DISPATCH' }, { action: 'ACCEPT' }, { action: 'START' }, { action: 'SUBMIT' }] },
    });
  });

  it('validates dispatch and places a task from its target', async () => {
    expect(await dispatch(tokens.townB, routine('G01001001'))).toMatchObject({ __typename: 'ForbiddenError' });
    expect(await dispatch(tokens.district, routine('G01001001', { deadline: deadline(-1) }))).toMatchObject({
      __typename: 'ValidationError',
      problems: [{ path: 'deadline' }],
    });
    expect(await dispatch(tokens.district, routine('G01001001', { assignee: ids.get('asst-b1') }))).toMatchObject({
      __typename: 'ValidationError',
      problems: [{ path: 'assignee' }],
    });
    expect(await dispatch(tokens.district, routine('G09'))).toMatchObject({ __typename: 'NotFoundError' });
    expect(await dispatch(tokens.district, { ...routine('G01001001'), target: { kind: 'SOURCE', uscc: 'bad' } })).toMatchObject({
      __typename: 'ValidationError',
      problems: [{ path: 'target.uscc' }],
    });
    const placed = await dispatch(tokens.district, {
      type: 'COMPLAINT',
      title: '投诉：异味',
      target: { kind: 'PLACE', longitude: 104.225, latitude: 30.495 },
      deadline: deadline(24),
    });
    expect(placed.data).toMatchObject({ cellCode: 'G01001002', assignee: { name: '李娜' } });
    const monitor = await hub.graphql(
      `mutation { createMonitor(input: { mn: "TASK-M1", password: "p", name: "乙一村排口", kind: WASTEWATER_OUTLET, intervalSeconds: 60, cellCode: "G01002001" }) { __typename ... on MutationCreateMonitorSuccess { data { id } } } }`,
      {},
      tokens.admin,
    );
    const monitorId = data<{ id: string }>(monitor, 'createMonitor').id;
    const onMonitor = await dispatch(tokens.district, {
      type: 'SPECIAL_CAMPAIGN',
      title: '排口专项',
      target: { kind: 'MONITOR', monitor: monitorId },
      deadline: deadline(24),
    });
    expect(onMonitor.data).toMatchObject({ cellCode: 'G01002001', assignee: { name: '王强' } });
    const assistant = await hub.graphql(
      `mutation($input: GridDispatchTaskInput!) { dispatchGridTask(input: $input) { __typename } }`,
      { input: routine('G01001001') },
      tokens.a1,
    );
    expect(assistant.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('shows each viewer the tasks of their grid only', async () => {
    await dispatch(tokens.district, routine('G01002001', { title: '乙村任务' }));
    const all = await visibleTitles(tokens.district);
    expect(all).toEqual(['乙村任务', '巡查 G01001001', '无效操作', '投诉：异味', '排口专项'].sort());
    expect(await visibleTitles(tokens.a1)).toEqual(['巡查 G01001001', '无效操作'].sort());
    expect(await visibleTitles(tokens.a2)).toEqual(['投诉：异味']);
    expect(await visibleTitles(tokens.b1)).toEqual(['乙村任务', '排口专项'].sort());
    expect(await visibleTitles(tokens.townA)).toEqual(['巡查 G01001001', '无效操作', '投诉：异味'].sort());
    expect(await visibleTitles(tokens.townB)).toEqual(['乙村任务', '排口专项'].sort());
    // a token naming its cells needs no staff record
    expect(await visibleTitles(await hub.token({ roles: ['assistant'], sub: 'asst-external', cells: ['G01002001'] }))).toEqual(['乙村任务', '排口专项'].sort());
    expect(await visibleTitles(await hub.token({ roles: ['town'], sub: 'town-external', cells: ['G01001'] }))).toEqual(
      ['巡查 G01001001', '无效操作', '投诉：异味'].sort(),
    );
    const enterprise = await hub.graphql(`{ gridTasks { edges { node { title } } } }`, {}, tokens.enterprise);
    expect(enterprise.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const anonymous = await hub.graphql(`{ gridTasks { edges { node { title } } } }`);
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const mine = await hub.graphql(`{ gridTasks(filter: { mine: true, status: [VERIFIED] }) { edges { node { title } } } }`, {}, tokens.a1);
    expect(mine.body.data).toEqual({ gridTasks: { edges: [{ node: { title: '巡查 G01001001' } }] } });
  });

  it('hands a task to another assistant of the cell', async () => {
    const task = (await dispatch(tokens.townA, routine('G01001001', { title: '转派' }))).data as Task;
    await act('acceptGridTask', task.id, tokens.a1);
    const reassign = async (assignee: string) =>
      result<{ __typename: string; data?: Task }>(
        await hub.graphql(
          `mutation($id: ID!, $to: ID!) { reassignGridTask(id: $id, assignee: $to, note: "人员调整") { ${RESULT_FIELDS} ... on MutationReassignGridTaskSuccess { data { ${TASK} } } } }`,
          { id: task.id, to: assignee },
          tokens.townA,
        ),
        'reassignGridTask',
      );
    expect(await reassign(ids.get('asst-a2') as string)).toMatchObject({ __typename: 'ValidationError' });
    const assigned = await hub.graphql(
      `mutation($staff: ID!) { assignGridAssistant(input: { staff: $staff, cellCode: "G01001001", validFrom: "2024-06-01T00:00:00+08:00" }) { __typename } }`,
      { staff: ids.get('asst-a2') },
      tokens.townA,
    );
    expect(result(assigned, 'assignGridAssistant')).toEqual({ __typename: 'MutationAssignGridAssistantSuccess' });
    const outside = await hub.graphql(
      `mutation($staff: ID!) { assignGridAssistant(input: { staff: $staff, cellCode: "G01002001", validFrom: "2024-06-01T00:00:00+08:00" }) { __typename } }`,
      { staff: ids.get('asst-a2') },
      tokens.townA,
    );
    expect(result(outside, 'assignGridAssistant')).toEqual({ __typename: 'ForbiddenError' });
    const moved = await reassign(ids.get('asst-a2') as string);
    expect(moved.data).toMatchObject({ status: 'DISPATCHED', assignee: { name: '李娜' } });
    expect(moved.data?.history.at(-1)).toEqual({ action: 'REASSIGN', fromStatus: 'ACCEPTED', toStatus: 'DISPATCHED', actor: 'town-a', note: '人员调整' });
    expect(await act('startGridTask', task.id, tokens.a1)).toMatchObject({ __typename: 'ForbiddenError' });
    expect(await act('acceptGridTask', task.id, tokens.a2)).toMatchObject({ __typename: 'MutationAcceptGridTaskSuccess' });
  });

  it('marks tasks overdue once when the deadline passes, and they go on from where they were', async () => {
    const task = (await dispatch(tokens.townB, routine('G01002001', { title: '限时', deadline: deadline(1) }))).data as Task;
    const service = hub.hub.services.get(gridServiceRef);
    expect(await service.tasks.markOverdue()).toBe(0);
    clock = new Date(clock.getTime() + 2 * 3_600_000);
    expect(await service.tasks.markOverdue()).toBeGreaterThanOrEqual(1);
    expect(await service.tasks.markOverdue()).toBe(0);
    const read = async () =>
      (
        await hub.graphql(
          `query($id: ID!) { gridTask(id: $id) { status availableActions overdueAt history { action actor toStatus } } }`,
          { id: task.id },
          tokens.b1,
        )
      ).body.data as {
        gridTask: { status: string; availableActions: string[]; overdueAt: string; history: { action: string; actor: string; toStatus: string }[] };
      };
    const overdue = await read();
    expect(overdue.gridTask).toMatchObject({ status: 'OVERDUE', availableActions: ['ACCEPT'], overdueAt: clock.toISOString() });
    expect(overdue.gridTask.history.at(-1)).toEqual({ action: 'MARK_OVERDUE', actor: 'system', toStatus: 'OVERDUE' });
    expect(await act('startGridTask', task.id, tokens.b1)).toMatchObject({ __typename: 'ConflictError' });
    expect(await act('acceptGridTask', task.id, tokens.b1)).toMatchObject({ __typename: 'MutationAcceptGridTaskSuccess', data: { status: 'ACCEPTED' } });
    expect(await service.tasks.markOverdue()).toBe(0);
  });

  it('tells an assistant of their own assignments live, and an officer of every change in their town', async () => {
    const ownWs = connectWs(hub.hub.port, tokens.a1);
    const townWs = connectWs(hub.hub.port, tokens.townB);
    try {
      const own = collect<{ taskAssigned: { kind: string; title: string; cellCode: string; task: { title: string } | null } }>(
        ownWs.client,
        `subscription { taskAssigned(since: "0") { kind title cellCode task { title } } }`,
      );
      const town = collect<{ gridTaskEvents: { kind: string; title: string; cellCode: string } }>(
        townWs.client,
        `subscription { gridTaskEvents(since: "0") { kind title cellCode } }`,
      );
      await dispatch(tokens.district, routine('G01001002', { title: '给李娜的' }));
      await dispatch(tokens.district, routine('G01001001', { title: '给张伟的最后一个' }));
      await own.until(4);
      const received = own.received.map((r) => r.data?.taskAssigned);
      expect(received.every((e) => e?.cellCode === 'G01001001' && e.kind === 'ASSIGNED')).toBe(true);
      expect(received.map((e) => e?.title)).toEqual(['巡查 G01001001', '无效操作', '转派', '给张伟的最后一个']);
      expect(received.at(-1)?.task).toEqual({ title: '给张伟的最后一个' });
      await town.until(1);
      await dispatch(tokens.district, routine('G01002001', { title: '乙镇哨兵' }));
      await new Promise<void>((resolve) => {
        const wait = (): void => {
          if (town.received.some((r) => r.data?.gridTaskEvents.title === '乙镇哨兵') || town.ended) resolve();
          else setTimeout(wait, 20);
        };
        wait();
      });
      const events = town.received.map((r) => r.data?.gridTaskEvents);
      expect(events.every((e) => e?.cellCode.startsWith('G01002'))).toBe(true);
      expect(events.map((e) => `${e?.kind} ${e?.title}`)).toEqual(
        expect.arrayContaining(['ASSIGNED 排口专项', 'ASSIGNED 乙村任务', 'ASSIGNED 限时', 'OVERDUE 限时', 'ACCEPTED 限时', 'ASSIGNED 乙镇哨兵']),
      );
      own.dispose();
      town.dispose();
    } finally {
      await ownWs.dispose();
      await townWs.dispose();
    }
    const enterpriseWs = connectWs(hub.hub.port, tokens.enterprise);
    try {
      const denied = collect(enterpriseWs.client, `subscription { taskAssigned { kind } }`);
      await denied.until(1);
      expect(JSON.stringify(denied.received[0]?.errors ?? denied.ended?.error)).toContain('FORBIDDEN');
    } finally {
      await enterpriseWs.dispose();
    }
  });

  it('answers tasks with all their relations in a fixed number of statements', async () => {
    const query = (first: number) => `{ gridTasks(first: ${first}) { edges { node {
      title assignee { name organisation { name } }
      cell { code parent { code } ancestors { code } officers { name } assistants { name } }
      history { action } patrols { author { name } media { id } }
      target { monitor { mn } } exceedance { factor }
    } } } }`;
    const statementsFor = async (first: number): Promise<number> => {
      const before = hub.hub.db.statementCount();
      const response = await hub.graphql(query(first), {}, tokens.district);
      expect(response.body.errors).toBeUndefined();
      expect((response.body.data as { gridTasks: { edges: unknown[] } }).gridTasks.edges).toHaveLength(first);
      return hub.hub.db.statementCount() - before;
    };
    // from 8 on, the page holds a task of every kind of target, so every loader is in use
    const eight = await statementsFor(8);
    expect(await statementsFor(10)).toBe(eight);
  });
});
