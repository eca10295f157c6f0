/**
 * How the hub checks tokens: its own secret, or a key set fetched from the bureau's identity
 * provider; what serve mode refuses to start with.
 */
import { ConfigError, readInt, readString, type Env } from './config-env';

export interface JwtConfig {
  secret: string | undefined;
  jwksUrl: string | undefined;
  issuer: string | undefined;
  audience: string | undefined;
  clockToleranceSeconds: number;
}

/** HS256 needs a key at least as long as its hash (RFC 7518 3.2): shorter secrets can be guessed offline. */
export const MIN_JWT_SECRET_BYTES = 32;

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * What `serve` refuses to start with: a signing secret short enough to guess, or a key set fetched
 * over plain HTTP (anyone on the path could hand the hub their own keys). The machine itself is
 * trusted, so a JWKS on loopback may use http.
 */
function checkProductionKeys(jwt: { secret: string | undefined; jwksUrl: string | undefined }): void {
  if (jwt.secret !== undefined && Buffer.byteLength(jwt.secret, 'utf8') < MIN_JWT_SECRET_BYTES) {
    throw new ConfigError(`JWT_SECRET must be at least ${MIN_JWT_SECRET_BYTES} bytes (e.g. openssl rand -base64 48)`);
  }
  if (jwt.jwksUrl !== undefined) {
    let url: URL;
    try {
      url = new URL(jwt.jwksUrl);
    } catch {
      throw new ConfigError('JWT_JWKS_URL must be an https:// URL');
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
      throw new ConfigError('JWT_JWKS_URL must be an https:// URL (http:// only on loopback)');
    }
  }
}

/** The token settings; in serve mode they are checked for keys an attacker could forge. */
export function readJwt(env: Env, demo: boolean): JwtConfig {
  const jwt = {
    secret: readString(env, 'JWT_SECRET'),
    jwksUrl: readString(env, 'JWT_JWKS_URL'),
    issuer: readString(env, 'JWT_ISSUER'),
    audience: readString(env, 'JWT_AUDIENCE'),
    clockToleranceSeconds: readInt(env, 'JWT_CLOCK_TOLERANCE', 30),
  };
  if (!demo) checkProductionKeys(jwt);
  return jwt;
}
