import type { HubModule } from './modules';
import { monitoringModule } from './monitoring/module';
import { hj212Module } from './ingest/hj212/module';
import { gridModule } from '../modules/grid';
import { sourceModule } from '../modules/source';
import { airModule } from '../modules/air';
import { waterModule } from '../modules/water';
import { emergencyModule } from '../modules/emergency';
import { oaModule } from '../modules/oa';
import { disclosureModule } from '../modules/disclosure';
import { reportsModule } from '../modules/reports';
import { notifyModule } from '../modules/notify';

/** Every module the hub knows, in the order they load when all are on. */
export const MODULE_REGISTRY: readonly HubModule[] = [
  monitoringModule,
  hj212Module,
  gridModule,
  sourceModule,
  airModule,
  waterModule,
  emergencyModule,
  oaModule,
  disclosureModule,
  reportsModule,
  notifyModule,
];

/** Modules that are always on, whatever HUB_MODULES says. */
export const CORE_MODULES: readonly string[] = ['monitoring', 'hj212'];
