/** Who is asking: roles and the rows they may see. No token means the public viewer. */

export const ROLES = ['admin', 'district', 'town', 'assistant', 'enterprise', 'device', 'upstream', 'public'] as const;
export type Role = (typeof ROLES)[number];
/** Roles a token may carry: `public` is the absence of a token, never a claim. */
export type TokenRole = Exclude<Role, 'public'>;
export const TOKEN_ROLES: readonly TokenRole[] = ROLES.filter((role): role is TokenRole => role !== 'public');

export interface Viewer {
  /** token subject; undefined for the public */
  readonly subject: string | undefined;
  readonly roles: readonly Role[];
  /** grid cell codes a town officer or assistant answers for */
  readonly cells: readonly string[];
  /** the enterprise (USCC) an enterprise account stands for */
  readonly enterprise: string | undefined;
  /** a person's display name, when the token carries one */
  readonly name: string | undefined;
  /** the MNs of the monitors a device token stands for: the only ones it may send readings for */
  readonly monitors: readonly string[];
  /** the codes of the cameras a video platform's token reports status for */
  readonly cameras: readonly string[];
  /** when the token stops being accepted (its `exp` plus the configured clock tolerance) */
  readonly expiresAt: Date | undefined;
  /**
   * The platform acting for this viewer (an upstream token's `obo` claim): the viewer is the end
   * user, and whatever the viewer may do the actor must be allowed too.
   */
  readonly actor: Actor | undefined;
}

export interface Actor {
  readonly subject: string;
  readonly roles: readonly Role[];
}

/** A frozen viewer; what is not given is empty (the hub's own internal readers, tests). */
export function createViewer(given: Pick<Viewer, 'subject' | 'roles'> & Partial<Viewer>): Viewer {
  return Object.freeze({
    subject: given.subject,
    roles: Object.freeze([...given.roles]),
    cells: Object.freeze([...(given.cells ?? [])]),
    enterprise: given.enterprise,
    name: given.name,
    monitors: Object.freeze([...(given.monitors ?? [])]),
    cameras: Object.freeze([...(given.cameras ?? [])]),
    expiresAt: given.expiresAt,
    actor: given.actor ? Object.freeze({ subject: given.actor.subject, roles: Object.freeze([...given.actor.roles]) }) : undefined,
  });
}

export const PUBLIC_VIEWER: Viewer = createViewer({ subject: undefined, roles: ['public'] });

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function hasRole(viewer: Viewer, ...roles: readonly Role[]): boolean {
  return viewer.roles.some((role) => roles.includes(role));
}

/**
 * A capability check that an end user behind a platform passes only when the platform passes it
 * too: their rows are their own (town cells, one enterprise), never more than the platform's.
 */
export function actorAllows(viewer: Viewer, roles: readonly Role[]): boolean {
  return viewer.actor === undefined || viewer.actor.roles.some((role) => roles.includes(role));
}

/** A province or city platform, itself or acting for one of its users: who may use /federation. */
export const isPlatform = (viewer: Viewer): boolean => viewer.roles.includes('upstream') || (viewer.actor?.roles.includes('upstream') ?? false);

export const isAuthenticated = (viewer: Viewer): boolean => viewer.subject !== undefined;
export const isAdmin = (viewer: Viewer): boolean => hasRole(viewer, 'admin') && actorAllows(viewer, ['admin']);
/** Bureau and town staff, grid assistants: the people who work inside the hub. */
export const isStaff = (viewer: Viewer): boolean => hasRole(viewer, ...STAFF_ROLES) && actorAllows(viewer, STAFF_ROLES);
const STAFF_ROLES: readonly Role[] = ['admin', 'district', 'town', 'assistant'];
/** Sees every row: administrators and district officers. */
export const seesAllRows = (viewer: Viewer): boolean => hasRole(viewer, 'admin', 'district') && actorAllows(viewer, ['admin', 'district']);
