import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a signed media URL proves, or why it does not. */
export type MediaUrlCheck = { ok: true; expiresAt: Date } | { ok: false; reason: 'invalid' | 'expired'; expiresAt?: Date };

export interface SignedUrl {
  url: string;
  expiresAt: Date;
}

/**
 * Expiries are rounded up to this step, so the URL of one file stays the same for a while and the
 * browser's cache (keyed by URL) is not defeated by every re-render of a list.
 */
const EXPIRY_STEP_SECONDS = 60;

function mac(key: Buffer, path: string, expires: number): Buffer {
  return createHmac('sha256', key).update(`${path}\n${expires}`).digest();
}

/**
 * Short-lived links an `<img>` or `<video>` can load without an Authorization header. The signature
 * covers the path and the expiry: a link cannot be stretched, nor pointed at another file (or at the
 * thumbnail of one whose original it was not issued for). Who may have a link is decided where it
 * is issued: a field of a record the viewer may see.
 */
export function createMediaUrlSigner(key: Buffer, ttlSeconds: number) {
  return {
    ttlSeconds,
    sign(path: string, now: Date): SignedUrl {
      const expires = Math.ceil((Math.floor(now.getTime() / 1000) + ttlSeconds) / EXPIRY_STEP_SECONDS) * EXPIRY_STEP_SECONDS;
      const signature = mac(key, path, expires).toString('base64url');
      return { url: `${path}?expires=${expires}&signature=${signature}`, expiresAt: new Date(expires * 1000) };
    },
    verify(path: string, expiresParam: string | null, signatureParam: string | null, now: Date): MediaUrlCheck {
      if (expiresParam === null || signatureParam === null || !/^\d{1,12}$/.test(expiresParam) || !/^[A-Za-z0-9_-]{43}$/.test(signatureParam))
        return { ok: false, reason: 'invalid' };
      const expires = Number(expiresParam);
      const given = Buffer.from(signatureParam, 'base64url');
      const wanted = mac(key, path, expires);
      if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) return { ok: false, reason: 'invalid' };
      const expiresAt = new Date(expires * 1000);
      if (expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired', expiresAt };
      return { ok: true, expiresAt };
    },
  };
}

export type MediaUrlSigner = ReturnType<typeof createMediaUrlSigner>;
