import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestHub, type TestHub } from '../../support/hub';
import { OaClient, stepInput, type Instance } from './support';

const ENFORCEMENT = {
  key: 'enforcement-case',
  name: '行政处罚案件审批',
  steps: [
    stepInput('handler', ['case-1', 'case-2']),
    stepInput('section', ['chief']),
    stepInput('legal', ['legal-1', 'legal-2']),
    stepInput('leader', ['deputy'], { branches: [{ when: { field: 'penaltyAmount', operator: 'GTE', value: 100000 }, next: 'collective' }], next: 'END' }),
    stepInput('collective', ['deputy', 'director', 'deputy-2'], { mode: 'COUNTERSIGN', timeLimitHours: 72 }),
  ],
};
const PEOPLE = ['case-1', 'case-2', 'chief', 'legal-1', 'legal-2', 'deputy', 'director', 'deputy-2', 'outsider'] as const;
type Person = (typeof PEOPLE)[number];

describe.each(ENGINES)('OA approvals on %s', (engine) => {
  let hub: TestHub;
  let oa: OaClient;
  const clock = new Date('2026-03-02T01:00:00Z');
  let admin = '';
  const tokens = {} as Record<Person, string>;
  const entity = Buffer.from('EnforcementCase:LQ-2026-001').toString('base64');

  const walk = async (instance: string, who: Person[]): Promise<Instance> => {
    let last: Instance | undefined;
    for (const person of who) last = await oa.approve(tokens[person], instance);
    return last as Instance;
  };

  beforeAll(async () => {
    hub = await startTestHub({ engine, now: () => clock, env: { HUB_MODULES: 'oa' } });
    oa = new OaClient(hub);
    admin = await hub.token({ roles: ['admin'], sub: 'oa-admin' });
    for (const person of PEOPLE) {
      await oa.person(admin, person, `姓名-${person}`, 'bureau', ['DISTRICT']);
      tokens[person] = await hub.token({ roles: ['district'], sub: person });
    }
    await oa.define(admin, ENFORCEMENT);
  });
  afterAll(async () => hub?.stop());

  it('completes an ANY_ONE step on the first approval and records who, when and the opinion', async () => {
    const started = await oa.started(tokens['case-1'], { definitionKey: 'enforcement-case', title: '甲案', subject: entity, fields: { penaltyAmount: 20000 } });
    expect(started).toMatchObject({
      status: 'RUNNING',
      currentStep: { id: 'handler' },
      assignees: ['case-1', 'case-2'],
      definition: { key: 'enforcement-case', version: 1 },
    });
    const next = await oa.approve(tokens['case-2'], started.id, '拟罚款两万元');
    expect(next).toMatchObject({ currentStep: { id: 'section' }, assignees: ['chief'], path: ['handler', 'section'] });
    expect(next.actions).toEqual([{ step: 'handler', action: 'APPROVE', actor: 'case-2', opinion: '拟罚款两万元', returnTo: null, forwardTo: null }]);
    const late = await oa.act('approveOaWorkflow', tokens['case-1'], { instance: started.id, step: 'handler' });
    expect(late.__typename).toBe('ConflictError');
    // below the threshold the leader's approval ends it
    const done = await walk(started.id, ['chief', 'legal-1', 'deputy']);
    expect(done).toMatchObject({ status: 'APPROVED', currentStep: null, assignees: [] });
  });

  it('branches to the collective discussion at 100,000 yuan, where every member must approve', async () => {
    const started = await oa.started(tokens['case-1'], {
      definitionKey: 'enforcement-case',
      title: '乙案',
      subject: entity,
      fields: { penaltyAmount: 100000 },
    });
    const atCollective = await walk(started.id, ['case-1', 'chief', 'legal-2', 'deputy']);
    expect(atCollective).toMatchObject({
      status: 'RUNNING',
      currentStep: { id: 'collective', mode: 'COUNTERSIGN' },
      assignees: ['deputy', 'director', 'deputy-2'],
    });
    const one = await oa.approve(tokens.director, started.id);
    expect(one).toMatchObject({ status: 'RUNNING', currentStep: { id: 'collective' }, assignees: ['deputy', 'deputy-2'], approvedBy: ['director'] });
    const twice = await oa.act('approveOaWorkflow', tokens.director, { instance: started.id });
    expect(twice).toMatchObject({ __typename: 'ConflictError', message: 'you have already decided on this step' });
    expect((await oa.approve(tokens.deputy, started.id)).status).toBe('RUNNING');
    const done = await oa.approve(tokens['deputy-2'], started.id);
    expect(done.status).toBe('APPROVED');
    const closed = await oa.act('approveOaWorkflow', tokens.deputy, { instance: started.id });
    expect(closed).toMatchObject({ __typename: 'ConflictError', message: 'the instance is closed (APPROVED)' });
  });

  it('returns to the named earlier step, and refuses a step that is not earlier', async () => {
    const started = await oa.started(tokens['case-1'], { definitionKey: 'enforcement-case', title: '丙案', subject: entity, fields: {} });
    await walk(started.id, ['case-1', 'chief']);
    const wrong = await oa.act('returnOaWorkflow', tokens['legal-1'], { instance: started.id, returnTo: 'leader', opinion: '退回' });
    expect(wrong.__typename).toBe('ValidationError');
    const noOpinion = await oa.act('returnOaWorkflow', tokens['legal-1'], { instance: started.id, returnTo: 'section' });
    expect(noOpinion.problems?.map((p) => p.path)).toEqual(['input.opinion']);
    const back = await oa.act('returnOaWorkflow', tokens['legal-1'], { instance: started.id, returnTo: 'section', opinion: '证据不足，请补充' });
    expect(back.data).toMatchObject({ status: 'RUNNING', currentStep: { id: 'section' }, assignees: ['chief'], path: ['handler', 'section'] });
    expect(back.data?.actions.at(-1)).toEqual({
      step: 'legal',
      action: 'RETURN',
      actor: 'legal-1',
      opinion: '证据不足，请补充',
      returnTo: 'section',
      forwardTo: null,
    });
    expect((await oa.approve(tokens.chief, started.id)).currentStep?.id).toBe('legal');
  });

  it('forwards a pending approval, and the forwarder can no longer act', async () => {
    const started = await oa.started(tokens['case-1'], { definitionKey: 'enforcement-case', title: '丁案', subject: entity });
    await walk(started.id, ['case-1']);
    const forwarded = await oa.act('forwardOaWorkflow', tokens.chief, { instance: started.id, forwardTo: 'director', opinion: '请局长直接审' });
    expect(forwarded.data).toMatchObject({ assignees: ['director'] });
    expect((await oa.act('approveOaWorkflow', tokens.chief, { instance: started.id })).__typename).toBe('ForbiddenError');
    expect((await oa.approve(tokens.director, started.id)).currentStep?.id).toBe('legal');
  });

  it('refuses people acting on what is not theirs, comments from outsiders, and rejects end it', async () => {
    const started = await oa.started(tokens['case-1'], { definitionKey: 'enforcement-case', title: '戊案', subject: entity });
    const stranger = await oa.act('approveOaWorkflow', tokens.outsider, { instance: started.id });
    expect(stranger).toMatchObject({ __typename: 'ForbiddenError', message: 'this step is not yours to act on' });
    expect((await oa.act('commentOaWorkflow', tokens.outsider, { instance: started.id, opinion: '我有意见' })).__typename).toBe('ForbiddenError');
    expect((await oa.act('approveOaWorkflow', tokens.chief, { instance: started.id, step: 'section' })).__typename).toBe('ConflictError');
    const comment = await oa.act('commentOaWorkflow', tokens['case-2'], { instance: started.id, opinion: '补充现场照片' });
    expect(comment.data).toMatchObject({ currentStep: { id: 'handler' } });
    const rejected = await oa.act('rejectOaWorkflow', tokens['case-1'], { instance: started.id, opinion: '不予立案' });
    expect(rejected.data).toMatchObject({ status: 'REJECTED', currentStep: null });
    expect((await oa.act('rejectOaWorkflow', tokens['case-2'], { instance: started.id, opinion: '再驳回' })).__typename).toBe('ConflictError');
  });

  it('keeps running instances on the version they started with when the definition changes', async () => {
    const before = await oa.started(tokens['case-1'], { definitionKey: 'enforcement-case', title: '己案', subject: entity, fields: { penaltyAmount: 500000 } });
    const v2 = await oa.define(admin, { ...ENFORCEMENT, steps: [stepInput('handler', ['case-1']), stepInput('leader', ['director'])] });
    expect(v2.version).toBe(2);
    const after = await oa.started(tokens['case-1'], { definitionKey: 'enforcement-case', title: '庚案', subject: entity, fields: { penaltyAmount: 500000 } });
    expect(after.definition.version).toBe(2);
    const old = await walk(before.id, ['case-2', 'chief', 'legal-1', 'deputy']);
    expect(old).toMatchObject({ currentStep: { id: 'collective' }, definition: { version: 1 } });
    const fresh = await walk(after.id, ['case-1', 'director']);
    expect(fresh.status).toBe('APPROVED');
    const versions = await oa.data<{ oaWorkflowDefinitions: { edges: { node: { version: number } }[] } }>(
      `{ oaWorkflowDefinitions(filter: { key: "enforcement-case" }) { edges { node { version } } } }`,
      {},
      tokens.chief,
    );
    expect(versions.oaWorkflowDefinitions.edges.map((e) => e.node.version)).toEqual([2, 1]);
  });

  it('refuses invalid definitions and starts on unknown keys with typed errors', async () => {
    const invalid = await oa.mutate(
      'saveOaWorkflowDefinition',
      '$input: OaWorkflowDefinitionInput!',
      'id',
      { input: { key: 'bad', name: 'x', steps: [stepInput('a', ['nobody-known'], { next: 'a' })] } },
      admin,
    );
    expect(invalid.__typename).toBe('ValidationError');
    expect(invalid.problems?.map((p) => p.path)).toEqual(['input.steps.0.next']);
    const notAdmin = await hub.graphql(`mutation { saveOaWorkflowDefinition(input: { key: "x", name: "x", steps: [] }) { __typename } }`, {}, tokens.chief);
    expect(notAdmin.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const unknown = await oa.start(tokens.chief, { definitionKey: 'no-such-flow', title: 'x', subject: entity });
    expect(unknown.__typename).toBe('NotFoundError');
    const badLink = await oa.start(tokens.chief, { definitionKey: 'enforcement-case', title: 'x', subject: 'not a global id' });
    expect(badLink.__typename).toBe('ValidationError');
  });
});
