import { idempotencyRef } from '../../../src/idempotency/store';
import type { HubBuilder } from '../../../src/graphql/builder';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../../src/errors';
import { gridServiceRef } from '../public';
import type { TaskAction } from '../service/transitions';
import type { GridEnums } from './enums';
import { idOf } from './ids';
import { GridTaskRef } from './refs';

const ERRORS = { types: [ValidationError, NotFoundError, ForbiddenError, ConflictError] };

/** One mutation per action, so a client's buttons map to fields and each has its own description. */
const ACTION_FIELDS: readonly { field: string; action: TaskAction; description: string }[] = [
  { field: 'acceptGridTask', action: 'ACCEPT', description: 'The assignee takes the task on (DISPATCHED -> ACCEPTED).' },
  { field: 'startGridTask', action: 'START', description: 'The assignee starts work, or resumes a returned task (-> IN_PROGRESS).' },
  { field: 'submitGridTask', action: 'SUBMIT', description: 'The assignee reports the work done (IN_PROGRESS -> SUBMITTED).' },
  { field: 'verifyGridTask', action: 'VERIFY', description: 'An officer over the cell accepts the result and closes the task (SUBMITTED -> VERIFIED).' },
  { field: 'returnGridTask', action: 'RETURN', description: 'An officer over the cell sends the work back, saying why in `note` (SUBMITTED -> RETURNED).' },
];

export function registerTaskMutations(builder: HubBuilder, enums: GridEnums): void {
  const TargetInput = builder.inputType('GridTaskTargetInput', {
    fields: (t) => ({
      kind: t.field({ type: enums.TargetKind, required: true }),
      uscc: t.string({
        required: false,
        description: 'SOURCE: the enterprise’s unified social credit code (its file’s cell becomes the task’s when none is given)',
      }),
      monitor: t.globalID({ required: false, description: 'MONITOR: the monitor (its cell, or else its enterprise’s, becomes the task’s when none is given)' }),
      mn: t.string({ required: false, description: 'MONITOR: the monitor by its HJ 212 MN, instead of `monitor`' }),
      longitude: t.float({ required: false, description: 'PLACE: where (located in a cell when none is given)' }),
      latitude: t.float({ required: false }),
      description: t.string({ required: false }),
    }),
  });
  const DispatchInput = builder.inputType('GridDispatchTaskInput', {
    fields: (t) => ({
      type: t.field({ type: enums.TaskType, required: true }),
      title: t.string({ required: true }),
      description: t.string({ required: false }),
      target: t.field({ type: TargetInput, required: true }),
      cellCode: t.string({ required: false, description: 'the task’s cell; found from the target when not given' }),
      assignee: t.globalID({ required: false, description: 'an assistant answering for the cell; the cell’s first active assistant when not given' }),
      deadline: t.field({ type: 'DateTime', required: true }),
    }),
  });

  builder.mutationFields((t) => ({
    dispatchGridTask: t.field({
      authScopes: { roles: ['admin', 'district', 'town'] },
      type: GridTaskRef,
      description: 'An officer dispatches a task in their grid.',
      errors: ERRORS,
      args: { input: t.arg({ type: DispatchInput, required: true }) },
      resolve: (_root, { input }, ctx) =>
        ctx.services.get(gridServiceRef).tasks.dispatch(ctx.viewer, {
          type: input.type,
          title: input.title,
          description: input.description ?? null,
          target: {
            kind: input.target.kind,
            uscc: input.target.uscc ?? null,
            monitorId: input.target.monitor ? Number(idOf(input.target.monitor, 'Monitor', 'input.target.monitor')) : null,
            mn: input.target.mn ?? null,
            longitude: input.target.longitude ?? null,
            latitude: input.target.latitude ?? null,
            description: input.target.description ?? null,
          },
          cellCode: input.cellCode ?? null,
          assigneeId: input.assignee ? idOf(input.assignee, 'GridStaff', 'input.assignee') : null,
          deadline: input.deadline,
        }),
    }),
    reassignGridTask: t.field({
      authScopes: { roles: ['admin', 'district', 'town'] },
      type: GridTaskRef,
      description: 'An officer hands an open task to another assistant of the cell; it starts again from DISPATCHED.',
      errors: ERRORS,
      args: { id: t.arg.globalID({ required: true }), assignee: t.arg.globalID({ required: true }), note: t.arg.string({ required: false }) },
      resolve: (_root, args, ctx) =>
        ctx.services.get(gridServiceRef).tasks.reassign(ctx.viewer, idOf(args.id, 'GridTask', 'id'), idOf(args.assignee, 'GridStaff', 'assignee'), args.note),
    }),
    ...Object.fromEntries(
      ACTION_FIELDS.map(({ field, action, description }) => [
        field,
        t.field({
          authScopes: { roles: ['admin', 'district', 'town', 'assistant'] },
          type: GridTaskRef,
          description,
          errors: ERRORS,
          args: {
            id: t.arg.globalID({ required: true }),
            note: t.arg.string({ required: false }),
            idempotencyKey: t.arg.string({
              required: false,
              description:
                'made once per press of the button and sent again with every retry: the same key returns the task as the first request left it, without acting twice',
            }),
          },
          resolve: (_root, args, ctx) => {
            const grid = ctx.services.get(gridServiceRef);
            const id = idOf(args.id, 'GridTask', 'id');
            return ctx.services.get(idempotencyRef).once(ctx.viewer, {
              operation: field,
              key: args.idempotencyKey,
              input: { id, note: args.note ?? null },
              run: () => grid.tasks.transition(ctx.viewer, id, action, args.note),
              save: (task) => task.id,
              load: async (taskId) => {
                const [task] = await grid.tasks.byIds(ctx.viewer, [taskId]);
                if (!task) throw new NotFoundError('GridTask', String(taskId));
                return task;
              },
            });
          },
        }),
      ]),
    ),
  }));
}
