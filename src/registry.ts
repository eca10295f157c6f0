import type { HubModule } from './modules';
import { monitoringModule } from './monitoring/module';

/** Every module the hub knows, in the order they load when all are on. */
export const MODULE_REGISTRY: readonly HubModule[] = [monitoringModule];

/** Modules that are always on, whatever HUB_MODULES says. */
export const CORE_MODULES: readonly string[] = ['monitoring'];
