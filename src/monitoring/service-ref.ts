import { createServiceRef } from '../services';
import type { MonitoringService } from './service';

/** Kept apart from public.ts so the core's own GraphQL files, which public.ts exports, can use it. */
export const monitoringServiceRef = createServiceRef<MonitoringService>('monitoring');
