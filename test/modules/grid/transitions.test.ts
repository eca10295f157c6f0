import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ACTION_ACTOR,
  OVERDUE_ELIGIBLE,
  TASK_ACTIONS,
  TASK_STATUSES,
  availableActions,
  nextStatus,
  type TaskStatus,
} from '../../../modules/grid/service/transitions';

const plain = (status: TaskStatus) => ({ status, statusBeforeOverdue: null });

describe('task transitions', () => {
  it('allows exactly the documented moves', () => {
    const allowed = TASK_STATUSES.filter((s) => s !== 'OVERDUE').flatMap((status) =>
      TASK_ACTIONS.flatMap((action) => {
        const next = nextStatus(plain(status), action);
        return next ? [`${status} -${action}-> ${next}`] : [];
      }),
    );
    expect(allowed).toEqual([
      'DISPATCHED -ACCEPT-> ACCEPTED',
      'ACCEPTED -START-> IN_PROGRESS',
      'IN_PROGRESS -SUBMIT-> SUBMITTED',
      'SUBMITTED -VERIFY-> VERIFIED',
      'SUBMITTED -RETURN-> RETURNED',
      'RETURNED -START-> IN_PROGRESS',
    ]);
  });

  it('lets an overdue task go on from the stage it was in', () => {
    for (const before of OVERDUE_ELIGIBLE) {
      expect(availableActions({ status: 'OVERDUE', statusBeforeOverdue: before })).toEqual(availableActions(plain(before)));
    }
    expect(nextStatus({ status: 'OVERDUE', statusBeforeOverdue: 'RETURNED' }, 'START')).toBe('IN_PROGRESS');
    expect(nextStatus({ status: 'OVERDUE', statusBeforeOverdue: 'DISPATCHED' }, 'START')).toBeUndefined();
  });

  it('gives the assistant’s steps to the assignee and the judgement to officers', () => {
    expect(ACTION_ACTOR).toEqual({ ACCEPT: 'assignee', START: 'assignee', SUBMIT: 'assignee', VERIFY: 'officer', RETURN: 'officer' });
  });

  it('never leaves a verified task, and every sequence of actions ends in a known status', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TASK_ACTIONS), { maxLength: 30 }), (actions) => {
        let state = plain('DISPATCHED');
        let verified = false;
        for (const action of actions) {
          const next = nextStatus(state, action);
          if (verified) expect(next).toBeUndefined();
          if (next) state = plain(next);
          if (state.status === 'VERIFIED') verified = true;
          expect(TASK_STATUSES).toContain(state.status);
        }
      }),
    );
  });
});
