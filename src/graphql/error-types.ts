import type { HubBuilder } from './builder';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from './errors';

/** The typed results clients branch on with `__typename`; fields list them in `errors.types`. */
export function registerErrorTypes(builder: HubBuilder): void {
  const ErrorInterface = builder.interfaceRef<Error>('Error').implement({
    description: 'An expected failure the client can act on.',
    fields: (t) => ({ message: t.exposeString('message') }),
  });
  const FieldProblem = builder.objectRef<{ path: string; message: string }>('FieldProblem').implement({
    fields: (t) => ({
      path: t.exposeString('path', { description: 'input path at fault, e.g. `input.readings.3.value`' }),
      message: t.exposeString('message'),
    }),
  });
  builder.objectType(ValidationError, {
    name: 'ValidationError',
    interfaces: [ErrorInterface],
    isTypeOf: (value) => value instanceof ValidationError,
    fields: (t) => ({ problems: t.field({ type: [FieldProblem], resolve: (error) => error.problems }) }),
  });
  builder.objectType(NotFoundError, {
    name: 'NotFoundError',
    interfaces: [ErrorInterface],
    isTypeOf: (value) => value instanceof NotFoundError,
    fields: (t) => ({ entity: t.exposeString('entity'), key: t.exposeString('key') }),
  });
  builder.objectType(ConflictError, {
    name: 'ConflictError',
    interfaces: [ErrorInterface],
    isTypeOf: (value) => value instanceof ConflictError,
    fields: () => ({}),
  });
  builder.objectType(ForbiddenError, {
    name: 'ForbiddenError',
    interfaces: [ErrorInterface],
    isTypeOf: (value) => value instanceof ForbiddenError,
    fields: () => ({}),
  });
}
