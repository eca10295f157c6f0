import { createViewer } from '../../../src/auth/viewer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestHub, type TestHub } from '../../support/hub';
import { collect, connectWs } from '../../support/ws';
import { oaServiceRef } from '../../../modules/oa/public';
import { OaClient, stepInput } from './support';

const TOWN_A = '51011201001';
const TOWN_B = '51011202002';
const DOC = `id number title securityLevel status links { typename key }`;

describe.each(ENGINES)('OA documents, notices, supervision and inbox on %s', (engine) => {
  let hub: TestHub;
  let oa: OaClient;
  let clock = new Date('2026-03-02T01:00:00Z');
  const t = { admin: '', clerk: '', chief: '', signer: '', other: '', townA: '', townB: '', assistant: '', enterprise: '', device: '' };

  const createDocument = (token: string, input: Record<string, unknown>) =>
    oa.mutate<{ id: string; number: string; title: string; securityLevel: string; status: string; links: { typename: string; key: string }[] }>(
      'createOaDocument',
      '$input: OaDocumentInput!',
      DOC,
      { input },
      token,
    );
  const draft = (extra: Record<string, unknown> = {}) => ({
    kind: 'OUTGOING',
    title: '关于开展大气污染防治攻坚行动的通知',
    senderOrganisation: '区生态环境局',
    recipientOrganisation: '各街道、镇',
    securityLevel: 'INTERNAL',
    urgency: 'URGENT',
    body: '正文',
    ...extra,
  });
  const titles = async (token: string): Promise<string[]> =>
    (
      await oa.data<{ oaDocuments: { edges: { node: { title: string } }[] } }>(`{ oaDocuments(first: 100) { edges { node { title } } } }`, {}, token)
    ).oaDocuments.edges.map((e) => e.node.title);

  beforeAll(async () => {
    hub = await startTestHub({ engine, now: () => clock, env: { HUB_MODULES: 'oa' } });
    oa = new OaClient(hub);
    t.admin = await hub.token({ roles: ['admin'], sub: 'oa-admin' });
    const people: [keyof typeof t, string, string, string][] = [
      ['clerk', 'clerk', 'bureau', 'DISTRICT'],
      ['chief', 'chief', 'bureau', 'DISTRICT'],
      ['signer', 'signer', 'bureau', 'DISTRICT'],
      ['other', 'other', 'bureau', 'DISTRICT'],
      ['townA', 'town-a', TOWN_A, 'TOWN'],
      ['townB', 'town-b', TOWN_B, 'TOWN'],
      ['assistant', 'asst-1', TOWN_A, 'ASSISTANT'],
    ];
    for (const [key, subject, organisation, role] of people) {
      await oa.person(t.admin, subject, `名-${subject}`, organisation, [role]);
      t[key] = await hub.token({ roles: [role.toLowerCase() as 'district'], sub: subject, ...(role === 'TOWN' ? { cells: [organisation] } : {}) });
    }
    t.enterprise = await hub.token({ roles: ['enterprise'], sub: 'ent-1', enterprise: '91510112MA6C4D2X1K' });
    t.device = await hub.token({ roles: ['device'], sub: 'dev-1', mns: ['DEV-1'] });
    await oa.define(t.admin, {
      key: 'document-issuing',
      name: '发文审批',
      steps: [
        stepInput('draft', ['clerk']),
        stepInput('review', ['chief']),
        stepInput('countersign', ['chief', 'other', 'town-a'], { mode: 'COUNTERSIGN' }),
        stepInput('sign', ['signer']),
      ],
    });
  });
  afterAll(async () => hub?.stop());

  it('numbers documents per kind and year, refuses a duplicate number, and validates links', async () => {
    const first = await createDocument(t.clerk, draft());
    const second = await createDocument(t.clerk, draft({ title: '第二件' }));
    expect([first.data?.number, second.data?.number]).toEqual(['龙环发〔2026〕1号', '龙环发〔2026〕2号']);
    const incoming = await createDocument(t.clerk, draft({ kind: 'INCOMING', title: '市局来文' }));
    expect(incoming.data?.number).toBe('龙环收〔2026〕1号');
    const duplicate = await createDocument(t.clerk, draft({ number: '龙环发〔2026〕2号' }));
    expect(duplicate.__typename).toBe('ConflictError');
    const link = Buffer.from('Enterprise:91510112MA6C4D2X1K').toString('base64');
    const linked = await createDocument(t.clerk, draft({ number: '龙环发〔2026〕12号', links: [link] }));
    expect(linked.data).toMatchObject({ number: '龙环发〔2026〕12号', links: [{ typename: 'Enterprise', key: '91510112MA6C4D2X1K' }] });
    const bad = await createDocument(t.clerk, draft({ links: ['%%%'], body: 'x'.repeat(50_001), title: '' }));
    expect(bad.problems?.map((p) => p.path).sort()).toEqual(['input.body', 'input.links.0', 'input.title']);
  });

  it('shows a confidential document to its author, approval participants and administrators only', async () => {
    const secret = await createDocument(t.clerk, draft({ title: '机密：处罚决定书', securityLevel: 'CONFIDENTIAL' }));
    expect(await titles(t.clerk)).toContain('机密：处罚决定书');
    expect(await titles(t.admin)).toContain('机密：处罚决定书');
    expect(await titles(t.chief)).not.toContain('机密：处罚决定书');
    const started = await oa.started(t.clerk, { definitionKey: 'document-issuing', title: '处罚决定书发文', document: secret.data?.id });
    expect(started.assignees).toEqual(['clerk']);
    await oa.approve(t.clerk, started.id);
    // the reviewer became a participant with the step
    expect(await titles(t.chief)).toContain('机密：处罚决定书');
    expect(await titles(t.signer)).not.toContain('机密：处罚决定书');
    const hidden = await hub.graphql(`query($id: ID!) { oaWorkflowInstance(id: $id) { title } }`, { id: started.id }, t.signer);
    expect(hidden.body.data).toEqual({ oaWorkflowInstance: null });
    const again = await oa.start(t.clerk, { definitionKey: 'document-issuing', title: '重复', document: secret.data?.id });
    expect(again.__typename).toBe('ConflictError');
  });

  it('needs every countersigner before the document reaches the signer, then marks it approved', async () => {
    const doc = await createDocument(t.clerk, draft({ title: '会签件' }));
    const started = await oa.started(t.clerk, { definitionKey: 'document-issuing', title: '会签件', document: doc.data?.id });
    await oa.approve(t.clerk, started.id);
    const atCountersign = await oa.approve(t.chief, started.id);
    expect(atCountersign).toMatchObject({ currentStep: { id: 'countersign', mode: 'COUNTERSIGN' }, assignees: ['chief', 'other', 'town-a'] });
    expect((await oa.approve(t.chief, started.id)).currentStep?.id).toBe('countersign');
    expect((await oa.approve(t.townA, started.id)).assignees).toEqual(['other']);
    expect((await oa.act('approveOaWorkflow', t.signer, { instance: started.id })).__typename).toBe('ForbiddenError');
    expect((await oa.approve(t.other, started.id)).currentStep?.id).toBe('sign');
    expect((await oa.approve(t.signer, started.id)).status).toBe('APPROVED');
    const status = await oa.data<{ oaDocument: { status: string } }>(`query($id: ID!) { oaDocument(id: $id) { status } }`, { id: doc.data?.id }, t.clerk);
    expect(status.oaDocument.status).toBe('APPROVED');
  });

  it('publishes notices to organisations and roles with read receipts for the publisher', async () => {
    const published = await oa.mutate<{ id: string }>(
      'publishOaNotice',
      '$input: OaNoticeInput!',
      'id',
      { input: { title: '汛期隐患排查', body: '请排查', organisations: [TOWN_A, TOWN_B] } },
      t.chief,
    );
    const id = published.data?.id as string;
    const receipts = async () =>
      (
        await oa.data<{ oaNotice: { receipts: { audienceCount: number; readCount: number; unread: { subject: string }[] } | null } }>(
          `query($id: ID!) { oaNotice(id: $id) { receipts { audienceCount readCount unread { subject } } } }`,
          { id },
          t.chief,
        )
      ).oaNotice.receipts;
    expect(await receipts()).toEqual({ audienceCount: 3, readCount: 0, unread: [{ subject: 'asst-1' }, { subject: 'town-a' }, { subject: 'town-b' }] });
    const read = await oa.mutate<{ readAt: string }>('markNoticeRead', '$id: ID!', 'readAt', { id }, t.townA);
    expect(read.data?.readAt).toBe(clock.toISOString());
    expect(await receipts()).toEqual({ audienceCount: 3, readCount: 1, unread: [{ subject: 'asst-1' }, { subject: 'town-b' }] });
    const notOwn = await oa.data<{ oaNotice: { receipts: unknown } }>(`query($id: ID!) { oaNotice(id: $id) { receipts { readCount } } }`, { id }, t.townB);
    expect(notOwn.oaNotice.receipts).toBeNull();
    const outside = await oa.mutate('markNoticeRead', '$id: ID!', 'id', { id }, t.other);
    expect(outside.__typename).toBe('NotFoundError');
  });

  it('escalates overdue supervised tasks once a day and flags overdue approval steps', async () => {
    const task = await oa.mutate<{ id: string; status: string }>(
      'createOaSupervisedTask',
      '$input: OaSupervisedTaskInput!',
      'id status',
      { input: { title: '督办：油烟扰民整改', ownerOrganisation: TOWN_B, deadline: new Date(clock.getTime() + 48 * 3_600_000).toISOString() } },
      t.chief,
    );
    const id = task.data?.id as string;
    const notOwner = await oa.mutate(
      'reportOaSupervisedTaskProgress',
      '$id: ID!, $progress: Int!, $note: String!',
      'id',
      { id, progress: 50, note: '整改中' },
      t.townA,
    );
    expect(notOwner.__typename).toBe('NotFoundError');
    const reported = await oa.mutate<{ status: string; progress: number }>(
      'reportOaSupervisedTaskProgress',
      '$id: ID!, $progress: Int!, $note: String!',
      'status progress',
      { id, progress: 50, note: '已约谈商户' },
      t.townB,
    );
    expect(reported.data).toEqual({ status: 'IN_PROGRESS', progress: 50 });
    const service = hub.hub.services.get(oaServiceRef);
    const before = await hub.hub.bus.latestId();
    expect((await service.escalateOverdue(clock)).tasks).toBe(0);
    clock = new Date(clock.getTime() + 49 * 3_600_000);
    const first = await service.escalateOverdue(clock);
    expect(first.tasks).toBe(1);
    // the approvals started above have waited past their 24-hour limits
    expect(first.steps).toBeGreaterThan(0);
    expect(await service.escalateOverdue(clock)).toEqual({ tasks: 0, steps: 0 });
    clock = new Date(clock.getTime() + 24 * 3_600_000);
    expect((await service.escalateOverdue(clock)).tasks).toBe(1);
    const events = await hub.hub.bus.readPage(before, Number.MAX_SAFE_INTEGER, ['oa.supervision.escalated']);
    expect(events.map((e) => (e.payload as { escalationLevel: number; ownerOrganisation: string }).escalationLevel)).toEqual([1, 2]);
    expect((events[0]?.payload as { ownerOrganisation: string }).ownerOrganisation).toBe(TOWN_B);
    const shown = await oa.data<{ oaSupervisedTask: { overdue: boolean; escalationLevel: number; reports: { note: string; progress: number }[] } }>(
      `query($id: ID!) { oaSupervisedTask(id: $id) { overdue escalationLevel reports { note progress } } }`,
      { id },
      t.townB,
    );
    expect(shown.oaSupervisedTask).toEqual({ overdue: true, escalationLevel: 2, reports: [{ note: '已约谈商户', progress: 50 }] });
    const done = await oa.mutate<{ status: string }>('completeOaSupervisedTask', '$id: ID!', 'status', { id }, t.chief);
    expect(done.data?.status).toBe('COMPLETED');
    clock = new Date(clock.getTime() + 48 * 3_600_000);
    expect((await service.escalateOverdue(clock)).tasks).toBe(0);
  });

  it('gathers the inbox in a flat number of statements and tells the viewer when it changes', async () => {
    const inbox = async () =>
      oa.data<{
        myInbox: {
          approvalCount: number;
          approvals: {
            title: string;
            currentStep: { name: string };
            definition: { key: string };
            document: { title: string } | null;
            pendingPeople: { name: string }[];
          }[];
          noticeCount: number;
          notices: { title: string }[];
          supervisedTaskCount: number;
          supervisedTasks: { title: string }[];
          total: number;
        };
      }>(
        `{ myInbox { approvalCount approvals { title currentStep { name } definition { key } document { title } pendingPeople { name } } noticeCount notices { title readAt } supervisedTaskCount supervisedTasks { title reports { note } } total } }`,
        {},
        t.other,
      );
    const reachCountersign = async (title: string) => {
      const doc = await createDocument(t.clerk, draft({ title }));
      const started = await oa.started(t.clerk, { definitionKey: 'document-issuing', title, document: doc.data?.id });
      await oa.approve(t.clerk, started.id);
      await oa.approve(t.chief, started.id);
    };
    const notice = (title: string) =>
      oa.mutate('publishOaNotice', '$input: OaNoticeInput!', 'id', { input: { title, body: '周五例会', organisations: ['bureau'] } }, t.chief);
    const task = (title: string) =>
      oa.mutate(
        'createOaSupervisedTask',
        '$input: OaSupervisedTaskInput!',
        'id',
        { input: { title, ownerOrganisation: 'bureau', deadline: new Date(clock.getTime() + 86_400_000).toISOString() } },
        t.chief,
      );
    const count = async (): Promise<number> => {
      let fewest = Number.POSITIVE_INFINITY;
      // the least of three runs: event delivery after a commit only adds statements
      for (let run = 0; run < 3; run += 1) {
        const before = hub.hub.db.statementCount();
        await inbox();
        fewest = Math.min(fewest, hub.hub.db.statementCount() - before);
      }
      return fewest;
    };

    const ws = connectWs(hub.hub.port, t.other);
    try {
      const changes = collect<{ myInboxChanged: { topic: string; inbox: { approvalCount: number; noticeCount: number } } }>(
        ws.client,
        `subscription { myInboxChanged { topic inbox { approvalCount noticeCount } } }`,
      );
      await reachCountersign('收件一');
      await changes.until(1);
      expect(changes.received[0]?.data?.myInboxChanged).toEqual({ topic: 'oa.workflow.acted', inbox: { approvalCount: 1, noticeCount: 0 } });
      // a notice to the towns is not the viewer's business
      await oa.mutate('publishOaNotice', '$input: OaNoticeInput!', 'id', { input: { title: '街镇通知', body: '略', organisations: [TOWN_A] } }, t.chief);
      await notice('局内通知一');
      await changes.until(2);
      expect(changes.received.map((r) => r.data?.myInboxChanged)).toEqual([
        { topic: 'oa.workflow.acted', inbox: { approvalCount: 1, noticeCount: 0 } },
        { topic: 'oa.notice.published', inbox: { approvalCount: 1, noticeCount: 1 } },
      ]);
      changes.dispose();
    } finally {
      await ws.dispose();
    }

    await task('局办督办一');
    const one = await count();
    for (const n of ['二', '三']) {
      await reachCountersign(`收件${n}`);
      await notice(`局内通知${n}`);
      await task(`局办督办${n}`);
    }
    const box = (await inbox()).myInbox;
    expect(box.approvals.map((a) => a.title)).toEqual(['收件一', '收件二', '收件三']);
    expect(box.approvals[0]).toMatchObject({ currentStep: { name: 'countersign' }, definition: { key: 'document-issuing' }, document: { title: '收件一' } });
    // chief reviewed, and now countersigns too
    expect(box.approvals[0]?.pendingPeople.map((p) => p.name)).toEqual(['名-chief', '名-other', '名-town-a']);
    expect(box.notices.map((n) => n.title)).toEqual(['局内通知三', '局内通知二', '局内通知一']);
    expect(box.supervisedTasks.map((s) => s.title)).toEqual(['局办督办一', '局办督办二', '局办督办三']);
    expect([box.approvalCount, box.noticeCount, box.supervisedTaskCount, box.total]).toEqual([3, 3, 3, 9]);
    expect(await count()).toBe(one);
    await oa.mutate(
      'markNoticeRead',
      '$id: ID!',
      'id',
      {
        id: (await oa.data<{ oaNotices: { edges: { node: { id: string } }[] } }>(`{ oaNotices(first: 1) { edges { node { id } } } }`, {}, t.other)).oaNotices
          .edges[0]?.node.id,
      },
      t.other,
    );
    expect((await inbox()).myInbox.noticeCount).toBe(2);
  });

  it('lets no enterprise, device or public viewer read or do anything in OA', async () => {
    const queries = [
      `{ oaDocuments { edges { node { title } } } }`,
      `{ oaWorkflowInstances { edges { node { title } } } }`,
      `{ oaWorkflowDefinitions { edges { node { key } } } }`,
      `{ oaNotices { edges { node { title } } } }`,
      `{ oaSupervisedTasks { edges { node { title } } } }`,
      `{ oaPeople { edges { node { name } } } }`,
      `{ myInbox { total } }`,
    ];
    for (const token of [t.enterprise, t.device, undefined]) {
      for (const query of queries) {
        const response = await hub.graphql(query, {}, token);
        expect(response.body.data ?? null, query).toBeNull();
        expect(['FORBIDDEN', 'UNAUTHENTICATED']).toContain(response.body.errors?.[0]?.extensions?.code);
      }
      const mutation = await hub.graphql(
        `mutation { createOaDocument(input: { kind: INCOMING, title: "x", senderOrganisation: "x", recipientOrganisation: "x", securityLevel: PUBLIC, urgency: NORMAL, body: "" }) { __typename } }`,
        {},
        token,
      );
      expect(mutation.body.data ?? null).toBeNull();
    }
    const service = hub.hub.services.get(oaServiceRef);
    await expect(
      service.documents.list(
        createViewer({ subject: 'ent-1', roles: ['enterprise'], enterprise: '91510112MA6C4D2X1K' }),
        {},
        { limit: 10, beforeId: undefined },
      ),
    ).rejects.toThrow('office automation is for bureau staff only');
  });
});
