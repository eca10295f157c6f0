import { CAMERA_CODE, CELL_CODE, MONITOR_MN, USCC } from '../validation';
import { TOKEN_ROLES, type TokenRole } from './viewer';

/** What a token may claim, once its shape has been checked. */
export interface ParsedClaims {
  sub: string;
  roles: TokenRole[];
  cells: string[];
  enterprise: string | undefined;
  mns: string[];
  cameras: string[];
  name: string | undefined;
  /** the end user a platform's token acts for (`obo`), upstream tokens only */
  obo: OnBehalfOf | undefined;
}

/** Roles an end user behind a province or city platform may have. */
export const OBO_ROLES = ['district', 'town', 'enterprise'] as const;
export type OboRole = (typeof OBO_ROLES)[number];

/**
 * The end user a province or city platform asks for: a district officer (every row), a town
 * officer (the grid cells in `scope`) or an enterprise (the one USCC in `scope`).
 */
export interface OnBehalfOf {
  sub: string;
  role: OboRole;
  scope: string[];
}

export type ClaimsOutcome = { ok: true; claims: ParsedClaims } | { ok: false; problem: string };

/** A token subject: what staff records, OA people and logs are keyed by. */
const SUBJECT_MAX = 128;
const NAME_MAX = 100;
/** A token travels in one HTTP header (16 KiB in Node): no list in it is longer than this. */
export const CLAIM_LIST_MAX = 1000;

const CONTROL = /[\u0000-\u001f\u007f]/;

class ClaimProblem extends Error {}

function list(payload: Record<string, unknown>, claim: string, pattern: RegExp, what: string): string[] {
  const value = payload[claim];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new ClaimProblem(`token claim "${claim}" must be a list of ${what}`);
  if (value.length > CLAIM_LIST_MAX) throw new ClaimProblem(`token claim "${claim}" holds more than ${CLAIM_LIST_MAX} entries`);
  for (const item of value) {
    if (typeof item !== 'string' || !pattern.test(item)) throw new ClaimProblem(`token claim "${claim}" must be a list of ${what}`);
  }
  return [...new Set(value as string[])];
}

function optionalText(payload: Record<string, unknown>, claim: string, check: (text: string) => boolean, what: string): string | undefined {
  const value = payload[claim];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !check(value)) throw new ClaimProblem(`token claim "${claim}" must be ${what}`);
  return value;
}

function subjectOf(value: unknown, claim: string): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > SUBJECT_MAX || CONTROL.test(value)) {
    throw new ClaimProblem(`token claim "${claim}" must be a non-empty string of at most ${SUBJECT_MAX} characters`);
  }
  return value;
}

function onBehalfOf(payload: Record<string, unknown>, roles: readonly TokenRole[]): OnBehalfOf | undefined {
  const value = payload.obo;
  if (value === undefined || value === null) return undefined;
  if (roles.length !== 1 || roles[0] !== 'upstream') throw new ClaimProblem('only an upstream token may act on behalf of a user (claim "obo")');
  if (typeof value !== 'object' || Array.isArray(value)) throw new ClaimProblem('token claim "obo" must be an object { sub, role, scope }');
  const obo = value as Record<string, unknown>;
  const sub = subjectOf(obo.sub, 'obo.sub');
  const role = obo.role;
  if (typeof role !== 'string' || !(OBO_ROLES as readonly string[]).includes(role))
    throw new ClaimProblem(`token claim "obo.role" must be one of ${OBO_ROLES.join(', ')}`);
  const scope = list(obo, 'scope', role === 'enterprise' ? USCC : CELL_CODE, role === 'enterprise' ? 'unified social credit codes' : 'grid cell codes');
  if (role === 'district' && scope.length > 0) throw new ClaimProblem('a district user behind a platform has no "obo.scope": it sees what the platform sees');
  if (role === 'town' && scope.length === 0) throw new ClaimProblem('a town user behind a platform needs the grid cells of "obo.scope"');
  if (role === 'enterprise' && scope.length !== 1) throw new ClaimProblem('an enterprise behind a platform needs exactly one USCC in "obo.scope"');
  return { sub, role: role as OboRole, scope };
}

function parse(payload: Record<string, unknown>): ParsedClaims {
  const sub = subjectOf(payload.sub, 'sub');
  const rawRoles = payload.roles;
  if (!Array.isArray(rawRoles) || rawRoles.length === 0) throw new ClaimProblem('token claim "roles" must list at least one role');
  if (rawRoles.length > TOKEN_ROLES.length) throw new ClaimProblem('token claim "roles" lists too many roles');
  const roles: TokenRole[] = [];
  for (const role of rawRoles) {
    if (typeof role !== 'string' || !(TOKEN_ROLES as readonly string[]).includes(role)) {
      throw new ClaimProblem(
        `token claim "roles" holds an unknown role: ${String(JSON.stringify(role) ?? role).slice(0, 40)} (known: ${TOKEN_ROLES.join(', ')})`,
      );
    }
    if (!roles.includes(role as TokenRole)) roles.push(role as TokenRole);
  }
  const claims: ParsedClaims = {
    sub,
    roles,
    cells: list(payload, 'cells', CELL_CODE, 'grid cell codes'),
    enterprise: optionalText(payload, 'enterprise', (text) => USCC.test(text), 'a unified social credit code'),
    mns: list(payload, 'mns', MONITOR_MN, 'monitor MNs'),
    cameras: list(payload, 'cameras', CAMERA_CODE, 'camera codes'),
    name: optionalText(payload, 'name', (text) => text.length <= NAME_MAX && !CONTROL.test(text), `a text of at most ${NAME_MAX} characters`),
    obo: onBehalfOf(payload, roles),
  };
  if (roles.includes('enterprise') && !claims.enterprise) throw new ClaimProblem('an enterprise token must name its enterprise');
  if (roles.includes('device') && claims.mns.length === 0 && claims.cameras.length === 0) {
    throw new ClaimProblem('a device token must name the monitors (mns) or cameras it stands for');
  }
  return claims;
}

/**
 * Checks the hub's claims of a verified token: a subject that is a non-empty string, roles the hub
 * knows (a token never claims `public`, which is the absence of a token), and scopes of the right
 * shape. Anything else refuses the token, so a malformed claim can never reach a resolver.
 */
export function parseClaims(payload: Record<string, unknown>): ClaimsOutcome {
  try {
    return { ok: true, claims: parse(payload) };
  } catch (error) {
    if (error instanceof ClaimProblem) return { ok: false, problem: error.message };
    throw error;
  }
}
