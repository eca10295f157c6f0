#!/usr/bin/env node
import './production';
import { writeFileSync, mkdirSync } from 'node:fs';
import { loadConfig, ConfigError, type HubMode } from './config';
import { createLogger } from './logger';
import { ModuleLoadError } from './modules';
import { runToken } from './auth/token-cli';
import { runSimulate, SIMULATE_USAGE } from './simulator/cli';

const USAGE = `envhub <command> [options]

commands:
  demo       the hub on its embedded database with the demo district and simulator (npm start)
  serve      the production entry: configuration from the environment only, no demo data unless HUB_SEED=true
  migrate    apply database migrations and exit
  token      mint a JWT: --as <demo person> (--as list), or --role <role> [--cell <code>]... [--enterprise <uscc>] [--mn <MN>]... [--camera <code>]... [--ttl 12h]; token --help
  schema     write schema/schema.graphql and schema/subgraph.graphql from the code
  ${SIMULATE_USAGE}
`;

// The hub, its database and its schema load only for the commands that use them: `token` and
// `--help` answer at once.
async function runHub(mode: HubMode): Promise<void> {
  const config = loadConfig(process.env, mode);
  // the embedded database starts while the hub's modules load
  if (!config.databaseUrl) (await import('./db/pglite')).startPglite(config.dataDir);
  const { createHub } = await import('./hub');
  // the demo answers as soon as its schema is migrated; the district is seeded meanwhile
  const hub = await createHub(config, { serveWhileSeeding: mode === 'demo' });
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    hub.logger.info({ signal }, 'shutdown requested');
    hub.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        hub.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  try {
    await hub.started;
  } catch (error) {
    hub.logger.error({ err: error }, 'the hub failed to start its workers');
    await hub.stop().catch(() => {});
    throw error;
  }
  if (stopping) return;
  if (mode === 'demo') {
    const base = hub.url.replace(/\/graphql$/, '');
    process.stdout.write(
      [
        '',
        'envhub demo is running (the simulator plays the district; an exceedance shows within a minute, then every few)',
        `  duty screen  ${base}/            sign in with the demo officer button, or paste a token`,
        `  GraphiQL     ${base}/graphql     example operations for every module; subscriptions too`,
        `  grid map     ${base}/geo/grid.geojson?level=3`,
        '  a token      npm run -s token -- --role district     (README: roles, and how to make an exceedance by hand)',
        '',
        '',
      ].join('\n'),
    );
  }
}

async function runMigrate(): Promise<void> {
  const config = loadConfig(process.env, 'serve');
  const logger = createLogger(config.logLevel);
  const [{ openDatabase }, { migrate }] = await Promise.all([import('./db'), import('./db/migrate')]);
  const db = await openDatabase(config, logger);
  try {
    const { applied } = await migrate(db, logger);
    logger.info({ applied: applied.length }, applied.length ? 'migrations applied' : 'nothing to migrate');
  } finally {
    await db.close();
  }
}

async function runSchema(): Promise<void> {
  const [{ planHub }, { printHubSchema }, { buildSubgraphSchema, DEFAULT_SUBGRAPH_OPTIONS }] = await Promise.all([
    import('./hub'),
    import('./graphql/schema'),
    import('./graphql/federation'),
  ]);
  const { schema, modules } = planHub({ modules: undefined });
  mkdirSync('schema', { recursive: true });
  writeFileSync('schema/schema.graphql', printHubSchema(schema));
  writeFileSync('schema/subgraph.graphql', `${buildSubgraphSchema(modules, DEFAULT_SUBGRAPH_OPTIONS).sdl}\n`);
  process.stderr.write('schema/schema.graphql and schema/subgraph.graphql written\n');
}

async function main(argv: string[]): Promise<void> {
  const [command = 'demo', ...rest] = argv;
  switch (command) {
    case 'demo':
    case 'serve':
      return runHub(command);
    case 'migrate':
      return runMigrate();
    case 'token':
      return runToken(rest);
    case 'schema':
      return runSchema();
    case 'simulate':
      return runSimulate(rest);
    case 'help':
    case '--help':
      process.stdout.write(USAGE);
      return;
    default:
      process.stderr.write(`unknown command "${command}"\n\n${USAGE}`);
      process.exit(2);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof ModuleLoadError) {
    process.stderr.write(`envhub: ${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`envhub: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
