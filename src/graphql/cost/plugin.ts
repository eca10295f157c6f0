import type { ApolloServerPlugin } from '@apollo/server';
import type { DocumentNode, GraphQLFormattedError, GraphQLSchema } from 'graphql';
import type { Allowance, HubContext } from '../context';
import { analyseOperation } from './analyse';

/** A client asks for the cost of its operation with `extensions: { cost: true }` in the request. */
export function wantsCost(extensions: unknown): boolean {
  return typeof extensions === 'object' && extensions !== null && (extensions as { cost?: unknown }).cost === true;
}

/** What `extensions.cost` of a response says. */
export function costExtension(
  schema: GraphQLSchema,
  document: DocumentNode,
  request: { operationName?: string | null | undefined; variables?: Readonly<Record<string, unknown>> | null | undefined },
  allowance: Allowance,
): Record<string, unknown> {
  const operation = analyseOperation({ schema, document, operationName: request.operationName, variables: request.variables });
  return { operation: operation?.cost ?? 0, request: allowance.cost, budget: allowance.budget, audience: allowance.audience };
}

/** The one error a request past the response bound gets instead of its data. */
export function responseRefusal(allowance: Allowance | undefined, requestId: string): GraphQLFormattedError | undefined {
  const refusal = allowance?.response.exceeded;
  if (!refusal) return undefined;
  return { message: refusal.message, extensions: { code: refusal.code, maxBytes: allowance.response.maxBytes, requestId } };
}

/**
 * The response side of the limits over HTTP: a request past the response bound ends with one
 * error instead of the data built so far, and an operation that asked for its cost gets it.
 */
export function createLimitsPlugin(): ApolloServerPlugin<HubContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue, document, request, schema }) {
          if (response.body.kind !== 'single') return;
          const refusal = responseRefusal(contextValue.allowance, contextValue.requestId);
          if (refusal) {
            response.body.singleResult = { errors: [refusal] };
            return;
          }
          if (!wantsCost(request.extensions) || !document || !contextValue.allowance) return;
          const result = response.body.singleResult;
          result.extensions = { ...result.extensions, cost: costExtension(schema, document, request, contextValue.allowance) };
        },
      };
    },
  };
}
