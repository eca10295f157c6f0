import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServerDatabase, ENGINES, SERVER_ENGINE, startTestHub, type TestHub } from '../../support/hub';
import { startWebhookReceiver, until, type WebhookCall } from '../../support/webhook';
import { result, standardGrid } from '../grid/support';

const SECRET = 'gateway-secret-0123456789';
const HOUR = 3_600_000;
const env = (url: string, extra: Record<string, string> = {}) => ({
  HUB_MODULES: 'grid,notify',
  NOTIFY_WEBHOOK_URL: url,
  NOTIFY_WEBHOOK_SECRET: SECRET,
  NOTIFY_WEBHOOK_BACKOFF_SECONDS: '60',
  NOTIFY_WEBHOOK_MAX_ATTEMPTS: '3',
  ...extra,
});

function signed(call: WebhookCall): boolean {
  const timestamp = call.headers['x-envhub-timestamp'] ?? '';
  const expected = `sha256=${createHmac('sha256', SECRET).update(`${timestamp}.${call.body}`).digest('hex')}`;
  return call.headers['x-envhub-signature'] === expected;
}

async function dispatch(hub: TestHub, token: string, title: string, now: Date): Promise<string> {
  const response = await hub.graphql(
    `mutation($input: GridDispatchTaskInput!) { dispatchGridTask(input: $input) { ... on MutationDispatchGridTaskSuccess { data { id } } } }`,
    {
      input: {
        type: 'ROUTINE_PATROL',
        title,
        target: { kind: 'PLACE', description: title },
        cellCode: 'G01001001',
        deadline: new Date(now.getTime() + 48 * HOUR).toISOString(),
      },
    },
    token,
  );
  return result<{ data: { id: string } }>(response, 'dispatchGridTask').data.id;
}

const callsFor = (calls: WebhookCall[], title: string) => calls.filter((c) => (JSON.parse(c.body) as { title: string }).title.includes(title));

describe.each(ENGINES)('notifications on %s', (engine) => {
  let hub: TestHub;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let offset = 0;
  const now = () => new Date(Date.now() + offset);
  const tokens = { admin: '', townA: '', a1: '' };

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    hub = await startTestHub({ engine, now, env: env(receiver.url) });
    tokens.admin = await hub.token({ roles: ['admin'], sub: 'admin-1' });
    await standardGrid(hub, tokens.admin).build();
    tokens.townA = await hub.token({ roles: ['town'], sub: 'town-a' });
    tokens.a1 = await hub.token({ roles: ['assistant'], sub: 'asst-a1' });
  });
  afterAll(async () => {
    await hub?.stop();
    await receiver?.close();
  });

  it('sends a signed notification to the gateway when a task is dispatched to an assistant, and shows it in the app', async () => {
    await dispatch(hub, tokens.townA, '河道巡查', now());
    await until(() => callsFor(receiver.calls, '河道巡查').length > 0, 'the webhook call');
    const [call] = callsFor(receiver.calls, '河道巡查') as [WebhookCall];
    expect(signed(call)).toBe(true);
    expect(JSON.parse(call.body)).toMatchObject({ recipient: 'asst-a1', kind: 'TASK_ASSIGNED', title: '新任务：河道巡查', subject: { type: 'GridTask' } });
    const mine = await hub.graphql(`{ myNotifications(first: 10, unreadOnly: true) { totalCount edges { node { id kind title readAt } } } }`, {}, tokens.a1);
    const list = result<{ totalCount: number; edges: { node: { id: string; kind: string; title: string; readAt: string | null } }[] }>(mine, 'myNotifications');
    expect(list.edges[0]?.node).toMatchObject({ kind: 'TASK_ASSIGNED', title: '新任务：河道巡查', readAt: null });
    const marked = await hub.graphql(`mutation($ids: [ID!]) { markNotificationsRead(ids: $ids) }`, { ids: [list.edges[0]?.node.id] }, tokens.a1);
    expect(result<number>(marked, 'markNotificationsRead')).toBe(1);
    const after = await hub.graphql(`{ myNotifications(first: 10, unreadOnly: true) { totalCount } }`, {}, tokens.a1);
    expect(result<{ totalCount: number }>(after, 'myNotifications').totalCount).toBe(list.totalCount - 1);
    // someone else's outbox is not the assistant's
    const officer = await hub.graphql(`{ myNotifications(first: 10) { totalCount } }`, {}, tokens.townA);
    expect(result<{ totalCount: number }>(officer, 'myNotifications').totalCount).toBe(0);
  });

  it('tries again after a backoff when the gateway fails, and delivers once', async () => {
    receiver.answers.push(503, 503);
    await dispatch(hub, tokens.townA, '重试送达', now());
    await until(() => callsFor(receiver.calls, '重试送达').length === 1, 'the first attempt');
    offset += 61_000;
    await until(() => callsFor(receiver.calls, '重试送达').length === 2, 'the second attempt after the backoff');
    offset += 121_000;
    await until(() => callsFor(receiver.calls, '重试送达').length === 3, 'the third attempt after a doubled backoff');
    const calls = callsFor(receiver.calls, '重试送达');
    expect(calls.map((c) => c.status)).toEqual([503, 503, 200]);
    expect(new Set(calls.map((c) => c.headers['x-envhub-delivery'])).size).toBe(1);
    expect(calls.every(signed)).toBe(true);
  });

  it('puts a notification on the dead-letter list after the last attempt, and an administrator sends it again', async () => {
    receiver.answers.push(500, 500, 500);
    await dispatch(hub, tokens.townA, '死信测试', now());
    await until(() => callsFor(receiver.calls, '死信测试').length === 1, 'the first attempt');
    offset += 61_000;
    await until(() => callsFor(receiver.calls, '死信测试').length === 2, 'the second attempt');
    offset += 121_000;
    const deadLetters = async () => {
      const response = await hub.graphql(
        `{ notificationDeadLetters(first: 10) { edges { node { attempts lastError notification { id title } } } } }`,
        {},
        tokens.admin,
      );
      return result<{ edges: { node: { attempts: number; lastError: string; notification: { id: string; title: string } } }[] }>(
        response,
        'notificationDeadLetters',
      ).edges.map((e) => e.node);
    };
    await until(async () => (await deadLetters()).some((d) => d.notification.title.includes('死信测试')), 'the dead letter');
    const dead = (await deadLetters()).find((d) => d.notification.title.includes('死信测试'));
    expect(dead).toMatchObject({ attempts: 3, lastError: 'HTTP 500' });
    expect((await hub.graphql(`{ notificationDeadLetters(first: 10) { totalCount } }`, {}, tokens.a1)).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const retried = await hub.graphql(`mutation($id: ID!) { retryNotificationDelivery(id: $id) { attempts } }`, { id: dead?.notification.id }, tokens.admin);
    expect(result<{ attempts: number }>(retried, 'retryNotificationDelivery').attempts).toBe(0);
    await until(() => callsFor(receiver.calls, '死信测试').some((c) => c.status === 200), 'the delivery after the retry');
    expect((await deadLetters()).some((d) => d.notification.title.includes('死信测试'))).toBe(false);
  });
});

describe(`notifications across a restart (${SERVER_ENGINE})`, () => {
  it('delivers after a restart what was waiting for a retry', async () => {
    const receiver = await startWebhookReceiver();
    const { url, drop } = await createServerDatabase();
    let offset = 0;
    const now = () => new Date(Date.now() + offset);
    try {
      receiver.answers.push(503);
      const first = await startTestHub({ engine: SERVER_ENGINE, databaseUrl: url, now, env: env(receiver.url) });
      const admin = await first.token({ roles: ['admin'], sub: 'admin-1' });
      await standardGrid(first, admin).build();
      await dispatch(first, await first.token({ roles: ['town'], sub: 'town-a' }), '重启续传', now());
      await until(() => callsFor(receiver.calls, '重启续传').length === 1, 'the failed first attempt');
      await first.hub.stop();
      offset += 61_000;
      const second = await startTestHub({ engine: SERVER_ENGINE, databaseUrl: url, now, env: env(receiver.url) });
      try {
        await until(() => callsFor(receiver.calls, '重启续传').length === 2, 'the attempt after the restart');
        expect(callsFor(receiver.calls, '重启续传').map((c) => c.status)).toEqual([503, 200]);
      } finally {
        await second.hub.stop();
      }
    } finally {
      await receiver.close();
      await drop();
    }
  });
});
