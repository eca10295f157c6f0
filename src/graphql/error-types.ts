import type { HubBuilder } from './builder';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { boundedList } from './cost/declare';

function createErrorInterface(builder: HubBuilder) {
  return builder.interfaceRef<Error>('Error').implement({
    description: 'An expected failure the client can act on.',
    fields: (t) => ({ message: t.exposeString('message') }),
  });
}

type ErrorInterface = ReturnType<typeof createErrorInterface>;

/**
 * Pothos refs keep their configuration on the ref object, so a ref serves one builder only; the
 * hub builds a fresh builder per schema, hence one `Error` interface ref per builder.
 */
const errorInterfaces = new WeakMap<HubBuilder, ErrorInterface>();

/** The `Error` interface of this builder, for modules that define error types of their own. */
export function errorInterface(builder: HubBuilder): ErrorInterface {
  const ref = errorInterfaces.get(builder);
  if (!ref) throw new Error('registerErrorTypes must run before modules register');
  return ref;
}

/** The typed results clients branch on with `__typename`; fields list them in `errors.types`. */
export function registerErrorTypes(builder: HubBuilder): void {
  const ErrorInterface = createErrorInterface(builder);
  errorInterfaces.set(builder, ErrorInterface);
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
    fields: (t) => ({ problems: t.field({ extensions: boundedList(100, { computed: true }), type: [FieldProblem], resolve: (error) => error.problems }) }),
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
