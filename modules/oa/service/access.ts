import { eq } from 'drizzle-orm';
import { hasRole, isAdmin, isStaff, type Viewer } from '../../../src/auth/viewer';
import { ForbiddenError } from '../../../src/errors';
import { oaPeople } from '../tables';
import type { OaDeps } from './deps';
import { DISTRICT_BUREAU, OA_ROLES, type Actor, type OaRole } from './types';

export type { Actor } from './types';

/** OA is the office's own paperwork: staff only, whatever the field. */
export function requireStaff(viewer: Viewer): string {
  if (!isStaff(viewer) || viewer.subject === undefined) throw new ForbiddenError('office automation is for bureau staff only');
  return viewer.subject;
}

/** The viewer's directory entry, merged with the token: a town officer's organisation is the town cell in their token when the directory has no entry. */
export function actorOf(deps: OaDeps, viewer: Viewer): Promise<Actor> {
  const subject = requireStaff(viewer);
  let cached = deps.actorCache.get(viewer);
  if (!cached) {
    cached = (async () => {
      const [person] = await deps.db.orm.select().from(oaPeople).where(eq(oaPeople.subject, subject)).limit(1);
      const tokenRoles = viewer.roles.filter((role): role is OaRole => (OA_ROLES as readonly string[]).includes(role));
      const directoryRoles = person?.active ? person.roles.filter((role): role is OaRole => (OA_ROLES as readonly string[]).includes(role)) : [];
      const fallback = hasRole(viewer, 'admin', 'district') ? DISTRICT_BUREAU : (viewer.cells[0] ?? null);
      return {
        subject,
        name: person?.name ?? viewer.name ?? null,
        organisation: person?.active ? person.organisation : fallback,
        roles: [...new Set([...tokenRoles, ...directoryRoles])],
        admin: isAdmin(viewer),
      };
    })();
    cached.catch(() => deps.actorCache.delete(viewer));
    deps.actorCache.set(viewer, cached);
  }
  return cached;
}
