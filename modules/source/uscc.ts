/**
 * Unified social credit code (统一社会信用代码), GB 32100-2015: 18 characters.
 *   1      registration authority (登记管理部门)
 *   2      organisation category (机构类别)
 *   3-8    administrative division of the registration authority, six digits (GB/T 2260)
 *   9-17   subject identifier: the GB 11714 organisation code, its own check character at 17
 *   18     check character over the first 17: weights are the powers of 3 mod 31
 *
 * Positions 1 and 2 are checked against the character set only: the list of authorities and
 * categories has grown since 2015, and a stale list would reject real enterprises.
 */

/** 0-9 and A-Z without I, O, Z, S, V; a character's value is its index here. */
export const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
const ORG_CODE_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;

export type UsccValidation = { ok: true } | { ok: false; reason: string };

export interface UsccValidationOptions {
  /**
   * Check the GB 11714 check character at position 17 (default true). Off only for importing
   * legacy records known to predate conforming assignment.
   */
  readonly checkOrganizationCode?: boolean;
}

function usccValue(ch: string): number {
  return USCC_CHARSET.indexOf(ch);
}

/**
 * GB 11714 gives letters their alphabet values (A = 10 ... Z = 35), not their index in the USCC
 * set: the two differ from J on, and real codes with letters only check out under the former.
 */
function organizationCodeValue(ch: string): number {
  if (ch >= '0' && ch <= '9') return ch.charCodeAt(0) - 48;
  if (ch >= 'A' && ch <= 'Z') return ch.charCodeAt(0) - 55;
  return -1;
}

function assertCharset(text: string, what: string): void {
  for (const ch of text) {
    if (usccValue(ch) === -1) throw new RangeError(`${what} contains '${ch}', outside the USCC character set`);
  }
}

/** The 18th character for the first 17; throws RangeError on bad length or characters. */
export function computeUsccCheckChar(first17: string): string {
  if (first17.length !== 17) throw new RangeError(`expected 17 characters, got ${first17.length}`);
  assertCharset(first17, 'first17');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += usccValue(first17.charAt(i)) * (USCC_WEIGHTS[i] ?? 0);
  return USCC_CHARSET.charAt((31 - (sum % 31)) % 31);
}

/**
 * The GB 11714 check character (position 17 of a USCC) for the 8-character organisation code
 * body (positions 9-16). A remainder giving 10 is written 'X', which the USCC set includes.
 */
export function computeOrganizationCodeCheckChar(body8: string): string {
  if (body8.length !== 8) throw new RangeError(`expected 8 characters, got ${body8.length}`);
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const value = organizationCodeValue(body8.charAt(i));
    if (value === -1) throw new RangeError(`body8 contains '${body8.charAt(i)}', not a digit or capital letter`);
    sum += value * (ORG_CODE_WEIGHTS[i] ?? 0);
  }
  const check = 11 - (sum % 11);
  if (check === 11) return '0';
  if (check === 10) return 'X';
  return String(check);
}

/**
 * Completes a code from its first 16 characters (authority, category, division, organisation
 * code body) by appending both check characters, so the result passes `validateUscc`.
 */
export function completeUscc(first16: string): string {
  if (first16.length !== 16) throw new RangeError(`expected 16 characters, got ${first16.length}`);
  assertCharset(first16, 'first16');
  const first17 = first16 + computeOrganizationCodeCheckChar(first16.slice(8, 16));
  return first17 + computeUsccCheckChar(first17);
}

/**
 * Strict GB 32100 check: length, character set, digits at 3-8, the organisation code check at 17
 * and the overall check at 18. Exact upper case, no trimming. Some codes issued before 2016 (cases
 * are reported from Xiamen) fail the overall check yet are in real use, so enterprise registration
 * needs an audited way to accept a code this rejects rather than loosening this function.
 */
export function validateUscc(code: string, options: UsccValidationOptions = {}): UsccValidation {
  const { checkOrganizationCode = true } = options;
  if (code.length !== 18) return { ok: false, reason: `must be 18 characters, got ${code.length}` };
  for (let i = 0; i < 18; i++) {
    const ch = code.charAt(i);
    if (usccValue(ch) !== -1) continue;
    const hint = ch >= 'a' && ch <= 'z' ? ' (letters must be upper case)' : '';
    return { ok: false, reason: `character ${i + 1} '${ch}' is not allowed${hint}` };
  }
  if (!/^[0-9]{6}$/.test(code.slice(2, 8))) {
    return { ok: false, reason: 'characters 3-8 (administrative division) must be digits' };
  }
  if (checkOrganizationCode) {
    if (code.charAt(16) !== computeOrganizationCodeCheckChar(code.slice(8, 16))) {
      return { ok: false, reason: 'character 17 does not match the organisation code check of characters 9-16' };
    }
  }
  // The expected character is withheld: a wrong check usually means a mistyped character
  // elsewhere, and quoting the "right" check would invite patching the wrong position.
  if (code.charAt(17) !== computeUsccCheckChar(code.slice(0, 17))) {
    return { ok: false, reason: 'check character (18) does not match characters 1-17' };
  }
  return { ok: true };
}
