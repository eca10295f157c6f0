import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestHub, type TestHub } from '../support/hub';
import { createMonitor } from '../support/monitoring';
import { GRID_ONLY, result, standardGrid } from '../modules/grid/support';

const P0 = new Date('2025-03-03T00:00:00+08:00');
const HOUR = 3_600_000;
const PATROL = `mutation($input: GridPatrolInput!) {
  recordGridPatrol(input: $input) { __typename ... on MutationRecordGridPatrolSuccess { data { id } } ... on Error { message } }
}`;

describe.each(ENGINES)('idempotency keys on %s', (engine) => {
  let hub: TestHub;
  let clock = new Date(P0.getTime() + HOUR);
  const tokens = { admin: '', townA: '', a1: '', a2: '', device: '' };
  const patrolInput = (key: string | undefined, notes = '厂区巡查') => ({
    patrolledAt: new Date(P0.getTime() + 30 * 60_000).toISOString(),
    longitude: 104.2,
    latitude: 30.5,
    checklist: { productionStatus: 'PRODUCING', dischargeStatus: 'NORMAL', treatmentFacility: 'RUNNING', hazardousWaste: 'NOT_APPLICABLE' },
    notes,
    ...(key ? { idempotencyKey: key } : {}),
  });
  const sendPatrol = async (token: string, input: Record<string, unknown>) =>
    result<{ __typename: string; data?: { id: string }; message?: string }>(await hub.graphql(PATROL, { input }, token), 'recordGridPatrol');
  const patrolCount = async () => {
    const response = await hub.graphql(`{ gridPatrols(first: 50) { totalCount } }`, {}, tokens.admin);
    return result<{ totalCount: number }>(response, 'gridPatrols').totalCount;
  };

  beforeAll(async () => {
    hub = await startTestHub({ engine, now: () => clock, env: { ...GRID_ONLY, IDEMPOTENCY_KEY_HOURS: '2' } });
    tokens.admin = await hub.token({ roles: ['admin'], sub: 'admin-1' });
    await standardGrid(hub, tokens.admin).build();
    tokens.townA = await hub.token({ roles: ['town'], sub: 'town-a' });
    tokens.a1 = await hub.token({ roles: ['assistant'], sub: 'asst-a1' });
    tokens.a2 = await hub.token({ roles: ['assistant'], sub: 'asst-a2' });
  });
  afterAll(async () => hub?.stop());

  it('records a patrol sent three times with one key once, and counts it once in the assessment', async () => {
    const before = await patrolCount();
    const key = 'c5b0a7e2-3f51-4a8e-9d3b-5f0e2c1a9b01';
    const answers = [
      await sendPatrol(tokens.a1, patrolInput(key)),
      await sendPatrol(tokens.a1, patrolInput(key)),
      await sendPatrol(tokens.a1, patrolInput(key)),
    ];
    expect(answers.map((a) => a.__typename)).toEqual(Array(3).fill('MutationRecordGridPatrolSuccess'));
    expect(new Set(answers.map((a) => a.data?.id)).size).toBe(1);
    expect(await patrolCount()).toBe(before + 1);
    const assessment = await hub.graphql(
      `query($period: GridPeriodInput!) { gridAssessment(period: $period, groupBy: ASSISTANT) { edges { node { name patrols } } } }`,
      { period: { from: P0.toISOString(), to: new Date(P0.getTime() + 7 * 24 * HOUR).toISOString() } },
      tokens.a1,
    );
    expect(result<{ edges: { node: { name: string; patrols: number } }[] }>(assessment, 'gridAssessment').edges.map((e) => e.node)).toEqual([
      { name: '张伟', patrols: 1 },
    ]);
  });

  it('refuses a key used again with a different request, and keeps keys apart per identity', async () => {
    const key = 'key-reused-0001';
    expect((await sendPatrol(tokens.a1, patrolInput(key, '第一次'))).__typename).toBe('MutationRecordGridPatrolSuccess');
    const refused = await sendPatrol(tokens.a1, patrolInput(key, '内容不同'));
    expect(refused.__typename).toBe('ConflictError');
    expect(refused.message).toMatch(/idempotency key was already used for a different recordGridPatrol request/);
    // another person's key of the same spelling is their own
    const other = await sendPatrol(tokens.a2, { ...patrolInput(key, '第一次'), longitude: 104.22 });
    expect(other.__typename).toBe('MutationRecordGridPatrolSuccess');
  });

  it('refuses a malformed key', async () => {
    const response = await hub.graphql(PATROL, { input: patrolInput('short') }, tokens.a1);
    expect(result<{ __typename: string }>(response, 'recordGridPatrol').__typename).toBe('ValidationError');
  });

  it('acts on a task once however often a transition is sent, and lets a refused one be sent again', async () => {
    const dispatched = await hub.graphql(
      `mutation($input: GridDispatchTaskInput!) { dispatchGridTask(input: $input) { ... on MutationDispatchGridTaskSuccess { data { id } } } }`,
      {
        input: {
          type: 'ROUTINE_PATROL',
          title: '重试测试',
          target: { kind: 'PLACE', description: '村口' },
          cellCode: 'G01001001',
          deadline: new Date(clock.getTime() + 48 * HOUR).toISOString(),
        },
      },
      tokens.townA,
    );
    const id = result<{ data: { id: string } }>(dispatched, 'dispatchGridTask').data.id;
    const act = async (field: string, key?: string) => {
      const response = await hub.graphql(
        `mutation($id: ID!, $key: String) { ${field}(id: $id, idempotencyKey: $key) { __typename ... on Error { message } ... on Mutation${field[0]?.toUpperCase()}${field.slice(1)}Success { data { status history { action } } } } }`,
        { id, key },
        tokens.a1,
      );
      return result<{ __typename: string; message?: string; data?: { status: string; history: { action: string }[] } }>(response, field);
    };
    // submitting before starting is refused, and the key stays free for the real press
    expect((await act('submitGridTask', 'submit-key-0001')).__typename).toBe('ConflictError');
    expect((await act('acceptGridTask', 'accept-key-0001')).data?.status).toBe('ACCEPTED');
    expect((await act('acceptGridTask', 'accept-key-0001')).data?.status).toBe('ACCEPTED');
    expect((await act('startGridTask')).__typename).toBe('MutationStartGridTaskSuccess');
    const submitted = [
      await act('submitGridTask', 'submit-key-0001'),
      await act('submitGridTask', 'submit-key-0001'),
      await act('submitGridTask', 'submit-key-0001'),
    ];
    expect(submitted.map((s) => s.data?.status)).toEqual(['SUBMITTED', 'SUBMITTED', 'SUBMITTED']);
    expect(submitted[2]?.data?.history.map((h) => h.action)).toEqual(['DISPATCH', 'ACCEPT', 'START', 'SUBMIT']);
    // without a key a second submit is what it is: a conflict
    expect((await act('submitGridTask')).__typename).toBe('ConflictError');
  });

  it('answers a retried ingest batch as the first time', async () => {
    await createMonitor(hub, tokens.admin, { mn: 'IDEMP000000001', cellCode: 'G01001001' });
    const device = await hub.token({ roles: ['device'], sub: 'device-idemp', mns: ['IDEMP000000001'] });
    const send = async () => {
      const response = await hub.graphql(
        `mutation($readings: [ReadingInput!]!, $key: String) { ingestReadings(readings: $readings, idempotencyKey: $key) { __typename ... on MutationIngestReadingsSuccess { data { accepted duplicates } } } }`,
        {
          readings: [{ mn: 'IDEMP000000001', factor: 'w01018', interval: 'RTD', time: new Date(clock.getTime() - 60_000).toISOString(), value: 12.5 }],
          key: 'batch-0000000001',
        },
        device,
      );
      return result<{ data: { accepted: number; duplicates: number } }>(response, 'ingestReadings').data;
    };
    expect(await send()).toEqual({ accepted: 1, duplicates: 0 });
    expect(await send()).toEqual({ accepted: 1, duplicates: 0 });
  });

  it('forgets a key after IDEMPOTENCY_KEY_HOURS', async () => {
    const key = 'expiring-key-0001';
    const first = await sendPatrol(tokens.a1, { ...patrolInput(key), longitude: 104.205 });
    clock = new Date(clock.getTime() + 3 * HOUR);
    const later = await sendPatrol(tokens.a1, { ...patrolInput(key), longitude: 104.205 });
    expect(later.__typename).toBe('MutationRecordGridPatrolSuccess');
    expect(later.data?.id).not.toBe(first.data?.id);
  });
});
