import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide, pendingSubjects, startInstance, validateSteps } from '../../../modules/oa/service/engine';
import { END, type InstanceState, type WorkflowAction, type WorkflowStep } from '../../../modules/oa/service/types';

const PEOPLE = ['p0', 'p1', 'p2', 'p3', 'p4', 'p5'];
const NOW = new Date('2026-01-01T00:00:00Z');

/** Random valid definitions: forward-only next and branch targets, one to three owners each. */
const definitions = fc.integer({ min: 1, max: 6 }).chain((count) =>
  fc
    .tuple(
      ...Array.from({ length: count }, (_, i) =>
        fc.record({
          mode: fc.constantFrom('COUNTERSIGN' as const, 'ANY_ONE' as const),
          subjects: fc.uniqueArray(fc.constantFrom(...PEOPLE), { minLength: 1, maxLength: 3 }),
          threshold: fc.integer({ min: 0, max: 10 }),
          branchTo: fc.option(fc.integer({ min: i + 1, max: count }), { nil: undefined }),
        }),
      ),
    )
    .map((specs) =>
      specs.map((spec, i): WorkflowStep => ({
        id: `s${i}`,
        name: `step ${i}`,
        mode: spec.mode,
        roles: [],
        subjects: spec.subjects,
        timeLimitHours: 8,
        branches:
          spec.branchTo !== undefined
            ? [{ when: { field: 'amount', operator: 'GTE', value: spec.threshold }, next: spec.branchTo >= specs.length ? END : `s${spec.branchTo}` }]
            : [],
        next: null,
      })),
    ),
);

const actions = fc.array(
  fc.record({
    kind: fc.constantFrom<WorkflowAction>('APPROVE', 'APPROVE', 'APPROVE', 'REJECT', 'RETURN', 'FORWARD', 'COMMENT'),
    actor: fc.constantFrom(...PEOPLE),
    target: fc.integer({ min: 0, max: 5 }),
  }),
  { maxLength: 60 },
);

describe('approval engine properties', () => {
  it('keeps every state consistent under any sequence of actions', () => {
    fc.assert(
      fc.property(definitions, actions, fc.integer({ min: 0, max: 10 }), (steps, sequence, amount) => {
        expect(validateSteps(steps)).toEqual([]);
        const started = startInstance(steps, 'p0', (s) => s.subjects, NOW);
        if (!started.ok) throw new Error(started.error.message);
        let state: InstanceState = started.state;
        for (const a of sequence) {
          const before = state;
          const pending = pendingSubjects(steps, before);
          const result = decide({
            steps,
            state,
            fields: { amount },
            action: { kind: a.kind, actor: a.actor, returnTo: `s${a.target}`, forwardTo: PEOPLE[a.target] },
            resolve: (s) => s.subjects,
            isPerson: (s) => PEOPLE.includes(s),
            now: NOW,
          });
          // a decision is only ever taken by someone the current step waits for
          if (result.ok && a.kind !== 'COMMENT') expect(pending).toContain(a.actor);
          if (!result.ok) {
            expect(result.error.kind).toMatch(/^(FORBIDDEN|CONFLICT|VALIDATION)$/);
            continue;
          }
          state = result.state;
          if (before.status !== 'RUNNING') throw new Error('a closed instance accepted an action');
          if (state.status === 'RUNNING') {
            const current = steps.find((s) => s.id === state.currentStep);
            expect(current).toBeDefined();
            expect(state.assignees.length).toBeGreaterThan(0);
            expect(state.approvals.every((s) => state.assignees.includes(s))).toBe(true);
            expect(state.path.at(-1)).toBe(state.currentStep);
            // a countersign step is left only when every owner approved
            if (before.currentStep !== state.currentStep && a.kind === 'APPROVE') {
              const left = steps.find((s) => s.id === before.currentStep) as WorkflowStep;
              if (left.mode === 'COUNTERSIGN') expect(before.assignees.filter((s) => !before.approvals.includes(s))).toEqual([a.actor]);
            }
          } else {
            expect(state.currentStep).toBeNull();
            expect(pendingSubjects(steps, state)).toEqual([]);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('approves every definition when the pending people approve in turn', () => {
    fc.assert(
      fc.property(definitions, fc.integer({ min: 0, max: 10 }), (steps, amount) => {
        const started = startInstance(steps, 'p0', (s) => s.subjects, NOW);
        if (!started.ok) throw new Error(started.error.message);
        let state = started.state;
        // forward-only steps: at most (steps x owners) approvals reach the end
        for (let guard = 0; guard < steps.length * PEOPLE.length && state.status === 'RUNNING'; guard += 1) {
          const actor = pendingSubjects(steps, state)[0] as string;
          const result = decide({
            steps,
            state,
            fields: { amount },
            action: { kind: 'APPROVE', actor },
            resolve: (s) => s.subjects,
            isPerson: () => true,
            now: NOW,
          });
          if (!result.ok) throw new Error(result.error.message);
          state = result.state;
        }
        expect(state.status).toBe('APPROVED');
      }),
      { numRuns: 300 },
    );
  });
});
