/**
 * The approval engine: pure functions over a definition's steps and an instance's state. It
 * decides who may act now, what an action does and when a step completes; the service only
 * loads, resolves people and stores what this returns.
 */
import type { FieldProblem } from '../../../src/errors';
import {
  CONDITION_OPERATORS,
  END,
  OA_ROLES,
  STEP_MODES,
  type FieldValue,
  type InstanceState,
  type StepCondition,
  type WorkflowAction,
  type WorkflowStep,
} from './types';

export const MAX_STEPS = 30;
export const MAX_BRANCHES = 10;
export const MAX_STEP_SUBJECTS = 50;
export const MAX_TIME_LIMIT_HOURS = 24 * 366;
export const STEP_ID = /^[a-z][a-z0-9_-]{0,31}$/;
export const FIELD_NAME = /^[a-zA-Z][a-zA-Z0-9_]{0,31}$/;
export const SUBJECT = /^[\w.@:-]{1,128}$/;

export type EngineErrorKind = 'FORBIDDEN' | 'CONFLICT' | 'VALIDATION';
export interface EngineError {
  kind: EngineErrorKind;
  message: string;
  path?: string;
}

export type EngineResult = { ok: true; state: InstanceState; completedStep: string | null; finished: boolean } | { ok: false; error: EngineError };

/** Who owns a step, worked out by the caller from the step's subjects and roles. */
export type AssigneeResolver = (step: WorkflowStep) => readonly string[];

export interface ActionInput {
  kind: WorkflowAction;
  actor: string;
  /** the step the actor believes is current; a different current step is a conflict */
  step?: string | null | undefined;
  returnTo?: string | null | undefined;
  forwardTo?: string | null | undefined;
}

const fail = (kind: EngineErrorKind, message: string, path?: string): EngineResult => ({ ok: false, error: { kind, message, ...(path ? { path } : {}) } });
const unique = (values: readonly string[]): string[] => [...new Set(values)];

export function validateSteps(steps: readonly WorkflowStep[]): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const add = (path: string, message: string): void => void problems.push({ path, message });
  if (steps.length === 0 || steps.length > MAX_STEPS) add('steps', `1-${MAX_STEPS} steps`);
  const index = new Map<string, number>();
  steps.forEach((step, i) => {
    if (!STEP_ID.test(step.id)) add(`steps.${i}.id`, 'a lower-case id of letters, digits, - and _, at most 32 characters');
    else if (index.has(step.id)) add(`steps.${i}.id`, 'step ids must be unique');
    else index.set(step.id, i);
  });
  const target = (path: string, next: string, from: number): void => {
    if (next === END) return;
    const at = index.get(next);
    if (at === undefined) add(path, `no step "${next}"`);
    // forward only: a definition can then never loop, and RETURN is the one way back
    else if (at <= from) add(path, 'must be a later step');
  };
  steps.forEach((step, i) => {
    const path = `steps.${i}`;
    if (step.name.trim().length === 0 || step.name.length > 100) add(`${path}.name`, 'must be 1-100 characters');
    if (!STEP_MODES.includes(step.mode)) add(`${path}.mode`, 'unknown mode');
    if (step.roles.length > OA_ROLES.length || step.roles.some((role) => !OA_ROLES.includes(role))) add(`${path}.roles`, 'staff roles only');
    if (step.subjects.length > MAX_STEP_SUBJECTS || step.subjects.some((s) => !SUBJECT.test(s)))
      add(`${path}.subjects`, `at most ${MAX_STEP_SUBJECTS} token subjects`);
    if (step.roles.length === 0 && step.subjects.length === 0) add(`${path}`, 'a step needs a role or named people');
    if (!Number.isInteger(step.timeLimitHours) || step.timeLimitHours < 1 || step.timeLimitHours > MAX_TIME_LIMIT_HOURS)
      add(`${path}.timeLimitHours`, `1-${MAX_TIME_LIMIT_HOURS} hours`);
    if (step.branches.length > MAX_BRANCHES) add(`${path}.branches`, `at most ${MAX_BRANCHES}`);
    step.branches.forEach((branch, b) => {
      const bpath = `${path}.branches.${b}`;
      if (!FIELD_NAME.test(branch.when.field)) add(`${bpath}.when.field`, 'a field name of letters, digits and _');
      if (!CONDITION_OPERATORS.includes(branch.when.operator)) add(`${bpath}.when.operator`, 'unknown operator');
      if (!validFieldValue(branch.when.value)) add(`${bpath}.when.value`, 'a finite number, a boolean or at most 200 characters');
      target(`${bpath}.next`, branch.next, i);
    });
    if (step.next !== null) target(`${path}.next`, step.next, i);
  });
  return problems;
}

export function validFieldValue(value: unknown): value is FieldValue {
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value === 'string') return value.length <= 200;
  return typeof value === 'boolean';
}

export function conditionHolds(condition: StepCondition, fields: Readonly<Record<string, FieldValue>>): boolean {
  const actual = fields[condition.field];
  if (actual === undefined) return false;
  const expected = condition.value;
  switch (condition.operator) {
    case 'EQ':
      return actual === expected;
    case 'NEQ':
      return actual !== expected;
    default: {
      if (typeof actual !== 'number' || typeof expected !== 'number') return false;
      if (condition.operator === 'GTE') return actual >= expected;
      if (condition.operator === 'GT') return actual > expected;
      if (condition.operator === 'LTE') return actual <= expected;
      return actual < expected;
    }
  }
}

/** The step after `stepId` for these fields: the first branch that holds, else `next`, else the following step. */
export function nextStepAfter(steps: readonly WorkflowStep[], stepId: string, fields: Readonly<Record<string, FieldValue>>): string {
  const at = steps.findIndex((s) => s.id === stepId);
  const step = steps[at];
  if (!step) return END;
  const branch = step.branches.find((b) => conditionHolds(b.when, fields));
  if (branch) return branch.next;
  if (step.next !== null) return step.next;
  return steps[at + 1]?.id ?? END;
}

/** Who may act on the current step now: a countersign waits for everyone who has not approved yet. */
export function pendingSubjects(steps: readonly WorkflowStep[], state: InstanceState): string[] {
  if (state.status !== 'RUNNING' || state.currentStep === null) return [];
  const step = steps.find((s) => s.id === state.currentStep);
  if (!step) return [];
  if (step.mode === 'ANY_ONE') return state.approvals.length > 0 ? [] : [...state.assignees];
  return state.assignees.filter((s) => !state.approvals.includes(s));
}

/** The actions `actor` may take now (COMMENT for anyone involved, the rest for a pending owner). */
export function availableActions(steps: readonly WorkflowStep[], state: InstanceState, actor: string): WorkflowAction[] {
  if (state.status !== 'RUNNING') return [];
  const actions: WorkflowAction[] = [];
  if (pendingSubjects(steps, state).includes(actor)) {
    actions.push('APPROVE', 'REJECT', 'FORWARD');
    if (state.path.length > 1) actions.push('RETURN');
  }
  if (state.participants.includes(actor) || state.assignees.includes(actor)) actions.push('COMMENT');
  return actions;
}

function enter(steps: readonly WorkflowStep[], state: InstanceState, stepId: string, path: string[], resolve: AssigneeResolver, now: Date): EngineResult {
  const step = steps.find((s) => s.id === stepId);
  if (!step) return fail('VALIDATION', `no step "${stepId}"`);
  const assignees = unique(resolve(step));
  if (assignees.length === 0) return fail('VALIDATION', `step "${step.name}" has nobody to act: add people with its roles or name them`);
  return {
    ok: true,
    completedStep: null,
    finished: false,
    state: {
      status: 'RUNNING',
      currentStep: step.id,
      assignees,
      approvals: [],
      path,
      stepEnteredAt: now.toISOString(),
      stepDeadline: new Date(now.getTime() + step.timeLimitHours * 3_600_000).toISOString(),
      participants: unique([...state.participants, ...assignees]),
    },
  };
}

const closed = (state: InstanceState, status: 'APPROVED' | 'REJECTED'): InstanceState => ({
  ...state,
  status,
  currentStep: null,
  assignees: [],
  approvals: [],
  stepEnteredAt: null,
  stepDeadline: null,
});

/** The first state of an instance: its first step entered. */
export function startInstance(steps: readonly WorkflowStep[], initiator: string, resolve: AssigneeResolver, now: Date): EngineResult {
  const first = steps[0];
  if (!first) return fail('VALIDATION', 'the workflow has no steps');
  const empty: InstanceState = {
    status: 'RUNNING',
    currentStep: null,
    assignees: [],
    approvals: [],
    path: [],
    stepEnteredAt: null,
    stepDeadline: null,
    participants: [initiator],
  };
  return enter(steps, empty, first.id, [first.id], resolve, now);
}

export interface DecideInput {
  steps: readonly WorkflowStep[];
  state: InstanceState;
  fields: Readonly<Record<string, FieldValue>>;
  action: ActionInput;
  resolve: AssigneeResolver;
  /** whether a subject is a known, active person (a forward must go to one) */
  isPerson: (subject: string) => boolean;
  now: Date;
}

/** What an action does to the instance, or why it is refused. */
export function decide(input: DecideInput): EngineResult {
  const { steps, state, fields, action, resolve, now } = input;
  if (state.status !== 'RUNNING' || state.currentStep === null) return fail('CONFLICT', `the instance is closed (${state.status})`);
  if (action.step && action.step !== state.currentStep) return fail('CONFLICT', `wrong step: the instance is at "${state.currentStep}", not "${action.step}"`);
  const unchanged: EngineResult = { ok: true, state, completedStep: null, finished: false };
  if (action.kind === 'COMMENT') {
    return state.participants.includes(action.actor) || state.assignees.includes(action.actor)
      ? unchanged
      : fail('FORBIDDEN', 'only people involved in this approval may comment');
  }
  if (!state.assignees.includes(action.actor)) return fail('FORBIDDEN', 'this step is not yours to act on');
  if (state.approvals.includes(action.actor)) return fail('CONFLICT', 'you have already decided on this step');
  const stepId = state.currentStep;
  switch (action.kind) {
    case 'REJECT':
      return { ok: true, state: closed(state, 'REJECTED'), completedStep: stepId, finished: true };
    case 'RETURN': {
      const target = action.returnTo;
      const earlier = state.path.slice(0, -1);
      if (!target || !earlier.includes(target))
        return fail('VALIDATION', `return to an earlier step of this instance: ${earlier.join(', ') || 'there is none'}`, 'returnTo');
      return enter(steps, state, target, state.path.slice(0, state.path.indexOf(target) + 1), resolve, now);
    }
    case 'FORWARD': {
      const to = action.forwardTo;
      if (!to || to === action.actor || !input.isPerson(to)) return fail('VALIDATION', 'forward to another known person', 'forwardTo');
      if (state.assignees.includes(to)) return fail('CONFLICT', 'that person already owns this step');
      return {
        ok: true,
        completedStep: null,
        finished: false,
        state: { ...state, assignees: state.assignees.map((s) => (s === action.actor ? to : s)), participants: unique([...state.participants, to]) },
      };
    }
    case 'APPROVE': {
      const approvals = [...state.approvals, action.actor];
      const step = steps.find((s) => s.id === stepId);
      const complete = step?.mode === 'ANY_ONE' || state.assignees.every((s) => approvals.includes(s));
      if (!complete) return { ok: true, state: { ...state, approvals }, completedStep: null, finished: false };
      const next = nextStepAfter(steps, stepId, fields);
      if (next === END) return { ok: true, state: closed(state, 'APPROVED'), completedStep: stepId, finished: true };
      const entered = enter(steps, state, next, [...state.path, next], resolve, now);
      return entered.ok ? { ...entered, completedStep: stepId } : entered;
    }
    default:
      return fail('VALIDATION', 'unknown action');
  }
}
