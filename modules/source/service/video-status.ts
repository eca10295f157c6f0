/**
 * The video platform's camera status reports: a change is recorded and announced once, each
 * report stands alone, and a device token reports only the cameras it is bound to.
 */
import { inArray, sql } from 'drizzle-orm';
import { hasRole, type Viewer } from '../../../src/auth/viewer';
import { json, rowsOf } from '../../../src/db';
import { ValidationError } from '../../../src/errors';
import { CAMERA_CODE } from '../../../src/validation';
import { cameraCameOnline, cameraWentOffline, type CameraStatusPayload } from '../events';
import { sourceCameras } from '../tables';
import type { CameraStatus, SiteKind, SourceDeps } from './types';

export const MAX_STATUS_REPORTS = 500;

export interface CameraStatusReport {
  code: string;
  status: Extract<CameraStatus, 'ONLINE' | 'OFFLINE'>;
  at?: Date | null;
}

/** What became of one status report. */
export interface CameraStatusOutcome {
  index: number;
  code: string;
  /** CHANGED: recorded and announced; UNCHANGED: the camera already had it (or a later report in the batch counts); REJECTED: see reason */
  outcome: 'CHANGED' | 'UNCHANGED' | 'REJECTED';
  reason?: string;
}

export interface CameraStatusResult {
  changed: number;
  unchanged: number;
  rejected: number;
  /** one per report, in input order */
  items: CameraStatusOutcome[];
}

export const NOT_THIS_PLATFORMS_CAMERA = 'not this platform’s camera';

/**
 * The video platform's status reports. Only a change is recorded and announced: a platform that
 * repeats "online" every minute produces no events. Each report stands alone: an unknown camera,
 * or one the caller's token is not bound to, is refused without holding up the others. `viewer`
 * undefined or an administrator may report any camera; a device token only its own.
 */
export async function reportCameraStatus(deps: SourceDeps, reports: readonly CameraStatusReport[], viewer?: Viewer): Promise<CameraStatusResult> {
  if (reports.length === 0 || reports.length > MAX_STATUS_REPORTS) throw new ValidationError([{ path: 'reports', message: `1-${MAX_STATUS_REPORTS} reports` }]);
  const bound = viewer === undefined || hasRole(viewer, 'admin') ? undefined : new Set(viewer.cameras);
  const result: CameraStatusResult = { changed: 0, unchanged: 0, rejected: 0, items: new Array(reports.length) };
  const reject = (index: number, code: string, reason: string): void => {
    result.items[index] = { index, code, outcome: 'REJECTED', reason };
    result.rejected += 1;
  };
  // the last report of a camera in the batch is the one that counts
  const latest = new Map<string, { index: number; report: CameraStatusReport }>();
  reports.forEach((report, index) => {
    if (!CAMERA_CODE.test(report.code)) reject(index, report.code.slice(0, 40), 'not a camera code');
    else if (report.status !== 'ONLINE' && report.status !== 'OFFLINE') reject(index, report.code, 'status must be ONLINE or OFFLINE');
    else if (bound !== undefined && !bound.has(report.code)) reject(index, report.code, NOT_THIS_PLATFORMS_CAMERA);
    else latest.set(report.code, { index, report });
  });
  const now = deps.now();
  const changed =
    latest.size === 0
      ? { known: [], changed: [] }
      : await writeStatuses(
          deps,
          [...latest.values()].map(({ report }) => report),
          now,
        );
  const known = new Set(changed.known);
  const changedCodes = new Set(changed.changed);
  reports.forEach((report, index) => {
    if (result.items[index]) return;
    if (!known.has(report.code)) reject(index, report.code, 'unknown camera');
    else if (latest.get(report.code)?.index === index && changedCodes.has(report.code)) {
      result.items[index] = { index, code: report.code, outcome: 'CHANGED' };
      result.changed += 1;
    } else {
      result.items[index] = { index, code: report.code, outcome: 'UNCHANGED' };
      result.unchanged += 1;
    }
  });
  return result;
}

/** Records the reports that change a camera's status and announces them; says which codes exist and which changed. */
async function writeStatuses(deps: SourceDeps, reports: readonly CameraStatusReport[], now: Date): Promise<{ known: string[]; changed: string[] }> {
  return deps.bus.transaction(async (tx, emit) => {
    const rows = await rowsOf<{
      id: number;
      code: string;
      name: string;
      status: string;
      previous: string;
      changed_at: string | Date;
      site_code: string;
      site_name: string;
      site_kind: string;
      cell_code: string | null;
      uscc: string | null;
    }>(
      tx,
      sql`WITH reported AS (
            SELECT r->>'code' AS code, r->>'status' AS status, (r->>'at')::timestamptz AS at FROM jsonb_array_elements(${json(reports.map((r) => ({ code: r.code, status: r.status, at: (r.at ?? now).toISOString() })))}) r),
          changed AS (
            UPDATE source_cameras c SET status = reported.status, status_changed_at = reported.at
              FROM reported, source_cameras old
             WHERE c.code = reported.code AND old.id = c.id AND c.status <> reported.status
            RETURNING c.id, c.code, c.name, c.status, old.status AS previous, c.status_changed_at AS changed_at, c.site_id)
          SELECT changed.*, s.code AS site_code, s.name AS site_name, s.kind AS site_kind, s.cell_code, e.uscc
            FROM changed JOIN source_video_sites s ON s.id = changed.site_id LEFT JOIN source_enterprises e ON e.id = s.enterprise_id
           ORDER BY changed.id`,
    );
    for (const row of rows) {
      const payload: CameraStatusPayload = {
        cameraId: Number(row.id),
        code: row.code,
        name: row.name,
        siteCode: row.site_code,
        siteName: row.site_name,
        siteKind: row.site_kind as SiteKind,
        enterpriseUscc: row.uscc,
        cellCode: row.cell_code,
        status: row.status as CameraStatusPayload['status'],
        previousStatus: row.previous as CameraStatus,
        at: new Date(row.changed_at).toISOString(),
      };
      emit(payload.status === 'OFFLINE' ? cameraWentOffline : cameraCameOnline, payload);
    }
    const existing = await tx
      .select({ code: sourceCameras.code })
      .from(sourceCameras)
      .where(
        inArray(
          sourceCameras.code,
          reports.map((r) => r.code),
        ),
      );
    return { known: existing.map((row) => row.code), changed: rows.map((row) => row.code) };
  });
}
