import { ApolloServer, HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServerPluginInlineTrace } from '@apollo/server/plugin/inlineTrace';
import { GraphQLError, type GraphQLSchema, type ValidationRule } from 'graphql';
import type { Logger } from 'pino';
import type { HubContext } from './context';
import { formatClientError, isClientSafe } from './mask';
import { createLimitsPlugin } from './cost/plugin';
import { compiledGateway, createCompiledExecution, type Compiler } from './compiled';
import { resultWriterFor, writeResponse, type ResultWriter } from './result-writer';

/** Request id of the operation that raised an error, for the masked message the client sees. */
const errorRequestIds = new WeakMap<object, string>();

/** Logs every error with its request id; unexpected ones in full, since the client sees a mask. */
function createErrorLoggingPlugin(logger: Logger): ApolloServerPlugin<HubContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          for (const error of errors) {
            errorRequestIds.set(error, contextValue.requestId);
            if (isClientSafe(error)) contextValue.logger.debug({ err: error.message }, 'client error');
            else contextValue.logger.error({ err: error.originalError ?? error, path: error.path }, 'operation failed');
          }
        },
      };
    },
  };
}

/**
 * The content type Apollo Server chose for each Accept header it answered. Apollo negotiates the
 * header anew for every response unless one already has a type; a client sends the same header
 * with every request, so the type chosen for it once is set before Apollo looks. Only types
 * Apollo chose are kept (a header it refused is negotiated, and refused, each time), for at most
 * 64 headers of at most 256 characters: clients choose them.
 */
const contentTypes = new Map<string, string>();
const CONTENT_TYPES_MAX = 64;
const ACCEPT_MAX = 256;

/** What the HTTP layer saw Apollo answer to a request with this Accept header. */
export function rememberContentType(accept: string | undefined, contentType: string | undefined): void {
  const key = accept ?? '';
  if (contentType === undefined || key.length > ACCEPT_MAX || contentTypes.has(key) || contentTypes.size >= CONTENT_TYPES_MAX) return;
  // single results only: a multipart (incremental) answer is decided elsewhere
  if (contentType.startsWith('application/json') || contentType.startsWith('application/graphql-response+json')) contentTypes.set(key, contentType);
}

/** The writer of each response's data, by the data: set as the response leaves, read as it is written. */
const writers = new WeakMap<object, ResultWriter>();

/**
 * The last look at a single response: its content type as chosen before for the same Accept
 * header, and its data's writer (after every other plugin, so it writes the data that is sent).
 */
const responsePlugin: ApolloServerPlugin<HubContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ request, response, document, schema }) {
        if (response.body.kind !== 'single') return;
        if (!response.http.headers.has('content-type')) {
          const known = contentTypes.get(request.http?.headers.get('accept') ?? '');
          if (known) response.http.headers.set('content-type', known);
        }
        const data = response.body.singleResult.data;
        // graphql-js builds objects without a prototype; a compiled operation's are plain objects,
        // which JSON.stringify walks as fast as the writer would
        if (document && data && Object.getPrototypeOf(data) === null) {
          const writer = resultWriterFor(schema, document, request.operationName);
          if (writer) writers.set(data, writer);
        }
      },
    };
  },
};

/** A response as JSON, compact: its data by the writer of its operation when it has one. */
function stringifyResult(value: { errors?: unknown; data?: unknown; extensions?: unknown }): string {
  const writer = typeof value.data === 'object' && value.data !== null ? writers.get(value.data) : undefined;
  return (writer && writeResponse(value, writer)) ?? JSON.stringify(value);
}

export interface ApolloOptions {
  schema: GraphQLSchema;
  introspection: boolean;
  validationRules: ValidationRule[];
  logger: Logger;
  /** tokens one document may have (the limits checked the same before) */
  maxTokens: number;
  /**
   * answer a router's request for an inline trace (ftv1, in the response's extensions; the
   * subgraph endpoint only). Errors in it are masked like the response's own.
   */
  inlineTrace?: boolean;
  /** cross-cutting plugins of the hub: metrics and traces */
  plugins?: ApolloServerPlugin<HubContext>[];
  /**
   * run operations compiled (`compiled.ts`) with this compiler. Not where a plugin must see every field resolve
   * (the inline trace of the subgraph endpoint), which only graphql-js' execution reports.
   */
  compiler?: Compiler | undefined;
}

export async function createApollo(options: ApolloOptions): Promise<ApolloServer<HubContext>> {
  const execution = options.compiler && !options.inlineTrace ? createCompiledExecution(options.schema, options.compiler, options.logger) : undefined;
  const server = new ApolloServer<HubContext>({
    ...(execution ? { gateway: compiledGateway(options.schema, execution) } : { schema: options.schema }),
    introspection: options.introspection,
    validationRules: options.validationRules,
    parseOptions: { maxTokens: options.maxTokens },
    allowBatchedHttpRequests: true,
    // Every document is analysed before it runs; a hash standing for a document seen earlier would
    // run with new variables unanalysed, so automatic persisted queries are off.
    persistedQueries: false,
    includeStacktraceInErrorResponses: false,
    // The hub runs on intranets and never phones home: no landing page fetched from a CDN (GraphiQL
    // is served locally), and no usage or schema reports to Apollo's cloud even when APOLLO_KEY and
    // APOLLO_GRAPH_REF happen to be in the environment. An inline trace goes only into the response
    // of a router that asked for it (`apollo-federation-include-trace: ftv1`), on /federation only.
    // Compact JSON: Apollo's default indents every response, which makes a nested page about half
    // again as large to build, write and read.
    stringifyResult,
    plugins: [
      // No field carries a cache hint; left on, the
      // plugin wraps every field resolver of every request to look for them.
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginSchemaReportingDisabled(),
      options.inlineTrace ? ApolloServerPluginInlineTrace({ includeErrors: { masked: true } }) : ApolloServerPluginInlineTraceDisabled(),
      createErrorLoggingPlugin(options.logger),
      createLimitsPlugin(),
      ...(options.plugins ?? []),
      responsePlugin,
    ],
    formatError: (formatted, error) =>
      formatClientError(
        error instanceof GraphQLError ? error : new GraphQLError(formatted.message, { originalError: error as Error }),
        errorRequestIds.get(error as object),
        {
          hideSuggestions: !options.introspection,
        },
      ),
    logger: {
      debug: (message) => options.logger.debug(message),
      info: (message) => options.logger.info(message),
      warn: (message) => options.logger.warn(message),
      error: (message) => options.logger.error(message),
    },
  });
  await server.start();
  return server;
}

export { HeaderMap };
