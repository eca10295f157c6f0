import { afterEach, describe, expect, it, vi } from 'vitest';
import { signToken, createTokenVerifier, VERIFIED_TOKENS_MAX } from '../../src/auth/jwt';

const secret = 'a-test-secret-that-is-long-enough-for-hs256';
const config = { secret, jwksUrl: undefined, issuer: undefined, audience: undefined, clockToleranceSeconds: 30 };

describe('verified tokens are remembered until they expire', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('answers a repeated token with the same viewer', async () => {
    const verify = createTokenVerifier(config);
    const token = await signToken({ sub: 'officer', roles: ['district'] }, secret, { ttlSeconds: 600 });
    const first = await verify(token);
    expect(await verify(token)).toBe(first);
    expect(first.roles).toEqual(['district']);
  });

  it('refuses a remembered token from the instant verification would (exp plus the clock tolerance)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const start = Math.floor(Date.now() / 1000) * 1000;
    vi.setSystemTime(start);
    const verify = createTokenVerifier(config);
    const token = await signToken({ sub: 'officer', roles: ['district'] }, secret, { ttlSeconds: 60 });
    await verify(token);
    vi.setSystemTime(start + 89_999);
    expect((await verify(token)).subject).toBe('officer');
    vi.setSystemTime(start + 90_000);
    await expect(verify(token)).rejects.toThrow(/expired/);
    // and again: a refusal is not remembered as anything
    await expect(verify(token)).rejects.toThrow(/expired/);
  });

  it('never remembers a refusal, and a token altered by one byte is verified on its own', async () => {
    const verify = createTokenVerifier(config);
    const token = await signToken({ sub: 'officer', roles: ['district'] }, secret, { ttlSeconds: 600 });
    await verify(token);
    const altered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    await expect(verify(altered)).rejects.toThrow(/signed with another secret/);
    await expect(verify(altered)).rejects.toThrow(/signed with another secret/);
  });

  it('keeps a bounded number of tokens and still verifies the ones it let go', async () => {
    const verify = createTokenVerifier(config);
    const first = await signToken({ sub: 'user-0', roles: ['district'] }, secret, { ttlSeconds: 600 });
    await verify(first);
    for (let i = 1; i <= VERIFIED_TOKENS_MAX; i += 1) {
      await verify(await signToken({ sub: `user-${i}`, roles: ['town'], cells: ['510112'] }, secret, { ttlSeconds: 600 }));
    }
    expect((await verify(first)).subject).toBe('user-0');
  }, 120_000);
});
