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

function parse(payload: Record<string, unknown>): ParsedClaims {
  const sub = payload.sub;
  if (typeof sub !== 'string' || sub.trim() === '' || sub.length > SUBJECT_MAX || CONTROL.test(sub)) {
    throw new ClaimProblem(`token claim "sub" must be a non-empty string of at most ${SUBJECT_MAX} characters`);
  }
  const rawRoles = payload.roles;
  if (!Array.isArray(rawRoles) || rawRoles.length === 0) throw new ClaimProblem('token claim "roles" must list at least one role');
  if (rawRoles.length > TOKEN_ROLES.length) throw new ClaimProblem('token claim "roles" lists too many roles');
  const roles: TokenRole[] = [];
  for (const role of rawRoles) {
    if (typeof role !== 'string' || !(TOKEN_ROLES as readonly string[]).includes(role)) {
      throw new ClaimProblem(`token claim "roles" holds an unknown role: ${String(JSON.stringify(role) ?? role).slice(0, 40)} (known: ${TOKEN_ROLES.join(', ')})`);
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
