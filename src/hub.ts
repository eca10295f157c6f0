import { hkdfSync, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { GraphQLSchema, ValidationRule } from 'graphql';
import type { Logger } from 'pino';
import type { Config } from './config';
import { openDatabase, type Database } from './db';
import { migrate, migrationsComplete } from './db/migrate';
import { EventBus } from './events/bus';
import { ServiceRegistry } from './services';
import { resolveModules, type HubModule, type HubRuntime, type StopFunction } from './modules';
import { MODULE_REGISTRY, CORE_MODULES } from './registry';
import { buildSchema } from './graphql/schema';
import { loadCompiler } from './graphql/compiled';
import { createContextFactory } from './graphql/context';
import { createApollo } from './graphql/apollo';
import { attachGraphqlWs } from './graphql/ws';
import type { RequestRules } from './graphql/cost/budget';
import { meterResponses } from './graphql/cost/response-size';
import { createClientAddress } from './client-address';
import { createRateLimiter } from './graphql/rate-limit';
import { createHttpServer, GRAPHQL_PATH, type GraphqlEndpoint, type RouteHandler } from './http';
import { buildSubgraphSchema } from './graphql/federation';
import { hasRole, isPlatform } from './auth/viewer';
import { createTokenVerifier } from './auth/jwt';
import { demoSecret } from './auth/secret';
import { createLogger } from './logger';
import { createScreenRoute } from './screen';
import { Scheduler } from './scheduler';
import { IdempotencyStore, idempotencyRef } from './idempotency/store';
import { HEARTBEAT_MS, InstanceRegistry, newInstanceId } from './cluster/instances';
import { applyReadingsPolicies } from './db/timescale';
import { HUB_VERSION } from './version';
import { HubMetrics } from './telemetry/metrics';
import { startTracing, statementSpans, traceRootFields } from './telemetry/tracing';
import { createTelemetryPlugin, type OperationSpans } from './telemetry/apollo';
import { instrumentRequests, serveMetrics, startMetricsListener } from './telemetry/http';
import { hj212GatewayRef } from './ingest/hj212/public';
import { startDistrictSimulator } from './simulator/with-hub';

export interface Hub {
  readonly config: Config;
  readonly schema: GraphQLSchema;
  readonly db: Database;
  readonly bus: EventBus;
  readonly services: ServiceRegistry;
  readonly logger: Logger;
  readonly modules: readonly string[];
  /** this process among the hub instances sharing the database */
  readonly instanceId: string;
  /** the port of the separate metrics listener (METRICS_PORT), when there is one */
  readonly metricsPort: number | undefined;
  /** the HTTP port actually bound (config port 0 picks a free one) */
  readonly port: number;
  readonly url: string;
  /** the JWT secret in use (the demo's generated one when none is configured) */
  readonly jwtSecret: string | undefined;
  /**
   * Settles when the demo data is seeded, the modules' workers and the simulator run: at once
   * unless the hub was created with `serveWhileSeeding`; rejects when that work fails.
   */
  readonly started: Promise<void>;
  stop(): Promise<void>;
}

export interface CreateHubOptions {
  logger?: Logger;
  registry?: readonly HubModule[];
  now?: () => Date;
  /**
   * Opens the listener once migrations are applied and the schema is built; seeding, the modules'
   * workers and the simulator follow in the background (`Hub.started`), and the federation
   * subgraph is built when first asked for. What `npm start` does.
   */
  serveWhileSeeding?: boolean;
}

/** Resolves the enabled modules and builds their schema: no database needed. */
export function planHub(config: Pick<Config, 'modules'>, registry: readonly HubModule[] = MODULE_REGISTRY) {
  const modules = resolveModules(registry, { core: CORE_MODULES, enabled: config.modules });
  return { modules, schema: buildSchema(modules) };
}

/**
 * build schema -> open db -> migrate -> seed -> start workers -> serve; with `serveWhileSeeding`,
 * serve right after migrating, then seed and start the workers (the subgraph is built on demand).
 */
export async function createHub(config: Config, options: CreateHubOptions = {}): Promise<Hub> {
  const started = Date.now();
  const phases = startupPhases();
  const logger = options.logger ?? createLogger(config.logLevel);
  const now = options.now ?? (() => new Date());
  // asked for now, loaded while the database opens (the schema is built synchronously before that)
  const compiler = config.graphql.compiled ? loadCompiler(logger) : undefined;
  const { modules, schema } = planHub(config, options.registry);
  phases.mark('schema');
  logger.info({ modules: modules.map((m) => m.name) }, 'modules resolved');

  const instanceId = newInstanceId();
  const applicationName = `envhub ${instanceId}`.slice(0, 63);
  const tracing = startTracing({ ...config.tracing, instanceId, version: HUB_VERSION }, logger);
  const db = await openDatabase(config, logger, {
    applicationName,
    observe: tracing ? statementSpans(() => tracing, config.databaseUrl ? 'postgres' : 'pglite') : undefined,
  });
  phases.mark('database');
  const stops: StopFunction[] = [];
  if (tracing) stops.push(() => tracing.shutdown());
  try {
    const metrics = new HubMetrics({ instance: instanceId, version: HUB_VERSION, engine: db.engine, timescaledb: db.capabilities.timescaledb });
    await migrate(db, logger);
    await applyReadingsPolicies(db, config.monitoring.retentionDays, logger);
    phases.mark('migrations');
    const instances = new InstanceRegistry(db, instanceId);
    await instances.register(HUB_VERSION);
    stops.push(() => instances.deregister());
    logger.info({ instanceId }, 'hub instance registered');
    let jwtSecret = config.jwt.secret;
    if (!jwtSecret && !config.jwt.jwksUrl && config.mode === 'demo') {
      const demo = demoSecret(config.dataDir);
      jwtSecret = demo.secret;
      logger.info({ path: demo.path }, demo.created ? 'demo JWT secret generated' : 'demo JWT secret loaded');
    }
    if (!jwtSecret && !config.jwt.jwksUrl) logger.warn('no JWT_SECRET or JWT_JWKS_URL: only public operations are possible');
    const verifyToken = createTokenVerifier({ ...config.jwt, secret: jwtSecret });
    // without a shared secret (a JWKS only) each instance signs with a key of its own
    const keyMaterial = jwtSecret ?? randomBytes(32).toString('base64');
    if (!jwtSecret) logger.warn('no JWT_SECRET: signed media URLs are valid only on the instance that issued them');
    const signingKey = (purpose: string): Buffer => Buffer.from(hkdfSync('sha256', keyMaterial, 'envhub', purpose, 32));

    const bus = new EventBus(db, logger, { subscriberQueueMax: config.events.subscriberQueueMax, instanceId, observer: metrics });
    await bus.start();
    stops.push(() => bus.stop());
    const scheduler = new Scheduler({ db, logger, now, instanceId, observer: metrics });
    stops.push(() => scheduler.stop());
    scheduler.every({ name: 'hub.heartbeat', scope: 'instance', everyMs: HEARTBEAT_MS, run: () => instances.heartbeat() });
    scheduler.every({ name: 'hub.instances-sweep', everyMs: 60_000, run: () => instances.sweep() });
    const services = new ServiceRegistry();
    const idempotency = new IdempotencyStore(db, now, config.idempotencyKeyHours);
    services.provide(idempotencyRef, idempotency);
    scheduler.every({ name: 'hub.idempotency-sweep', everyMs: 3_600_000, run: () => idempotency.sweep() });
    // /metrics on the main port only with a token; METRICS_PORT gives it a listener of its own
    const routes: RouteHandler[] = [
      async (request, response, url) => {
        if (url.pathname !== '/metrics') return false;
        await serveMetrics(request, response, metrics, { token: config.metrics.token, tokenRequired: true });
        return true;
      },
    ];
    const runtime: HubRuntime = {
      config,
      db,
      bus,
      services,
      logger,
      now,
      modules: modules.map((m) => m.name),
      addRoute: (route) => routes.push(route),
      verifyToken,
      signingKey,
      instanceId,
      scheduler,
      metrics,
    };
    for (const module of modules) module.provide?.(runtime);
    routes.push(createScreenRoute({ demo: config.mode === 'demo', secret: jwtSecret, issuer: config.jwt.issuer, audience: config.jwt.audience }));

    phases.mark('services');

    // Seeding, the modules' workers and the simulator: before the listener opens, or, when the hub
    // serves while it seeds, after it (queries meanwhile see the district as far as it is seeded).
    let stopRequested = false;
    const warmUp = async (): Promise<void> => {
      if (config.seed) await seedDemo(runtime, modules);
      phases.mark('seed');
      for (const module of modules) {
        if (stopRequested) return;
        const stop = await module.start?.(runtime);
        if (stop) stops.push(stop);
      }
      phases.mark('workers');
      if (config.simulator && !stopRequested) {
        const stopSimulator = startDistrictSimulator(runtime);
        if (stopSimulator) stops.push(stopSimulator);
      }
      phases.mark('simulator');
    };
    if (!options.serveWhileSeeding) await warmUp();

    // Limits are checked on each request before it is validated or run (graphql/cost), so the
    // executors need no rules of their own for them.
    const validationRules: ValidationRule[] = [];
    const rules: RequestRules = {
      budgets: config.graphql.budgets,
      maxDepth: config.graphql.maxDepth,
      maxAliases: config.graphql.maxAliases,
      maxEntities: config.graphql.maxRepresentations,
      maxTokens: config.graphql.maxTokens,
    };
    const clientAddress = createClientAddress(config.graphql.trustedProxies);
    const publicLimiter = createRateLimiter({ perMinute: config.graphql.publicRatePerMinute });
    meterResponses(schema);
    const operationSpans: OperationSpans = new WeakMap();
    const plugins = [createTelemetryPlugin({ metrics, tracing, spans: operationSpans })];
    if (tracing) traceRootFields(schema, tracing.tracer, (contextValue) => operationSpans.get(contextValue as object));
    const apolloOptions = { introspection: config.graphql.introspection, validationRules, logger, maxTokens: config.graphql.maxTokens, plugins };
    const createContext = createContextFactory({ db, bus, services, logger, now });
    const apollo = await createApollo({ ...apolloOptions, schema, compiler: await compiler });
    stops.push(() => apollo.stop());
    // The subgraph is a second build of the whole schema, a second of CPU that holds every request
    // up: where the hub serves at once (the demo) it is built when a platform first asks for it.
    let federation: Promise<GraphqlEndpoint> | undefined;
    const federationEndpoint = (): Promise<GraphqlEndpoint> => {
      federation ??= (async () => {
        const subgraph = buildSubgraphSchema(modules, {
          maxRepresentations: config.graphql.maxRepresentations,
          districtCode: config.federation.districtCode,
          mutations: config.federation.mutations,
        });
        meterResponses(subgraph.schema);
        const federationApollo = await createApollo({ ...apolloOptions, schema: subgraph.schema, inlineTrace: config.federation.inlineTrace });
        stops.push(() => federationApollo.stop());
        return { apollo: federationApollo, schema: subgraph.schema };
      })();
      return federation;
    };
    if (!options.serveWhileSeeding) await federationEndpoint();
    phases.mark('graphql');
    let migrated = false;
    const http = createHttpServer({
      apollo,
      schema,
      rules,
      clientAddress,
      maxResponseBytes: config.graphql.maxResponseBytes,
      createContext,
      verifyToken,
      logger,
      maxBodyBytes: config.graphql.maxBodyBytes,
      maxDocumentBytes: config.graphql.maxDocumentBytes,
      maxBatch: config.graphql.maxBatch,
      routes,
      publicLimiter,
      instrument: instrumentRequests(metrics, tracing),
      federation: { endpoint: federationEndpoint, allow: (viewer) => isPlatform(viewer) || hasRole(viewer, 'admin', 'district') },
      ready: async () => {
        await db.query('SELECT 1');
        migrated ||= await migrationsComplete(db);
        return migrated;
      },
    });
    const ws = attachGraphqlWs({
      httpServer: http.server,
      path: GRAPHQL_PATH,
      schema,
      createContext,
      verifyToken,
      validationRules,
      introspection: config.graphql.introspection,
      maxDocumentBytes: config.graphql.maxDocumentBytes,
      maxPayloadBytes: config.graphql.maxBodyBytes,
      stallMs: config.events.subscriberStallSeconds * 1000,
      queueMax: config.events.subscriberQueueMax,
      keepAliveMs: config.events.keepAliveSeconds * 1000,
      logger,
      publicLimiter,
      rules,
      clientAddress,
      maxResponseBytes: config.graphql.maxResponseBytes,
      maxConnectionsPerAddress: config.graphql.wsMaxConnectionsPerAddress,
    });
    metrics.watch(
      {
        db,
        bus,
        gateway: () => services.get(hj212GatewayRef).status(),
        websockets: () => ws.stats(),
        applicationName,
        poolMax: config.databaseUrl ? config.databasePoolMax : 1,
      },
      logger,
    );
    const metricsListener =
      config.metrics.port === undefined
        ? undefined
        : await startMetricsListener(metrics, { host: config.metrics.host, port: config.metrics.port, token: config.metrics.token }, logger);
    if (metricsListener) stops.push(() => metricsListener.close());
    await new Promise<void>((resolve, reject) => {
      http.server.once('error', reject);
      http.server.listen(config.port, config.host, () => resolve());
    });
    phases.mark('listen');
    const port = (http.server.address() as AddressInfo).port;
    const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
    const url = `http://${host}:${port}${GRAPHQL_PATH}`;
    logger.info(
      { url, ms: Date.now() - started, phases: phases.done() },
      options.serveWhileSeeding ? 'envhub answering; starting its workers' : 'envhub ready',
    );
    const warmedUp = options.serveWhileSeeding
      ? (async () => {
          await warmUp();
          if (!stopRequested) logger.info({ ms: Date.now() - started, phases: phases.done() }, 'envhub ready');
        })()
      : Promise.resolve();
    // a failure is reported through `started`; this keeps it from counting as unhandled meanwhile
    warmedUp.catch(() => {});

    let stopping: Promise<void> | undefined;
    return {
      config,
      schema,
      db,
      bus,
      services,
      logger,
      modules: runtime.modules,
      instanceId,
      metricsPort: metricsListener?.port,
      port,
      url,
      jwtSecret,
      started: warmedUp,
      stop: () => {
        stopping ??= (async () => {
          logger.info('stopping: no new requests, finishing those in flight');
          // a module's seed runs to its end: a district half seeded would not be seeded again
          stopRequested = true;
          await warmedUp.catch(() => {});
          await ws.close();
          await http.close(config.shutdownGraceSeconds * 1000);
          for (const stop of stops.reverse()) {
            try {
              await stop();
            } catch (error) {
              logger.error({ err: error }, 'a component failed to stop cleanly');
            }
          }
          await db.close();
          logger.info('stopped');
        })();
        return stopping;
      },
    };
  } catch (error) {
    for (const stop of stops.reverse()) await Promise.resolve(stop()).catch(() => {});
    await db.close().catch(() => {});
    throw error;
  }
}

/** Seeds once per database: each module its part, in load order. */
async function seedDemo(runtime: HubRuntime, modules: readonly HubModule[]): Promise<void> {
  const done = await runtime.db.query<{ value: string }>("SELECT value FROM hub_meta WHERE key = 'demo_seeded'");
  if (done.length > 0) return;
  const started = Date.now();
  runtime.logger.info('seeding the demo district');
  for (const module of modules) {
    if (!module.seed) continue;
    const moduleStarted = Date.now();
    await module.seed(runtime);
    runtime.logger.info({ module: module.name, ms: Date.now() - moduleStarted }, 'demo data seeded');
  }
  await runtime.db.query("INSERT INTO hub_meta (key, value) VALUES ('demo_seeded', $1) ON CONFLICT (key) DO NOTHING", [new Date().toISOString()]);
  runtime.logger.info({ ms: Date.now() - started }, 'demo district ready');
}

/**
 * Where a start spends its time, in ms per phase: the first, `process`, is node's own start and the
 * loading of the hub's modules (since the process began); the rest are createHub's steps.
 */
function startupPhases(): { mark(name: string): void; done(): Record<string, number> } {
  let last = performance.now();
  const phases: Record<string, number> = { process: Math.round(last) };
  return {
    mark(name) {
      const at = performance.now();
      phases[name] = Math.round(at - last);
      last = at;
    },
    done: () => phases,
  };
}
