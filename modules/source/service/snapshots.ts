import { and, asc, eq, inArray } from 'drizzle-orm';
import { isStaff, type Viewer } from '../../../src/auth/viewer';
import { ForbiddenError, NotFoundError, ValidationError, type FieldProblem } from '../../../src/errors';
import { monitoringServiceRef } from '../../../src/monitoring/public';
import { gridServiceRef } from '../../grid/public';
import { sourceSnapshots } from '../tables';
import { casesByIds } from './cases';
import { checkText } from './enterprises';
import { groupBy } from './outlets';
import { SNAPSHOT_TARGETS, type Snapshot, type SnapshotTarget, type SourceDeps } from './types';
import { camerasByIds } from './video';

export interface SnapshotInput {
  cameraId: number;
  targetKind: SnapshotTarget;
  targetId: number;
  /** a media id from the hub's media store, or the video platform's URL of the picture */
  mediaId?: string | null;
  url?: string | null;
  takenAt: Date;
}

function toSnapshot(row: typeof sourceSnapshots.$inferSelect): Snapshot {
  return {
    id: row.id,
    cameraId: row.cameraId,
    targetKind: row.targetKind as SnapshotTarget,
    targetId: row.targetId,
    mediaId: row.mediaId,
    url: row.url,
    takenAt: row.takenAt,
    attachedBy: row.attachedBy,
  };
}

/** The evidence must be something the viewer can see: an exceedance, a patrol or a case. */
async function requireTarget(deps: SourceDeps, viewer: Viewer, kind: SnapshotTarget, id: number): Promise<void> {
  let found: unknown;
  if (kind === 'EXCEEDANCE') [found] = await deps.services.get(monitoringServiceRef).exceedancesByIds(viewer, [id]);
  else if (kind === 'PATROL') [found] = await deps.services.get(gridServiceRef).patrols.byIds(viewer, [id]);
  else [found] = await casesByIds(deps, viewer, [id]);
  if (!found) throw new NotFoundError(kind === 'EXCEEDANCE' ? 'Exceedance' : kind === 'PATROL' ? 'GridPatrol' : 'EnforcementCase', String(id));
}

/** Attaches a camera snapshot as evidence; staff only, and both camera and target must be visible. */
export async function attachSnapshot(deps: SourceDeps, viewer: Viewer, input: SnapshotInput): Promise<Snapshot> {
  if (!isStaff(viewer) || !viewer.subject) throw new ForbiddenError('only staff attach evidence');
  const problems: FieldProblem[] = [];
  if (!SNAPSHOT_TARGETS.includes(input.targetKind)) problems.push({ path: 'targetKind', message: 'EXCEEDANCE, PATROL or CASE' });
  checkText(problems, 'mediaId', input.mediaId, 100, false);
  checkText(problems, 'url', input.url, 1000, false);
  if ((input.mediaId == null) === (input.url == null)) problems.push({ path: 'mediaId', message: 'give a media id or a URL' });
  if (input.url != null && !/^(https?|rtsp):\/\//.test(input.url)) problems.push({ path: 'url', message: 'an http(s) URL' });
  if (Number.isNaN(input.takenAt.getTime()) || input.takenAt.getTime() > deps.now().getTime() + 5 * 60_000)
    problems.push({ path: 'takenAt', message: 'is in the future' });
  if (problems.length > 0) throw new ValidationError(problems);
  const [camera] = await camerasByIds(deps, viewer, [input.cameraId]);
  if (!camera) throw new NotFoundError('Camera', String(input.cameraId));
  await requireTarget(deps, viewer, input.targetKind, input.targetId);
  const [row] = await deps.db.orm
    .insert(sourceSnapshots)
    .values({
      cameraId: camera.id,
      targetKind: input.targetKind,
      targetId: input.targetId,
      mediaId: input.mediaId ?? null,
      url: input.url ?? null,
      takenAt: input.takenAt,
      attachedBy: viewer.subject,
    })
    .returning();
  return toSnapshot(row as typeof sourceSnapshots.$inferSelect);
}

/** Snapshots attached to each target of one kind, oldest first: one statement; at most 50 each. */
export async function snapshotsOf(deps: SourceDeps, kind: SnapshotTarget, targetIds: readonly number[]): Promise<Snapshot[][]> {
  if (targetIds.length === 0) return [];
  const rows = await deps.db.orm
    .select()
    .from(sourceSnapshots)
    .where(and(eq(sourceSnapshots.targetKind, kind), inArray(sourceSnapshots.targetId, [...targetIds])))
    .orderBy(asc(sourceSnapshots.takenAt), asc(sourceSnapshots.id));
  return groupBy(targetIds, rows.map(toSnapshot), (snapshot) => snapshot.targetId).map((list) => list.slice(0, 50));
}
