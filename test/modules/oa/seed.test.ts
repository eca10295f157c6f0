import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../../support/hub';

describe('OA demo seed (pglite)', () => {
  let hub: TestHub;
  const clock = new Date('2026-03-02T01:00:00Z');

  beforeAll(async () => {
    hub = await startTestHub({ engine: 'pglite', now: () => clock, env: { HUB_MODULES: 'oa', HUB_SEED: 'true' } });
  });
  afterAll(async () => hub?.stop());

  it('seeds the bureau’s three workflows, with approvals in flight at the steps they reached', async () => {
    const token = await hub.token({ roles: ['district'], sub: 'officer-006' });
    const { body } = await hub.graphql<{
      oaWorkflowDefinitions: { edges: { node: { key: string; steps: { id: string; mode: string }[] } }[] };
      myInbox: { approvals: { title: string; currentStep: { name: string } }[]; supervisedTaskCount: number };
    }>(
      `{ oaWorkflowDefinitions(filter: { latestOnly: true }) { edges { node { key steps { id mode } } } } myInbox { approvals { title currentStep { name } } supervisedTaskCount } }`,
      {},
      token,
    );
    expect(body.errors).toBeUndefined();
    const definitions = Object.fromEntries(body.data?.oaWorkflowDefinitions.edges.map((e) => [e.node.key, e.node.steps.map((s) => `${s.id}:${s.mode}`)]) ?? []);
    expect(definitions).toEqual({
      'enforcement-case': ['handler:ANY_ONE', 'section:ANY_ONE', 'legal:ANY_ONE', 'leader:ANY_ONE', 'collective:COUNTERSIGN'],
      'permit-review': ['intake:ANY_ONE', 'technical:COUNTERSIGN', 'approval:ANY_ONE'],
      'document-issuing': ['draft:ANY_ONE', 'review:ANY_ONE', 'countersign:COUNTERSIGN', 'sign:ANY_ONE'],
    });
    expect(body.data?.myInbox.approvals).toEqual([{ title: '某化工企业超标排放案', currentStep: { name: '分管领导' } }]);

    const countersigner = await hub.token({ roles: ['district'], sub: 'officer-009' });
    const inbox = await hub.graphql<{ myInbox: { approvals: { title: string; currentStep: { name: string } }[] } }>(
      `{ myInbox { approvals { title currentStep { name } } } }`,
      {},
      countersigner,
    );
    expect(inbox.body.data?.myInbox.approvals.map((a) => `${a.title}@${a.currentStep.name}`).sort()).toEqual(
      ['关于开展2026年大气污染防治攻坚行动的通知@会签', '排污许可证申请（某电子科技有限公司）@受理'].sort(),
    );
  });

  it('keeps the confidential penalty decision from officers outside its approval', async () => {
    const outsider = await hub.token({ roles: ['district'], sub: 'officer-010' });
    const participant = await hub.token({ roles: ['district'], sub: 'officer-003' });
    const query = `{ oaDocuments(first: 100) { edges { node { number title securityLevel } } } }`;
    const titlesFor = async (token: string) =>
      ((await hub.graphql<{ oaDocuments: { edges: { node: { title: string } }[] } }>(query, {}, token)).body.data?.oaDocuments.edges ?? []).map(
        (e) => e.node.title,
      );
    expect(await titlesFor(outsider)).toHaveLength(2);
    expect(await titlesFor(participant)).toHaveLength(3);
  });

  it('has a town’s unread notice and the overdue supervised task in the town officer’s inbox', async () => {
    const townOfficer = await hub.token({ roles: ['town'], sub: 'town-officer-02', cells: ['51011202002'] });
    const { body } = await hub.graphql<{ myInbox: { notices: { title: string }[]; supervisedTasks: { title: string; overdue: boolean }[] } }>(
      `{ myInbox { notices { title } supervisedTasks { title overdue } } }`,
      {},
      townOfficer,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?.myInbox.notices.map((n) => n.title)).toEqual(['关于开展汛期环境安全隐患排查的通知']);
    expect(body.data?.myInbox.supervisedTasks).toEqual([{ title: '信访件办理：工地扬尘投诉', overdue: true }]);
  });
});
