import type { ApolloServerOptionsWithGateway } from '@apollo/server';
import {
  execute,
  getVariableValues,
  GraphQLError,
  Kind,
  valueFromASTUntyped,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type VariableDefinitionNode,
} from 'graphql';
import { fragmentsOf } from './fragments';
import type { Logger } from 'pino';

/**
 * Compiled execution: each operation is compiled once by graphql-jit into a function that runs
 * it, instead of graphql-js walking the document for every object of every response (argument
 * objects, resolve info and result dictionaries per field). The schema, its resolvers and their
 * wrappers (authorisation, errors, the response meter, traces) are the same; what graphql-js
 * decides before execution stays with graphql-js:
 *
 * - variables are coerced by graphql-js first, so a bad variable gets graphql-js' error (and
 *   Apollo's 400), and a variable left out takes its default the way graphql-js takes it;
 * - errors are graphql-js errors again before Apollo formats them (with the original error's
 *   extensions, which the masking reads);
 * - an operation graphql-jit cannot compile runs on graphql-js.
 */
type Program = (root: unknown, context: unknown, variables: Record<string, unknown>) => ExecutionResult | Promise<ExecutionResult>;

/** graphql-jit's compiler, as loaded by `loadCompiler`. */
export interface Compiler {
  compileQuery(schema: GraphQLSchema, document: DocumentNode, operationName?: string): { query?: Program; errors?: unknown };
}

export interface CompiledRequest {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  operationName: string | null | undefined;
  variables: Readonly<Record<string, unknown>> | undefined;
  contextValue: unknown;
}

export interface CompiledExecution {
  execute(request: CompiledRequest): Promise<ExecutionResult>;
}

let loading: Promise<Compiler | undefined> | undefined;

/**
 * Loads the compiler once per process (about a tenth of a second: asked for before the hub opens
 * its database, it is there when the endpoint is made). Undefined when it does not load: the hub
 * then runs every operation on graphql-js and says so.
 */
export function loadCompiler(logger: Logger): Promise<Compiler | undefined> {
  loading ??= import('graphql-jit').then(
    (module) => module as unknown as Compiler,
    (error: unknown) => {
      logger.warn({ err: error }, 'graphql-jit did not load: operations run on graphql-js');
      return undefined;
    },
  );
  return loading;
}

export function createCompiledExecution(schema: GraphQLSchema, compiler: Compiler, logger: Logger): CompiledExecution {
  // by document (Apollo keeps one parsed document per distinct text) and operation name
  const programs = new WeakMap<DocumentNode, Map<string, Program | null>>();

  function programFor(document: DocumentNode, operation: OperationDefinitionNode, operationName: string | null | undefined): Program | null {
    let byName = programs.get(document);
    if (!byName) {
      byName = new Map();
      programs.set(document, byName);
    }
    const name = operationName ?? '';
    let program = byName.get(name);
    if (program === undefined) {
      const fields = expandedFields(document, operation);
      if (fields > MAX_COMPILED_FIELDS) {
        program = null;
        logger.debug({ operationName, fields }, 'operation too large to compile: it runs on graphql-js');
      } else {
        const compiled = compiler.compileQuery(schema, document, operationName ?? undefined);
        program = typeof compiled.query === 'function' ? compiled.query : null;
        if (!program) logger.debug({ operationName, errors: compiled.errors }, 'operation not compiled: it runs on graphql-js');
      }
      byName.set(name, program);
    }
    return program;
  }

  return {
    async execute({ document, operation, operationName, variables, contextValue }) {
      const program = programFor(document, operation, operationName);
      if (!program) return execute({ schema, document, contextValue, variableValues: variables, operationName });
      const definitions = operation.variableDefinitions ?? [];
      const inputs = variables ?? {};
      if (definitions.length > 0) {
        const coerced = getVariableValues(schema, definitions, inputs, { maxErrors: 50 });
        if (coerced.errors) return { errors: coerced.errors };
      }
      const result = await program(undefined, contextValue, withDefaults(definitions, inputs));
      return result.errors ? { data: result.data, errors: result.errors.map(asGraphQLError) } : { data: result.data };
    },
  };
}

/**
 * Fields a compiled program may hold at most. graphql-jit writes out every fragment spread where
 * it is used, so a document whose fragments spread each other twice a level compiles to twice the
 * code a level (twelve levels: some 8,000 fields, 170 ms of compiling that holds every request
 * up). The hub's own operations expand to at most about a hundred fields (the enterprise file:
 * 110); a larger one runs on graphql-js.
 */
export const MAX_COMPILED_FIELDS = 1_000;

/**
 * How many fields `operation` has with every fragment spread written out where it is used, as
 * graphql-jit compiles it: counted in one pass over the document (each fragment's count once).
 */
export function expandedFields(document: DocumentNode, operation: OperationDefinitionNode): number {
  const fragments = fragmentsOf(document);
  const counted = new Map<string, number>();
  const fragmentFields = (name: string): number => {
    const known = counted.get(name);
    if (known !== undefined) return known;
    counted.set(name, 0); // a cycle (validation refuses one) counts nothing
    const fragment = fragments.get(name);
    const count = fragment ? selectionFields(fragment.selectionSet) : 0;
    counted.set(name, count);
    return count;
  };
  const selectionFields = (set: SelectionSetNode): number => {
    let count = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) count += 1 + (selection.selectionSet ? selectionFields(selection.selectionSet) : 0);
      else if (selection.kind === Kind.INLINE_FRAGMENT) count += selectionFields(selection.selectionSet);
      else count += fragmentFields(selection.name.value);
    }
    return count;
  };
  return selectionFields(operation.selectionSet);
}

/**
 * The inputs with each left-out variable that has a default given that default as written, so
 * the compiled program coerces it like a value sent (graphql-js takes the default for a non-null
 * variable left out; graphql-jit would call it missing).
 */
function withDefaults(definitions: readonly VariableDefinitionNode[], inputs: Readonly<Record<string, unknown>>): Record<string, unknown> {
  let filled: Record<string, unknown> | undefined;
  for (const definition of definitions) {
    const name = definition.variable.name.value;
    if (definition.defaultValue === undefined || Object.prototype.hasOwnProperty.call(inputs, name)) continue;
    filled ??= { ...inputs };
    filled[name] = valueFromASTUntyped(definition.defaultValue);
  }
  return filled ?? (inputs as Record<string, unknown>);
}

/**
 * A graphql-js error for one of graphql-jit's, as graphql-js' `locatedError` makes it: a located
 * GraphQLError thrown by a resolver as it is, otherwise a new one carrying the original error and
 * its extensions (graphql-jit leaves `extensions` out where the original had none). An error
 * graphql-jit raised itself gets the original graphql-js would have had, which decides whether
 * the client sees it: a plain Error for a null in a non-null field (a fault of the hub, masked),
 * a GraphQLError for the rest (a value its type cannot represent, shown); a thrown value that
 * is not an Error is masked, as graphql-js masks it.
 */
function asGraphQLError(error: GraphQLError): GraphQLError {
  const original: unknown = error.originalError;
  if (original instanceof GraphQLError && Array.isArray(original.path)) return original;
  let message = error.message;
  let cause: Error;
  if (original instanceof Error) cause = original;
  else if (original !== undefined && original !== null) {
    cause = new NonErrorThrown(original);
    message = cause.message;
  } else cause = message.startsWith(NON_NULL) ? new Error(message) : new GraphQLError(message);
  const located = new GraphQLError(message, { path: error.path, originalError: cause });
  if (error.locations) Object.defineProperty(located, 'locations', { value: error.locations, enumerable: true, writable: true, configurable: true });
  return located;
}

const NON_NULL = 'Cannot return null for non-nullable field ';

/** Something thrown that is not an Error, as graphql-js wraps it (masked: not for clients). */
class NonErrorThrown extends Error {
  constructor(readonly thrownValue: unknown) {
    super(`Unexpected error value: ${typeof thrownValue === 'string' ? JSON.stringify(thrownValue) : String(thrownValue)}`);
    this.name = 'NonErrorThrown';
  }
}

/** Apollo Server's hook for an executor of its own: the schema as it is, executed compiled. */
export function compiledGateway(schema: GraphQLSchema, execution: CompiledExecution): ApolloServerOptionsWithGateway<never>['gateway'] {
  return {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => {};
    },
    async load() {
      return {
        executor: async (request) => {
          if (!request.operation) throw new Error('executor called without a resolved operation');
          return execution.execute({
            document: request.document,
            operation: request.operation,
            operationName: request.operationName,
            variables: request.request.variables,
            contextValue: request.context,
          });
        },
      };
    },
    async stop() {},
  };
}
