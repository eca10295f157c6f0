import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchesEtag, parseRange } from '../../../modules/grid/service/byte-range';
import { createMediaUrlSigner } from '../../../modules/grid/service/media-url';

describe('byte ranges', () => {
  it('reads the forms players send', () => {
    expect(parseRange(undefined, 100)).toBe('whole');
    expect(parseRange('bytes=0-9', 100)).toEqual({ start: 0, end: 9 });
    expect(parseRange('bytes=90-', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=-10', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=-500', 100)).toEqual({ start: 0, end: 99 });
    expect(parseRange('bytes=50-5000', 100)).toEqual({ start: 50, end: 99 });
    expect(parseRange('bytes=100-', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=-0', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=9-3', 100)).toBe('whole');
    expect(parseRange('bytes=0-1,5-6', 100)).toBe('whole');
    expect(parseRange('items=0-1', 100)).toBe('whole');
    expect(parseRange('bytes=99999999999999999999-', 100)).toBe('unsatisfiable');
  });

  it('never answers a range outside the file', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e9 }),
        fc.option(fc.nat(2e9), { nil: undefined }),
        fc.option(fc.nat(2e9), { nil: undefined }),
        (size, first, last) => {
          const header = `bytes=${first ?? ''}-${last ?? ''}`;
          const range = parseRange(header, size);
          if (typeof range === 'string') return;
          expect(range.start).toBeGreaterThanOrEqual(0);
          expect(range.end).toBeLessThan(size);
          expect(range.start).toBeLessThanOrEqual(range.end);
        },
      ),
    );
  });

  it('compares entity tags strongly or weakly as asked', () => {
    expect(matchesEtag('"abc"', '"abc"')).toBe(true);
    expect(matchesEtag('W/"abc", "x"', '"abc"')).toBe(true);
    expect(matchesEtag('*', '"abc"')).toBe(true);
    expect(matchesEtag('"abd"', '"abc"')).toBe(false);
    expect(matchesEtag(undefined, '"abc"')).toBe(false);
  });
});

describe('signed media URLs', () => {
  const key = Buffer.alloc(32, 7);
  const now = new Date('2026-03-01T08:00:00Z');

  it('holds until its expiry, for its own path only', () => {
    const signer = createMediaUrlSigner(key, 900);
    const { url, expiresAt } = signer.sign('/media/a', now);
    const params = new URL(url, 'http://hub').searchParams;
    expect(expiresAt.getTime() - now.getTime()).toBeGreaterThanOrEqual(900_000);
    expect(expiresAt.getTime() - now.getTime()).toBeLessThan(960_000);
    expect(signer.verify('/media/a', params.get('expires'), params.get('signature'), now)).toEqual({ ok: true, expiresAt });
    expect(signer.verify('/media/b', params.get('expires'), params.get('signature'), now)).toEqual({ ok: false, reason: 'invalid' });
    expect(signer.verify('/media/a', params.get('expires'), params.get('signature'), expiresAt)).toEqual({ ok: false, reason: 'expired', expiresAt });
    expect(createMediaUrlSigner(Buffer.alloc(32, 8), 900).verify('/media/a', params.get('expires'), params.get('signature'), now)).toMatchObject({
      ok: false,
      reason: 'invalid',
    });
  });

  it('refuses any altered expiry or signature', () => {
    const signer = createMediaUrlSigner(key, 900);
    const params = new URL(signer.sign('/media/a', now).url, 'http://hub').searchParams;
    const expires = params.get('expires') as string;
    const signature = params.get('signature') as string;
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), fc.string({ maxLength: 60 }), (e, sig) => {
        fc.pre(e !== expires || sig !== signature);
        expect(signer.verify('/media/a', e, sig, now).ok).toBe(false);
      }),
    );
    expect(signer.verify('/media/a', null, signature, now).ok).toBe(false);
  });
});
