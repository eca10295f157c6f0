/** Who is asking: roles and the rows they may see. No token means the public viewer. */

export const ROLES = ['admin', 'district', 'town', 'assistant', 'enterprise', 'device', 'upstream', 'public'] as const;
export type Role = (typeof ROLES)[number];

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
}

export const PUBLIC_VIEWER: Viewer = Object.freeze({
  subject: undefined,
  roles: Object.freeze(['public'] as Role[]),
  cells: Object.freeze([] as string[]),
  enterprise: undefined,
  name: undefined,
});

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function hasRole(viewer: Viewer, ...roles: readonly Role[]): boolean {
  return viewer.roles.some((role) => roles.includes(role));
}

export const isAuthenticated = (viewer: Viewer): boolean => viewer.subject !== undefined;
export const isAdmin = (viewer: Viewer): boolean => hasRole(viewer, 'admin');
/** Bureau and town staff, grid assistants: the people who work inside the hub. */
export const isStaff = (viewer: Viewer): boolean => hasRole(viewer, 'admin', 'district', 'town', 'assistant');
/** Sees every row: administrators and district officers. */
export const seesAllRows = (viewer: Viewer): boolean => hasRole(viewer, 'admin', 'district');
