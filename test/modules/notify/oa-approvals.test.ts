import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestHub, type TestHub } from '../../support/hub';
import { until } from '../../support/webhook';
import { OaClient, stepInput } from '../oa/support';

const FLOW = {
  key: 'permit-review',
  name: '排污许可审查',
  steps: [stepInput('handler', ['handler-1', 'handler-2']), stepInput('chief', ['chief']), stepInput('director', ['director'], { next: 'END' })],
};
const PEOPLE = ['handler-1', 'handler-2', 'chief', 'director', 'starter'] as const;
type Person = (typeof PEOPLE)[number];

interface Notified {
  kind: string;
  title: string;
  body: string;
  subjectType: string;
  subjectId: string;
}

describe.each(ENGINES)('OA approval notifications on %s', (engine) => {
  let hub: TestHub;
  let oa: OaClient;
  const tokens = {} as Record<Person, string>;

  const notificationsOf = async (person: Person): Promise<Notified[]> => {
    const response = await hub.graphql<{ myNotifications: { edges: { node: Notified }[] } }>(
      `{ myNotifications(first: 50) { edges { node { kind title body subjectType subjectId } } } }`,
      {},
      tokens[person],
    );
    expect(response.body.errors).toBeUndefined();
    return (response.body.data?.myNotifications.edges ?? []).map((e) => e.node).filter((n) => n.kind === 'OA_APPROVAL_PENDING');
  };

  beforeAll(async () => {
    hub = await startTestHub({ engine, env: { HUB_MODULES: 'grid,notify,oa' } });
    oa = new OaClient(hub);
    const admin = await hub.token({ roles: ['admin'], sub: 'oa-admin' });
    for (const person of PEOPLE) {
      await oa.person(admin, person, `姓名-${person}`, 'bureau', ['DISTRICT']);
      tokens[person] = await hub.token({ roles: ['district'], sub: person });
    }
    await oa.define(admin, FLOW);
  });
  afterAll(async () => hub?.stop());

  it('tells each person a step now waits on, once, and not the one who acted or anyone after a comment', async () => {
    const started = await oa.started(tokens.starter, {
      definitionKey: 'permit-review',
      title: '某公司排污许可变更',
      subject: Buffer.from('Permit:LQ-2026-007').toString('base64'),
      fields: {},
    });
    await until(async () => (await notificationsOf('handler-2')).length === 1, 'the handlers are told');
    const [told] = await notificationsOf('handler-1');
    expect(told).toMatchObject({ kind: 'OA_APPROVAL_PENDING', title: '待审批：某公司排污许可变更', subjectType: 'OaWorkflowInstance' });
    expect(told?.body).toContain('审批');
    expect(await notificationsOf('chief')).toEqual([]);

    const comment = await oa.act('commentOaWorkflow', tokens['handler-1'], { instance: started.id, opinion: '材料齐全' });
    expect(comment.__typename).toBe('MutationCommentOaWorkflowSuccess');
    await oa.approve(tokens['handler-1'], started.id);
    await until(async () => (await notificationsOf('chief')).length === 1, 'the chief is told');
    // the comment did not tell the handlers again
    expect(await notificationsOf('handler-2')).toHaveLength(1);

    await oa.approve(tokens.chief, started.id);
    await until(async () => (await notificationsOf('director')).length === 1, 'the director is told');
    const done = await oa.approve(tokens.director, started.id);
    expect(done.status).toBe('APPROVED');
    // the last approval ends it: nobody is waited on, nobody is told
    expect(await notificationsOf('starter')).toEqual([]);
    expect(await notificationsOf('director')).toHaveLength(1);
  });
});
