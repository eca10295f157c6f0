import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { completeUscc, computeOrganizationCodeCheckChar, computeUsccCheckChar, USCC_CHARSET, validateUscc } from '../../../modules/source/uscc';

// Codes printed on the business licences of well-known enterprises.
const REAL_CODES = [
  ['Huawei Technologies Co., Ltd.', '914403001922038216'],
  ['Shenzhen Tencent Computer Systems Co., Ltd.', '91440300708461136T'],
  ['Beijing Baidu Netcom Science and Technology Co., Ltd.', '91110000802100433B'],
  ['Xiaomi Inc. (小米科技有限责任公司)', '91110108551385082Q'],
  ['Alibaba (China) Co., Ltd.', '91330100799655058B'],
  // A public institution whose organisation code carries letters (MB2C0754-9).
  ['a Foshan public institution', '12440600MB2C07549J'],
] as const;

const charsetChar = fc.constantFrom(...USCC_CHARSET.split(''));
const digit = fc.constantFrom(...'0123456789'.split(''));
const first16 = fc
  .tuple(
    fc.array(charsetChar, { minLength: 2, maxLength: 2 }),
    fc.array(digit, { minLength: 6, maxLength: 6 }),
    fc.array(charsetChar, { minLength: 8, maxLength: 8 }),
  )
  .map(([head, division, body]) => [...head, ...division, ...body].join(''));
const validCode = first16.map(completeUscc);

describe('validateUscc on real codes', () => {
  it.each(REAL_CODES)('accepts the code of %s', (_name, code) => {
    expect(validateUscc(code)).toEqual({ ok: true });
  });

  it.each(REAL_CODES)('recomputes both check characters of %s', (_name, code) => {
    expect(computeUsccCheckChar(code.slice(0, 17))).toBe(code.charAt(17));
    expect(computeOrganizationCodeCheckChar(code.slice(8, 16))).toBe(code.charAt(16));
  });
});

describe('check characters', () => {
  it('maps a weighted sum of 0 mod 31 to check character 0, not 31', () => {
    expect(computeUsccCheckChar('00000000000000000')).toBe('0');
    expect(computeUsccCheckChar('10000000000000000')).toBe('Y'); // 1: 31 - 1 = 30
    expect(computeUsccCheckChar('01000000000000000')).toBe('W'); // 3: 31 - 3 = 28
    expect(computeUsccCheckChar('0000000000000000Y')).toBe('W'); // 30 x 28 = 840 = 3 mod 31
    expect(computeUsccCheckChar('YM000000000000000')).toBe('0'); // 30 x 1 + 21 x 3 = 93 = 0 mod 31
  });

  it('writes an organisation-code remainder of 10 as X and 11 as 0', () => {
    expect(computeOrganizationCodeCheckChar('10000000')).toBe('8'); // 3: 11 - 3
    expect(computeOrganizationCodeCheckChar('01000000')).toBe('4'); // 7: 11 - 7
    expect(computeOrganizationCodeCheckChar('00000001')).toBe('9'); // 2: 11 - 2
    expect(computeOrganizationCodeCheckChar('00000005')).toBe('1'); // 10: 11 - 10
    expect(computeOrganizationCodeCheckChar('00000000')).toBe('0'); // 0: 11 - 0 = 11 -> 0
    expect(computeOrganizationCodeCheckChar('00000006')).toBe('X'); // 12 = 1 mod 11: 11 - 1 = 10 -> X
    expect(computeOrganizationCodeCheckChar('0000000A')).toBe('2'); // A is 10: 20 = 9 mod 11
    // J is 19 by its place in the alphabet (18 by its USCC index, which would give '8').
    expect(computeOrganizationCodeCheckChar('0000000J')).toBe('6'); // 38 = 5 mod 11
  });

  it('rejects inputs of the wrong length or outside the character set', () => {
    expect(() => computeUsccCheckChar('9144030070846113')).toThrow(RangeError);
    expect(() => computeUsccCheckChar('9144030070846113I')).toThrow(RangeError);
    expect(() => computeOrganizationCodeCheckChar('7084611')).toThrow(RangeError);
    expect(() => completeUscc('91440300708461136')).toThrow(RangeError);
  });

  it('completes a code from its first 16 characters', () => {
    expect(completeUscc('9144030070846113')).toBe('91440300708461136T');
    expect(completeUscc('12440600MB2C0754')).toBe('12440600MB2C07549J');
  });
});

describe('validateUscc rejections', () => {
  it.each([
    ['', 'must be 18 characters, got 0'],
    ['91440300708461136', 'must be 18 characters, got 17'],
    ['91440300708461136TT', 'must be 18 characters, got 19'],
    ['91440300708461136t', "character 18 't' is not allowed (letters must be upper case)"],
    ['9I440300708461136T', "character 2 'I' is not allowed"],
    ['91440300708461136O', "character 18 'O' is not allowed"],
    ['91440300708461136Z', "character 18 'Z' is not allowed"],
    ['91440300708461136S', "character 18 'S' is not allowed"],
    ['91440300708461136V', "character 18 'V' is not allowed"],
    ['914403 0708461136T', "character 7 ' ' is not allowed"],
    ['9144A300708461136T', 'characters 3-8 (administrative division) must be digits'],
    ['914403007084611360', 'check character (18) does not match characters 1-17'],
    ['91440300708461137T', 'character 17 does not match the organisation code check of characters 9-16'],
  ])('rejects %j: %s', (code, reason) => {
    expect(validateUscc(code)).toEqual({ ok: false, reason });
  });

  it('can skip the organisation code check for legacy records, but never the overall check', () => {
    const first17 = '9144030070846113A';
    const code = first17 + computeUsccCheckChar(first17);
    expect(validateUscc(code).ok).toBe(false);
    expect(validateUscc(code, { checkOrganizationCode: false })).toEqual({ ok: true });
    expect(validateUscc('914403007084611360', { checkOrganizationCode: false }).ok).toBe(false);
  });
});

describe('validateUscc properties', () => {
  it('accepts every code completed by completeUscc', () => {
    fc.assert(
      fc.property(validCode, (code) => {
        expect(validateUscc(code)).toEqual({ ok: true });
      }),
    );
  });

  it('rejects every single-character substitution', () => {
    fc.assert(
      fc.property(validCode, fc.integer({ min: 0, max: 17 }), charsetChar, (code, position, replacement) => {
        fc.pre(code.charAt(position) !== replacement);
        const mutated = code.slice(0, position) + replacement + code.slice(position + 1);
        expect(validateUscc(mutated).ok).toBe(false);
        // The mod-31 check alone catches it: every weight is coprime to 31.
        expect(validateUscc(mutated, { checkOrganizationCode: false }).ok).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
});
