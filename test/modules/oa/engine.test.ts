import { describe, expect, it } from 'vitest';
import {
  availableActions,
  conditionHolds,
  decide,
  nextStepAfter,
  pendingSubjects,
  startInstance,
  validateSteps,
  type ActionInput,
  type EngineResult,
} from '../../../modules/oa/service/engine';
import { END, type InstanceState, type WorkflowStep } from '../../../modules/oa/service/types';

const NOW = new Date('2026-03-02T01:00:00Z');
const step = (id: string, subjects: string[], extra: Partial<WorkflowStep> = {}): WorkflowStep => ({
  id,
  name: id,
  mode: 'ANY_ONE',
  roles: [],
  subjects,
  timeLimitHours: 24,
  branches: [],
  next: null,
  ...extra,
});
const CASE: WorkflowStep[] = [
  step('handler', ['h1', 'h2']),
  step('section', ['s1']),
  step('legal', ['l1']),
  step('leader', ['d1'], { branches: [{ when: { field: 'penalty', operator: 'GTE', value: 100_000 }, next: 'collective' }], next: END }),
  step('collective', ['d1', 'd2', 'd3'], { mode: 'COUNTERSIGN', timeLimitHours: 72 }),
];
const PEOPLE = new Set(['h1', 'h2', 's1', 'l1', 'd1', 'd2', 'd3', 'x9']);
const resolve = (s: WorkflowStep) => s.subjects;

function ok(result: EngineResult): InstanceState {
  if (!result.ok) throw new Error(`${result.error.kind}: ${result.error.message}`);
  return result.state;
}
const act = (state: InstanceState, action: ActionInput, fields: Record<string, number> = {}) =>
  decide({ steps: CASE, state, fields, action, resolve, isPerson: (s) => PEOPLE.has(s), now: NOW });
const start = () => ok(startInstance(CASE, 'h1', resolve, NOW));
const approve = (state: InstanceState, actor: string, fields: Record<string, number> = {}) => ok(act(state, { kind: 'APPROVE', actor }, fields));

describe('approval engine', () => {
  it('starts at the first step with its owners, a deadline from the time limit, and the initiator as participant', () => {
    const state = start();
    expect(state).toMatchObject({
      status: 'RUNNING',
      currentStep: 'handler',
      assignees: ['h1', 'h2'],
      approvals: [],
      path: ['handler'],
      stepDeadline: '2026-03-03T01:00:00.000Z',
    });
    expect(state.participants).toEqual(['h1', 'h2']);
    expect(pendingSubjects(CASE, state)).toEqual(['h1', 'h2']);
  });

  it('completes an ANY_ONE step on the first approval', () => {
    const state = approve(start(), 'h2');
    expect(state.currentStep).toBe('section');
    expect(state.assignees).toEqual(['s1']);
    expect(state.path).toEqual(['handler', 'section']);
  });

  it('ends after the leader below the threshold and goes to the countersign at or above it', () => {
    const toLeader = (fields: Record<string, number>) => ['h1', 's1', 'l1'].reduce((s, actor) => approve(s, actor, fields), start());
    expect(approve(toLeader({ penalty: 99_999 }), 'd1', { penalty: 99_999 }).status).toBe('APPROVED');
    const branched = approve(toLeader({ penalty: 100_000 }), 'd1', { penalty: 100_000 });
    expect(branched).toMatchObject({ status: 'RUNNING', currentStep: 'collective', assignees: ['d1', 'd2', 'd3'] });
  });

  it('needs every approver on a countersign step and refuses a second decision', () => {
    const fields = { penalty: 200_000 };
    let state = ['h1', 's1', 'l1', 'd1'].reduce((s, actor) => approve(s, actor, fields), start());
    state = approve(state, 'd2', fields);
    expect(state).toMatchObject({ currentStep: 'collective', approvals: ['d2'] });
    expect(pendingSubjects(CASE, state)).toEqual(['d1', 'd3']);
    const again = act(state, { kind: 'APPROVE', actor: 'd2' }, fields);
    expect(again).toEqual({ ok: false, error: { kind: 'CONFLICT', message: 'you have already decided on this step' } });
    state = approve(state, 'd1', fields);
    expect(state.status).toBe('RUNNING');
    state = approve(state, 'd3', fields);
    expect(state).toMatchObject({ status: 'APPROVED', currentStep: null, assignees: [] });
  });

  it('returns to the named earlier step, which starts again', () => {
    const atLegal = ['h1', 's1'].reduce((s, actor) => approve(s, actor), start());
    const back = ok(act(atLegal, { kind: 'RETURN', actor: 'l1', returnTo: 'handler' }));
    expect(back).toMatchObject({ currentStep: 'handler', assignees: ['h1', 'h2'], approvals: [], path: ['handler'] });
    const notEarlier = act(atLegal, { kind: 'RETURN', actor: 'l1', returnTo: 'leader' });
    expect(notEarlier.ok).toBe(false);
    expect(!notEarlier.ok && notEarlier.error.kind).toBe('VALIDATION');
  });

  it('forwards a pending approval to another known person', () => {
    const atSection = approve(start(), 'h1');
    const forwarded = ok(act(atSection, { kind: 'FORWARD', actor: 's1', forwardTo: 'x9' }));
    expect(forwarded.assignees).toEqual(['x9']);
    expect(forwarded.participants).toContain('x9');
    expect(act(forwarded, { kind: 'APPROVE', actor: 's1' })).toMatchObject({ ok: false, error: { kind: 'FORBIDDEN' } });
    expect(approve(forwarded, 'x9').currentStep).toBe('legal');
    expect(act(atSection, { kind: 'FORWARD', actor: 's1', forwardTo: 'nobody' })).toMatchObject({ ok: false, error: { kind: 'VALIDATION' } });
  });

  it('refuses the wrong person, the wrong step and a closed instance with typed kinds', () => {
    const state = start();
    expect(act(state, { kind: 'APPROVE', actor: 's1' })).toMatchObject({ ok: false, error: { kind: 'FORBIDDEN' } });
    expect(act(state, { kind: 'APPROVE', actor: 'h1', step: 'section' })).toMatchObject({ ok: false, error: { kind: 'CONFLICT' } });
    const rejected = ok(act(state, { kind: 'REJECT', actor: 'h1' }));
    expect(rejected.status).toBe('REJECTED');
    expect(act(rejected, { kind: 'APPROVE', actor: 'h1' })).toMatchObject({
      ok: false,
      error: { kind: 'CONFLICT', message: 'the instance is closed (REJECTED)' },
    });
    expect(act(state, { kind: 'COMMENT', actor: 'd3' })).toMatchObject({ ok: false, error: { kind: 'FORBIDDEN' } });
    expect(act(state, { kind: 'COMMENT', actor: 'h2' })).toMatchObject({ ok: true, state });
  });

  it('lists what each person may do now', () => {
    const atSection = approve(start(), 'h1');
    expect(availableActions(CASE, atSection, 's1')).toEqual(['APPROVE', 'REJECT', 'FORWARD', 'RETURN', 'COMMENT']);
    expect(availableActions(CASE, atSection, 'h2')).toEqual(['COMMENT']);
    expect(availableActions(CASE, atSection, 'd3')).toEqual([]);
  });

  it('refuses a step nobody owns', () => {
    expect(startInstance(CASE, 'h1', () => [], NOW)).toMatchObject({ ok: false, error: { kind: 'VALIDATION' } });
  });
});

describe('definitions and conditions', () => {
  it('accepts the enforcement workflow and rejects backward, unknown and ownerless steps', () => {
    expect(validateSteps(CASE)).toEqual([]);
    const bad = [
      step('a', ['x'], { next: 'a' }),
      step('b', [], { branches: [{ when: { field: 'p', operator: 'GT', value: 1 }, next: 'zz' }] }),
      step('a', ['y']),
    ];
    const paths = validateSteps(bad).map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['steps.2.id', 'steps.0.next', 'steps.1', 'steps.1.branches.0.next']));
  });

  it('compares numbers and equality, and a missing field never holds', () => {
    expect(conditionHolds({ field: 'p', operator: 'GTE', value: 10 }, { p: 10 })).toBe(true);
    expect(conditionHolds({ field: 'p', operator: 'GT', value: 10 }, { p: 10 })).toBe(false);
    expect(conditionHolds({ field: 'p', operator: 'LT', value: 10 }, { p: '5' })).toBe(false);
    expect(conditionHolds({ field: 'kind', operator: 'EQ', value: 'major' }, { kind: 'major' })).toBe(true);
    expect(conditionHolds({ field: 'kind', operator: 'NEQ', value: 'major' }, {})).toBe(false);
    expect(nextStepAfter(CASE, 'leader', {})).toBe(END);
    expect(nextStepAfter(CASE, 'handler', {})).toBe('section');
    expect(nextStepAfter(CASE, 'collective', {})).toBe(END);
  });
});
