import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../support/hub';
import { startWebhookReceiver, until } from '../support/webhook';
import { result, standardGrid } from '../modules/grid/support';

const HOUR = 3_600_000;

/** A day of a grid assistant, over the public surface only: what the app does, in order. */
describe('a day of a grid assistant', () => {
  let hub: TestHub;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  const tokens = { admin: '', town: '', assistant: '' };
  let taskId = '';

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    hub = await startTestHub({ env: { HUB_MODULES: 'grid,notify', NOTIFY_WEBHOOK_URL: receiver.url, NOTIFY_WEBHOOK_SECRET: 'gateway-secret-0123456789' } });
    tokens.admin = await hub.token({ roles: ['admin'], sub: 'admin-1' });
    await standardGrid(hub, tokens.admin).build();
    tokens.town = await hub.token({ roles: ['town'], sub: 'town-a' });
    tokens.assistant = await hub.token({ roles: ['assistant'], sub: 'asst-a1' });
  });
  afterAll(async () => {
    await hub?.stop();
    await receiver?.close();
  });

  it('gets the task through the gateway, accepts, patrols, submits, is verified and reads the score', async () => {
    const act = async (field: string, token: string, key?: string) => {
      const response = await hub.graphql(`mutation($id: ID!, $key: String) { ${field}(id: $id, idempotencyKey: $key) { __typename } }`, { id: taskId, key }, token);
      return result<{ __typename: string }>(response, field).__typename;
    };
    // 08:30 the town officer dispatches; the phone in the pocket gets it through the gateway
    const dispatched = await hub.graphql(
      `mutation($input: GridDispatchTaskInput!) { dispatchGridTask(input: $input) { ... on MutationDispatchGridTaskSuccess { data { id } } } }`,
      { input: { type: 'ROUTINE_PATROL', title: '甲一村日常巡查', target: { kind: 'PLACE', longitude: 104.2, latitude: 30.5 }, deadline: new Date(Date.now() + 8 * HOUR).toISOString() } },
      tokens.town,
    );
    taskId = result<{ data: { id: string } }>(dispatched, 'dispatchGridTask').data.id;
    await until(() => receiver.calls.some((c) => c.body.includes('甲一村日常巡查')), 'the SMS/push gateway call');
    const inbox = await hub.graphql(`{ myNotifications(first: 5, unreadOnly: true) { edges { node { id kind subjectId } } } }`, {}, tokens.assistant);
    const note = result<{ edges: { node: { id: string; kind: string; subjectId: string } }[] }>(inbox, 'myNotifications').edges[0]?.node;
    expect(note).toMatchObject({ kind: 'TASK_ASSIGNED', subjectId: taskId });
    expect(result<number>(await hub.graphql(`mutation($ids: [ID!]) { markNotificationsRead(ids: $ids) }`, { ids: [note?.id] }, tokens.assistant), 'markNotificationsRead')).toBe(1);

    // accept and start
    expect(await act('acceptGridTask', tokens.assistant, 'day-accept-0001')).toBe('MutationAcceptGridTaskSuccess');
    expect(await act('startGridTask', tokens.assistant, 'day-start-00001')).toBe('MutationStartGridTaskSuccess');

    // MEDIA STEP: the site video (50 MiB, uploaded in chunks, resumable) is attached here once chunked uploads are part of the media API

    // the patrol, sent again after the network dropped
    const patrol = {
      task: taskId,
      patrolledAt: new Date(Date.now() - 10 * 60_000).toISOString(),
      longitude: 104.2,
      latitude: 30.5,
      checklist: { productionStatus: 'PRODUCING', dischargeStatus: 'NORMAL', treatmentFacility: 'RUNNING', hazardousWaste: 'COMPLIANT' },
      idempotencyKey: 'day-patrol-00001',
    };
    const send = async () =>
      result<{ data: { id: string } }>(
        await hub.graphql(`mutation($input: GridPatrolInput!) { recordGridPatrol(input: $input) { ... on MutationRecordGridPatrolSuccess { data { id } } } }`, { input: patrol }, tokens.assistant),
        'recordGridPatrol',
      ).data.id;
    expect(await send()).toBe(await send());

    // submit, retried twice
    expect([await act('submitGridTask', tokens.assistant, 'day-submit-0001'), await act('submitGridTask', tokens.assistant, 'day-submit-0001'), await act('submitGridTask', tokens.assistant, 'day-submit-0001')]).toEqual(
      Array(3).fill('MutationSubmitGridTaskSuccess'),
    );
    // the town officer verifies
    expect(await act('verifyGridTask', tokens.town)).toBe('MutationVerifyGridTaskSuccess');

    // the score, read back by the assistant
    const from = new Date(Date.now() - 24 * HOUR).toISOString();
    const to = new Date(Date.now() + HOUR).toISOString();
    const score = await hub.graphql(
      `query($period: GridPeriodInput!) { gridAssessment(period: $period, groupBy: ASSISTANT) { edges { node { name rank unranked assignedTasks completedTasks patrols score lines { part points } } } } }`,
      { period: { from, to } },
      tokens.assistant,
    );
    const [row] = result<{ edges: { node: { name: string; rank: number; unranked: string | null; assignedTasks: number; completedTasks: number; patrols: number; score: number } }[] }>(score, 'gridAssessment').edges.map((e) => e.node);
    expect(row).toMatchObject({ name: '张伟', rank: 1, unranked: null, assignedTasks: 1, completedTasks: 1, patrols: 1 });
    expect(row?.score).toBeGreaterThan(0);
  });
});
