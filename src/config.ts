/**
 * Configuration: every setting the hub reads, from the environment (or flags mapped onto the same
 * names), with its default and meaning. The README's configuration table is checked against this
 * list by a test, so the two cannot drift apart.
 */
import { ConfigError, readBool, readFraction, readInt, readProxies, readString, type Env, type Setting } from './config-env';
import { HJ212_SETTINGS, readHj212Config, type Hj212Config } from './config-hj212';
import { readJwt, type JwtConfig } from './config-jwt';
import { MEDIA_SETTINGS, readMedia, type MediaConfig } from './config-media';
import {
  NOTIFY_SETTINGS,
  OBSERVABILITY_SETTINGS,
  readMetrics,
  readNotify,
  readTracing,
  type MetricsConfig,
  type NotifyConfig,
  type TracingConfig,
} from './config-operations';

export { ConfigError } from './config-env';
export { MIN_JWT_SECRET_BYTES, type JwtConfig } from './config-jwt';
export { MAX_COMMAND_TIMEOUT_SECONDS, type Hj212Config } from './config-hj212';
export { DEFAULT_MEDIA_MAX_BYTES, MAX_MEDIA_BYTES, MAX_MEDIA_URL_TTL_SECONDS, MIN_MEDIA_URL_TTL_SECONDS, type MediaConfig } from './config-media';
export type { MetricsConfig, NotifyConfig, TracingConfig } from './config-operations';

export type HubMode = 'demo' | 'serve';

export interface Config {
  mode: HubMode;
  host: string;
  port: number;
  /** unset: embedded PGlite; otherwise a PostgreSQL URL */
  databaseUrl: string | undefined;
  /** embedded data directory; `memory://` keeps it in memory */
  dataDir: string;
  databasePoolMax: number;
  /** keep statements prepared on each pool connection (server engine) */
  databasePrepare: boolean;
  /** undefined: all registered modules */
  modules: string[] | undefined;
  logLevel: string;
  seed: boolean;
  jwt: JwtConfig;
  graphql: {
    introspection: boolean;
    /** run /graphql operations compiled by graphql-jit (graphql/compiled.ts) */
    compiled: boolean;
    maxDepth: number;
    /** rows one request may touch, per audience (see graphql/cost) */
    budgets: { anonymous: number; staff: number; upstream: number; federation: number };
    maxAliases: number;
    maxTokens: number;
    maxResponseBytes: number;
    maxDocumentBytes: number;
    maxBatch: number;
    maxBodyBytes: number;
    maxRepresentations: number;
    publicRatePerMinute: number;
    /** proxies whose X-Forwarded-For names the client (addresses and CIDR ranges) */
    trustedProxies: string[];
    wsMaxConnectionsPerAddress: number;
  };
  federation: {
    /** the district's 6-digit administrative division code: names the subgraph's root field */
    districtCode: string;
    /** publish mutations in the subgraph */
    mutations: boolean;
    /** answer a router's request for an inline trace (ftv1) */
    inlineTrace: boolean;
  };
  monitoring: {
    ingestBatchMax: number;
    retentionDays: number;
    interruptionFactor: number;
    interruptionCheckSeconds: number;
    forecast: {
      /** how often the forecast warnings are worked out */
      intervalSeconds: number;
      /** a forecast warning opens when the chance of crossing the limit within the horizon reaches this */
      warningProbability: number;
      /** hours ahead a forecast warning looks */
      horizonHours: number;
      /** hourly values a series needs before it is forecast */
      minHistoryHours: number;
      /** days of hourly history a forecast reads and fits */
      historyDays: number;
    };
  };
  events: {
    subscriberQueueMax: number;
    subscriberStallSeconds: number;
    keepAliveSeconds: number;
  };
  hj212: Hj212Config;
  reports: {
    /** rows one export may hold; a larger one is refused before it starts */
    exportMaxRows: number;
    /** the longest range (to - from) an export may cover */
    exportMaxRangeDays: number;
    /** exports running at once on this instance */
    exportMaxConcurrent: number;
  };
  media: MediaConfig;
  simulator: boolean;
  shutdownGraceSeconds: number;
  /** how long a mutation's idempotency key is remembered */
  idempotencyKeyHours: number;
  /** the notification webhook to the bureau's SMS/push gateway */
  notify: NotifyConfig;
  metrics: MetricsConfig;
  tracing: TracingConfig;
}

/** Rows a request may touch, per audience: the headline operations fit with room to spare. */
/**
 * Province lists of a few hundred enterprises or stations arrive as one `_entities` call (routers
 * do not split it); the hub loads them ENTITY_CHUNK at a time through its scoped loaders, so the
 * cap bounds a request's rows and its cost stays within FEDERATION_BUDGET.
 */
export const DEFAULT_MAX_REPRESENTATIONS = 500;
export const MAX_REPRESENTATIONS_CAP = 5000;
export const ENTITY_CHUNK = 100;
export const DEFAULT_DISTRICT_CODE = '510112';

export const DEFAULT_BUDGETS = { anonymous: 10000, staff: 50000, upstream: 100000, federation: 100000 } as const;
/**
 * The shortest raw-readings retention: the daily aggregate's refresh policy looks back 40 days,
 * and a bucket refreshed after its raw chunk was dropped would lose what the chunk held.
 */
export const MIN_RETENTION_DAYS = 42;
/** Two days start the daily season, a third settles it, a fourth gives the interval its first errors. */
export const MIN_FORECAST_HISTORY_HOURS = 96;

/** The documented settings, in README order. `default` is what applies when the variable is unset. */
export const SETTINGS: readonly Setting[] = [
  { name: 'HUB_HOST', default: '0.0.0.0', description: 'address the HTTP/WebSocket server binds to' },
  { name: 'HUB_PORT', default: '4000', description: 'HTTP port: GraphQL (GET, POST, graphql-ws) at /graphql, /healthz, /readyz' },
  { name: 'DATABASE_URL', default: '(unset: embedded)', description: 'PostgreSQL URL; unset uses the embedded PGlite + TimescaleDB engine' },
  { name: 'HUB_DATA_DIR', default: './data', description: 'embedded database and demo secrets directory; `memory://` keeps everything in memory' },
  { name: 'DATABASE_POOL_MAX', default: '10', description: 'maximum connections in the PostgreSQL pool (server engine)' },
  {
    name: 'DATABASE_PREPARE',
    default: 'true',
    description:
      'keep statements prepared on each pool connection: one round trip and no planning per statement (server engine); `false` behind a pooler in transaction mode (PgBouncer)',
  },
  { name: 'HUB_MODULES', default: '(all)', description: 'comma-separated module ids to enable, e.g. `grid,source`; dependencies must be listed too' },
  { name: 'LOG_LEVEL', default: 'info', description: 'pino log level: trace, debug, info, warn, error, fatal, silent' },
  { name: 'HUB_SEED', default: 'demo: true, serve: false', description: 'seed the demo district on start (only into an empty database)' },
  {
    name: 'JWT_SECRET',
    default: '(unset)',
    description: 'HS256 secret for tokens, at least 32 bytes in serve mode; the demo generates one in HUB_DATA_DIR when unset',
  },
  {
    name: 'JWT_JWKS_URL',
    default: '(unset)',
    description: 'JWKS URL for asymmetric tokens (used instead of JWT_SECRET); https only in serve mode, except on loopback',
  },
  { name: 'JWT_ISSUER', default: '(unset)', description: 'required `iss` when set' },
  { name: 'JWT_AUDIENCE', default: '(unset)', description: 'required `aud` when set' },
  { name: 'JWT_CLOCK_TOLERANCE', default: '30', description: 'seconds of clock skew accepted on `exp`/`nbf`' },
  { name: 'GRAPHQL_INTROSPECTION', default: 'demo: true, serve: false', description: 'allow schema introspection' },
  {
    name: 'GRAPHQL_COMPILED',
    default: 'true',
    description: 'run /graphql operations compiled (graphql-jit, each operation once); false runs them on graphql-js. /federation always runs on graphql-js',
  },
  { name: 'GRAPHQL_MAX_DEPTH', default: '12', description: 'maximum selection depth of an operation (HTTP and WebSocket)' },
  {
    name: 'GRAPHQL_BUDGET_ANONYMOUS',
    default: String(DEFAULT_BUDGETS.anonymous),
    description: 'rows one request without a token may touch (all operations of a batch, every alias; one WebSocket operation)',
  },
  {
    name: 'GRAPHQL_BUDGET_STAFF',
    default: String(DEFAULT_BUDGETS.staff),
    description: 'the same for any other token on /graphql: officers, assistants, enterprises, devices',
  },
  {
    name: 'GRAPHQL_BUDGET_UPSTREAM',
    default: String(DEFAULT_BUDGETS.upstream),
    description: 'the same for `upstream` tokens (province and city platforms) on /graphql',
  },
  { name: 'FEDERATION_BUDGET', default: String(DEFAULT_BUDGETS.federation), description: 'the same for every request to /federation' },
  { name: 'GRAPHQL_MAX_ALIASES', default: '30', description: 'maximum aliases in one operation' },
  { name: 'GRAPHQL_MAX_DOCUMENT_BYTES', default: '32768', description: 'maximum size of a query document' },
  { name: 'GRAPHQL_MAX_TOKENS', default: '10000', description: 'maximum tokens (names, punctuation, values) in a query document' },
  { name: 'GRAPHQL_MAX_BATCH', default: '10', description: 'maximum operations in one batched HTTP request' },
  {
    name: 'GRAPHQL_MAX_RESPONSE_BYTES',
    default: '8388608',
    description: 'response data one request may produce; past it the request ends with one error instead of its data',
  },
  {
    name: 'FEDERATION_MAX_REPRESENTATIONS',
    default: String(DEFAULT_MAX_REPRESENTATIONS),
    description: `entity representations one request to /federation may carry, over all its \`_entities\` fields (at most ${MAX_REPRESENTATIONS_CAP}); the hub loads them ${ENTITY_CHUNK} at a time`,
  },
  {
    name: 'HUB_DISTRICT_CODE',
    default: DEFAULT_DISTRICT_CODE,
    description:
      'the district’s 6-digit administrative division code (GB/T 2260); names the subgraph’s root field `district_<code>` so several district hubs compose in one supergraph',
  },
  {
    name: 'FEDERATION_MUTATIONS',
    default: 'false',
    description: 'publish mutations in the subgraph at /federation (under `district_<code>`); off, a router cannot change anything here',
  },
  {
    name: 'FEDERATION_INLINE_TRACE',
    default: 'true',
    description: 'add an inline trace (ftv1, errors masked) to a /federation response when the router asks for one; nothing is sent anywhere',
  },
  {
    name: 'PUBLIC_RATE_LIMIT_PER_MINUTE',
    default: '120',
    description: 'operations (each of a batch, and each WebSocket operation) per minute per client address for callers without a token',
  },
  {
    name: 'HTTP_TRUSTED_PROXIES',
    default: '(none)',
    description:
      'comma-separated addresses or CIDR ranges of reverse proxies whose `X-Forwarded-For` names the client; the client address is the nearest one not in the list',
  },
  {
    name: 'WS_MAX_CONNECTIONS_PER_ADDRESS',
    default: '50',
    description: 'WebSocket connections one client address may hold open; more are refused with HTTP 429',
  },
  { name: 'HTTP_MAX_BODY_BYTES', default: '1048576', description: 'maximum HTTP request body for GraphQL' },
  { name: 'INGEST_BATCH_MAX', default: '5000', description: 'maximum readings in one ingest batch' },
  {
    name: 'READINGS_RETENTION_DAYS',
    default: '1095',
    description: `raw readings older than this are dropped (TimescaleDB retention policy, whole 7-day chunks); the hourly and daily aggregates keep their buckets. At least ${MIN_RETENTION_DAYS}: past the daily aggregate's 40-day refresh window`,
  },
  { name: 'INTERRUPTION_FACTOR', default: '3', description: 'a monitor silent for this many reporting intervals is offline (data interruption)' },
  { name: 'INTERRUPTION_CHECK_SECONDS', default: '60', description: 'how often silent monitors are looked for' },
  {
    name: 'FORECAST_INTERVAL_SECONDS',
    default: '300',
    description: 'how often every hourly series with a limit is forecast and its forecast warning (预报预警) opened or closed',
  },
  {
    name: 'FORECAST_WARNING_PROBABILITY',
    default: '0.5',
    description:
      'a forecast warning opens when the forecast gives at least this chance (0.05-0.99) of the series being outside its limit at some hour of the horizon',
  },
  { name: 'FORECAST_HORIZON_HOURS', default: '6', description: 'hours ahead a forecast warning looks (1-6)' },
  {
    name: 'FORECAST_MIN_HISTORY_HOURS',
    default: '120',
    description: `hourly values (at least ${MIN_FORECAST_HISTORY_HOURS}) a series needs before it is forecast; shorter series get no forecast and no forecast warning`,
  },
  { name: 'FORECAST_HISTORY_DAYS', default: '14', description: 'days of hourly history a forecast reads, fits and backtests itself on (4-60)' },
  {
    name: 'SUBSCRIBER_QUEUE_MAX',
    default: '1000',
    description:
      'events held in memory per subscriber (one that falls further behind reads the outbox instead), and frames a live subscriber may leave unsent before it is disconnected (4429)',
  },
  {
    name: 'SUBSCRIBER_STALL_SECONDS',
    default: '30',
    description: 'a subscriber that takes no event for this long while newer ones wait is disconnected (close code 4429)',
  },
  { name: 'WS_KEEPALIVE_SECONDS', default: '15', description: 'WebSocket ping interval; a connection that misses one is closed' },
  ...HJ212_SETTINGS,
  {
    name: 'EXPORT_MAX_ROWS',
    default: '1000000',
    description: 'rows one export (CSV or XLSX) may hold; a larger one is refused before it starts: narrow the range',
  },
  {
    name: 'EXPORT_MAX_RANGE_DAYS',
    default: '366',
    description: 'the longest range one export may cover (figures computed for a whole period keep their own, smaller limits)',
  },
  { name: 'EXPORT_MAX_CONCURRENT', default: '4', description: 'exports and monthly reports running at once on an instance (at most 2 of them per account)' },
  ...MEDIA_SETTINGS,
  { name: 'SIMULATOR', default: 'demo: true, serve: false', description: 'play the demo district devices over TCP into the gateway' },
  {
    name: 'IDEMPOTENCY_KEY_HOURS',
    default: '24',
    description: 'how long a mutation’s `idempotencyKey` is remembered (1-720): the same key from the same token within this time returns the first result',
  },
  ...NOTIFY_SETTINGS,
  { name: 'SHUTDOWN_GRACE_SECONDS', default: '10', description: 'time in-flight requests get to finish on SIGINT/SIGTERM' },
  ...OBSERVABILITY_SETTINGS,
];

function readDistrictCode(env: Env, name: string): string {
  const code = readString(env, name) ?? DEFAULT_DISTRICT_CODE;
  if (!/^\d{6}$/.test(code)) throw new ConfigError(`${name} must be a 6-digit administrative division code, got "${code}"`);
  return code;
}

/** Builds a validated Config; throws ConfigError naming the variable at fault. */
export function loadConfig(env: Env = process.env, mode: HubMode = 'serve'): Config {
  const demo = mode === 'demo';
  const modules = readString(env, 'HUB_MODULES')
    ?.split(',')
    .map((m) => m.trim())
    .filter(Boolean);
  const logLevel = readString(env, 'LOG_LEVEL') ?? 'info';
  if (!['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'].includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of trace, debug, info, warn, error, fatal, silent, got "${logLevel}"`);
  }
  const databaseUrl = readString(env, 'DATABASE_URL');
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://');
  }
  const jwt = readJwt(env, demo);
  return {
    mode,
    host: readString(env, 'HUB_HOST') ?? '0.0.0.0',
    port: readInt(env, 'HUB_PORT', 4000),
    databaseUrl,
    dataDir: readString(env, 'HUB_DATA_DIR') ?? './data',
    databasePoolMax: readInt(env, 'DATABASE_POOL_MAX', 10, 1),
    databasePrepare: readBool(env, 'DATABASE_PREPARE', true),
    modules,
    logLevel,
    seed: readBool(env, 'HUB_SEED', demo),
    jwt,
    graphql: {
      introspection: readBool(env, 'GRAPHQL_INTROSPECTION', demo),
      compiled: readBool(env, 'GRAPHQL_COMPILED', true),
      maxDepth: readInt(env, 'GRAPHQL_MAX_DEPTH', 12, 1),
      budgets: {
        anonymous: readInt(env, 'GRAPHQL_BUDGET_ANONYMOUS', DEFAULT_BUDGETS.anonymous, 1),
        staff: readInt(env, 'GRAPHQL_BUDGET_STAFF', DEFAULT_BUDGETS.staff, 1),
        upstream: readInt(env, 'GRAPHQL_BUDGET_UPSTREAM', DEFAULT_BUDGETS.upstream, 1),
        federation: readInt(env, 'FEDERATION_BUDGET', DEFAULT_BUDGETS.federation, 1),
      },
      maxAliases: readInt(env, 'GRAPHQL_MAX_ALIASES', 30),
      maxTokens: readInt(env, 'GRAPHQL_MAX_TOKENS', 10000, 100),
      maxResponseBytes: readInt(env, 'GRAPHQL_MAX_RESPONSE_BYTES', 8388608, 1024),
      maxDocumentBytes: readInt(env, 'GRAPHQL_MAX_DOCUMENT_BYTES', 32768, 64),
      maxBatch: readInt(env, 'GRAPHQL_MAX_BATCH', 10, 1),
      maxBodyBytes: readInt(env, 'HTTP_MAX_BODY_BYTES', 1048576, 1024),
      maxRepresentations: readInt(env, 'FEDERATION_MAX_REPRESENTATIONS', DEFAULT_MAX_REPRESENTATIONS, 1, MAX_REPRESENTATIONS_CAP),
      publicRatePerMinute: readInt(env, 'PUBLIC_RATE_LIMIT_PER_MINUTE', 120, 1),
      trustedProxies: readProxies(env, 'HTTP_TRUSTED_PROXIES'),
      wsMaxConnectionsPerAddress: readInt(env, 'WS_MAX_CONNECTIONS_PER_ADDRESS', 50, 1),
    },
    federation: {
      districtCode: readDistrictCode(env, 'HUB_DISTRICT_CODE'),
      mutations: readBool(env, 'FEDERATION_MUTATIONS', false),
      inlineTrace: readBool(env, 'FEDERATION_INLINE_TRACE', true),
    },
    monitoring: {
      ingestBatchMax: readInt(env, 'INGEST_BATCH_MAX', 5000, 1),
      retentionDays: readInt(env, 'READINGS_RETENTION_DAYS', 1095, MIN_RETENTION_DAYS),
      interruptionFactor: readInt(env, 'INTERRUPTION_FACTOR', 3, 1),
      interruptionCheckSeconds: readInt(env, 'INTERRUPTION_CHECK_SECONDS', 60, 1),
      forecast: {
        intervalSeconds: readInt(env, 'FORECAST_INTERVAL_SECONDS', 300, 1),
        warningProbability: readFraction(env, 'FORECAST_WARNING_PROBABILITY', 0.5, 0.05, 0.99),
        horizonHours: readInt(env, 'FORECAST_HORIZON_HOURS', 6, 1, 6),
        minHistoryHours: readInt(env, 'FORECAST_MIN_HISTORY_HOURS', 120, MIN_FORECAST_HISTORY_HOURS, 60 * 24),
        historyDays: readInt(env, 'FORECAST_HISTORY_DAYS', 14, 4, 60),
      },
    },
    events: {
      subscriberQueueMax: readInt(env, 'SUBSCRIBER_QUEUE_MAX', 1000, 1),
      subscriberStallSeconds: readInt(env, 'SUBSCRIBER_STALL_SECONDS', 30, 1),
      keepAliveSeconds: readInt(env, 'WS_KEEPALIVE_SECONDS', 15, 1),
    },
    hj212: readHj212Config(env),
    reports: {
      exportMaxRows: readInt(env, 'EXPORT_MAX_ROWS', 1_000_000, 1, 10_000_000),
      exportMaxRangeDays: readInt(env, 'EXPORT_MAX_RANGE_DAYS', 366, 1, 3660),
      exportMaxConcurrent: readInt(env, 'EXPORT_MAX_CONCURRENT', 4, 1, 100),
    },
    media: readMedia(env, readString(env, 'HUB_DATA_DIR') ?? './data'),
    simulator: readBool(env, 'SIMULATOR', demo),
    shutdownGraceSeconds: readInt(env, 'SHUTDOWN_GRACE_SECONDS', 10),
    idempotencyKeyHours: readInt(env, 'IDEMPOTENCY_KEY_HOURS', 24, 1, 720),
    notify: readNotify(env, demo),
    metrics: readMetrics(env),
    tracing: readTracing(env),
  };
}
