import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { HubError, ValidationError } from '../errors';
import { CostLimitError } from './cost/budget';

/** Codes graphql-js and the transports produce for client mistakes: safe to show as they are. */
const CLIENT_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'LIMIT_EXCEEDED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'RATE_LIMITED',
]);

export const MASKED_MESSAGE = 'Internal server error';

function originalOf(error: unknown): unknown {
  let current = error;
  while (current instanceof GraphQLError && current.originalError && current.originalError !== current) {
    current = current.originalError;
  }
  return current;
}

/**
 * Whether an error may reach the client as it is. Errors graphql-js raises itself (syntax,
 * validation, variable coercion) carry no original error; HubErrors are written for clients;
 * anything else — a database error, a bug — is masked.
 */
export function isClientSafe(error: unknown): boolean {
  if (!(error instanceof GraphQLError)) return error instanceof HubError;
  const original = originalOf(error);
  if (original instanceof HubError) return true;
  if (original instanceof GraphQLError) {
    const code = original.extensions?.code;
    return (typeof code === 'string' && CLIENT_CODES.has(code)) || (code === undefined && !original.originalError);
  }
  return original === error || original === undefined;
}

/** graphql-js ends some messages with "Did you mean ...?": a map of the schema for who cannot introspect it. */
const SUGGESTION = / ?Did you mean .+\?$/;

export interface FormatOptions {
  /** drop "Did you mean" suggestions (introspection off) */
  hideSuggestions?: boolean;
}

/** The formatted error a client sees: the same on HTTP and WebSocket. */
export function formatClientError(error: GraphQLError, requestId: string | undefined, options: FormatOptions = {}): GraphQLFormattedError {
  if (!isClientSafe(error)) {
    return {
      message: MASKED_MESSAGE,
      ...(error.path ? { path: error.path } : {}),
      extensions: { code: 'INTERNAL_SERVER_ERROR', ...(requestId ? { requestId } : {}) },
    };
  }
  const original = originalOf(error);
  const formatted = error.toJSON();
  const extensions: Record<string, unknown> = {};
  const originalCode = original instanceof GraphQLError ? original.extensions?.code : undefined;
  const code =
    original instanceof HubError
      ? original.code
      : typeof originalCode === 'string'
        ? originalCode
        : (formatted.extensions?.code ?? 'GRAPHQL_VALIDATION_FAILED');
  extensions.code = code;
  if (original instanceof ValidationError) extensions.problems = original.problems;
  if (original instanceof CostLimitError) Object.assign(extensions, original.details);
  if (requestId) extensions.requestId = requestId;
  return {
    message: options.hideSuggestions ? formatted.message.replace(SUGGESTION, '') : formatted.message,
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions,
  };
}
