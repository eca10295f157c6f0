import { hasRole, type Role, type Viewer } from '../../../src/auth/viewer';
import { ForbiddenError } from '../../../src/errors';
import type { ReportsDeps } from '../service/deps';
import type { RunningExport } from '../service/jobs';
import { airPart } from './air';
import { enforcementPart, gridPart } from './grid-enforcement';
import type { MonthSpan } from './period';
import type { MonthlyReport } from './types';
import { sourcePart, waterPart } from './water-source';

/** The bureau's and the towns' officers: a town's report covers its own cells. */
export const MONTHLY_ROLES: readonly Role[] = ['admin', 'district', 'town'];

export function checkMonthlyReader(viewer: Viewer): void {
  if (!hasRole(viewer, ...MONTHLY_ROLES)) throw new ForbiddenError('the monthly report is for bureau and town officers');
}

/**
 * Gathers the month part by part through the other modules' services (each with the viewer's own
 * scope); a part whose module is off stays null. Progress counts parts.
 */
export async function gatherMonthlyReport(deps: ReportsDeps, viewer: Viewer, span: MonthSpan, running: RunningExport): Promise<MonthlyReport> {
  const on = (module: string) => deps.modules.includes(module);
  const steps: [keyof Omit<MonthlyReport, 'period' | 'generatedAt'>, string, () => Promise<unknown>][] = [
    ['air', 'air', () => airPart(deps.services, viewer, span)],
    ['water', 'water', () => waterPart(deps.services, viewer, span, running.signal)],
    ['source', 'source', () => sourcePart(deps.services, viewer, span, deps.modules, deps.now())],
    ['grid', 'grid', () => gridPart(deps.services, viewer, span)],
    ['enforcement', 'source', () => enforcementPart(deps.services, viewer, span, running.signal)],
  ];
  const report: MonthlyReport = { period: span, generatedAt: deps.now(), air: null, water: null, source: null, grid: null, enforcement: null };
  const wanted = steps.filter(([, module]) => on(module));
  running.estimate(wanted.length);
  for (const [part, , gather] of wanted) {
    if (running.signal.aborted) throw running.signal.reason;
    (report as unknown as Record<string, unknown>)[part] = await gather();
    running.progress(1);
  }
  return report;
}
