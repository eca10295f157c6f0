import type { Logger } from 'pino';
import type { Config } from './config';
import type { Database } from './db';
import type { EventBus } from './events/bus';
import type { HubBuilder } from './graphql/builder';
import type { ServiceRegistry } from './services';
import type { RouteHandler } from './http';
import type { VerifyToken } from './auth/jwt';
import type { Scheduler } from './scheduler';
import type { HubMetrics } from './telemetry/metrics';

/** What a module's provide/start/seed receive: the running hub's shared pieces. */
export interface HubRuntime {
  readonly config: Config;
  readonly db: Database;
  readonly bus: EventBus;
  readonly services: ServiceRegistry;
  readonly logger: Logger;
  readonly now: () => Date;
  /** the modules that are on, in load order */
  readonly modules: readonly string[];
  /** mounts an HTTP route beside /graphql (media upload and download) */
  addRoute(route: RouteHandler): void;
  /** the token verifier GraphQL uses, for routes that authenticate the same way */
  readonly verifyToken: VerifyToken;
  /**
   * A 32-byte key for one purpose (e.g. signing media URLs), derived from the hub's secret so every
   * instance derives the same one and no second secret has to be configured.
   */
  signingKey(purpose: string): Buffer;
  /** this process among the hub instances sharing the database (see src/cluster) */
  readonly instanceId: string;
  /** periodic jobs, run once per period across instances unless a job says otherwise */
  readonly scheduler: Scheduler;
  /** the instance's Prometheus metrics, for the few counters a module reports itself */
  readonly metrics: HubMetrics;
}

export type StopFunction = () => Promise<void> | void;

/**
 * The module contract. Everything is optional except the name: a module may only add schema, or
 * only run a worker. Tables are not listed here: there is one migration stream for all modules,
 * so a module switched off keeps its tables and loses nothing.
 */
export interface HubModule {
  /** short lower-case id, as used in HUB_MODULES */
  readonly name: string;
  readonly description: string;
  readonly dependsOn?: readonly string[];
  /** binds the module's services; runs before any module starts */
  provide?(hub: HubRuntime): void;
  /** adds the module's types and fields; pure, needs no database */
  register?(builder: HubBuilder): void;
  /** starts workers and event consumers; returns how to stop them */
  start?(hub: HubRuntime): Promise<StopFunction | void> | StopFunction | void;
  /** seeds the module's part of the demo district into an empty database */
  seed?(hub: HubRuntime): Promise<void>;
}

export class ModuleLoadError extends Error {
  override name = 'ModuleLoadError';
}

const MODULE_NAME = /^[a-z][a-z0-9]{1,19}$/;

/**
 * Validates the registry and returns the enabled modules in dependency order. `core` modules are
 * always on; `enabled` (HUB_MODULES) picks among the rest, undefined meaning all of them.
 */
export function resolveModules(
  registry: readonly HubModule[],
  options: { core?: readonly string[]; enabled?: readonly string[] | undefined } = {},
): HubModule[] {
  const byName = new Map<string, HubModule>();
  for (const module of registry) {
    if (!MODULE_NAME.test(module.name)) throw new ModuleLoadError(`module id "${module.name}" must be a short lower-case word`);
    if (byName.has(module.name)) throw new ModuleLoadError(`module "${module.name}" is registered twice`);
    byName.set(module.name, module);
  }
  const core = new Set(options.core ?? []);
  for (const name of options.enabled ?? []) {
    if (!byName.has(name)) {
      throw new ModuleLoadError(`unknown module "${name}" in HUB_MODULES; known: ${[...byName.keys()].join(', ')}`);
    }
  }
  const wanted = new Set(options.enabled ? [...core, ...options.enabled] : byName.keys());
  for (const name of wanted) {
    const module = byName.get(name);
    for (const dependency of module?.dependsOn ?? []) {
      if (!byName.has(dependency)) throw new ModuleLoadError(`module "${name}" depends on "${dependency}", which does not exist`);
      if (!wanted.has(dependency)) {
        throw new ModuleLoadError(`module "${name}" needs "${dependency}": add it to HUB_MODULES or remove "${name}"`);
      }
    }
  }
  const ordered: HubModule[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, trail: string[]): void => {
    const seen = state.get(name);
    if (seen === 'done') return;
    if (seen === 'visiting') throw new ModuleLoadError(`module dependency cycle: ${[...trail, name].join(' -> ')}`);
    state.set(name, 'visiting');
    const module = byName.get(name) as HubModule;
    for (const dependency of module.dependsOn ?? []) visit(dependency, [...trail, name]);
    state.set(name, 'done');
    ordered.push(module);
  };
  // registry order first, so load order is stable and readable
  for (const module of registry) if (wanted.has(module.name)) visit(module.name, []);
  return ordered;
}
