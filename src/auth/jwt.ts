import { createRemoteJWKSet, jwtVerify, SignJWT, errors as joseErrors, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { Config } from '../config';
import { createViewer, PUBLIC_VIEWER, type TokenRole, type Viewer } from './viewer';
import { parseClaims } from './claims';

/** Why a token was refused; the client sees the code, never the library's message. */
export class AuthenticationError extends Error {
  override name = 'AuthenticationError';
  readonly code = 'UNAUTHENTICATED';
}

export interface TokenClaims {
  sub: string;
  roles: TokenRole[];
  cells?: string[] | undefined;
  enterprise?: string | undefined;
  /** a device token's monitors, by MN */
  mns?: string[] | undefined;
  /** a video platform's cameras, by code */
  cameras?: string[] | undefined;
  name?: string | undefined;
  /** an upstream token's end user: `{ sub, role: district | town | enterprise, scope }` */
  obo?: { sub: string; role: string; scope?: string[] } | undefined;
}

export type VerifyToken = (token: string | undefined) => Promise<Viewer>;

type JwtConfig = Config['jwt'];

/** Tokens remembered as verified: a client sends the same token with every request. */
export const VERIFIED_TOKENS_MAX = 10_000;
/**
 * With a JWKS a verified token is looked at again after this long, so a key the issuer withdraws
 * stops being honoured about as soon as without the cache (jose re-reads the set when asked for a
 * key it does not know, and at the latest every ten minutes).
 */
const JWKS_RECHECK_MS = 60_000;

/**
 * A bounded LRU of verified tokens and the viewer each stands for. Verifying an HS256 token costs
 * a hash and a JSON parse per request; an entry answers only until its token expires (`exp` plus
 * the clock tolerance, the same instant verification would start refusing it), and failures are
 * never remembered.
 */
function createVerifiedTokens(recheckMs: number | undefined) {
  const entries = new Map<string, { viewer: Viewer; until: number }>();
  return {
    get(token: string): Viewer | undefined {
      const entry = entries.get(token);
      if (!entry) return undefined;
      entries.delete(token);
      if (Date.now() >= entry.until) return undefined;
      // re-inserted: a Map iterates oldest first, so the least recently used goes first
      entries.set(token, entry);
      return entry.viewer;
    },
    remember(token: string, viewer: Viewer): void {
      const expires = viewer.expiresAt?.getTime();
      if (expires === undefined) return;
      entries.set(token, { viewer, until: recheckMs === undefined ? expires : Math.min(expires, Date.now() + recheckMs) });
      if (entries.size > VERIFIED_TOKENS_MAX) entries.delete(entries.keys().next().value as string);
    },
  };
}

/** Builds the verifier once; a request without a token is the public viewer. */
export function createTokenVerifier(jwt: JwtConfig): VerifyToken {
  const key: Uint8Array | JWTVerifyGetKey | undefined = jwt.jwksUrl
    ? createRemoteJWKSet(new URL(jwt.jwksUrl))
    : jwt.secret
      ? new TextEncoder().encode(jwt.secret)
      : undefined;
  const verified = createVerifiedTokens(jwt.jwksUrl ? JWKS_RECHECK_MS : undefined);
  return async (token) => {
    if (token === undefined || token === '') return PUBLIC_VIEWER;
    if (!key) throw new AuthenticationError('this hub accepts no tokens: no JWT secret or JWKS is configured');
    const known = verified.get(token);
    if (known) return known;
    let payload: JWTPayload;
    try {
      const options = {
        issuer: jwt.issuer,
        audience: jwt.audience,
        clockTolerance: jwt.clockToleranceSeconds,
        requiredClaims: ['exp', 'sub'],
        algorithms: jwt.jwksUrl ? ['RS256', 'ES256', 'EdDSA', 'PS256'] : ['HS256'],
      };
      payload = key instanceof Uint8Array ? (await jwtVerify(token, key, options)).payload : (await jwtVerify(token, key, options)).payload;
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw new AuthenticationError('token expired');
      if (error instanceof joseErrors.JWTClaimValidationFailed) throw new AuthenticationError(`token claim "${error.claim}" rejected`);
      // A well-formed token whose signature does not verify was almost always minted with another
      // secret (another data directory's generated one, or another JWT_SECRET): say where to look,
      // instead of the bare "invalid" a malformed token gets. Kept under the 123 bytes a WebSocket
      // close reason may carry.
      if (error instanceof joseErrors.JWSSignatureVerificationFailed || error instanceof joseErrors.JWKSNoMatchingKey) {
        throw new AuthenticationError(
          jwt.jwksUrl
            ? 'token signed with a key the issuer does not publish: check JWT_JWKS_URL'
            : 'token signed with another secret: check the data directory (HUB_DATA_DIR) and JWT_SECRET',
        );
      }
      throw new AuthenticationError('token invalid');
    }
    const viewer = viewerFromClaims(payload, jwt.clockToleranceSeconds);
    verified.remember(token, viewer);
    return viewer;
  };
}

/** The viewer a verified token stands for; claims of the wrong shape refuse the token. */
export function viewerFromClaims(payload: JWTPayload, clockToleranceSeconds = 0): Viewer {
  const parsed = parseClaims(payload);
  if (!parsed.ok) throw new AuthenticationError(parsed.problem);
  const claims = parsed.claims;
  const expiresAt = typeof payload.exp === 'number' ? new Date((payload.exp + clockToleranceSeconds) * 1000) : undefined;
  if (claims.obo) {
    // The end user with their own rows, and the platform as the actor whose roles bound theirs. A
    // district officer sees what the platform sees: the platform's roles, the officer's name.
    const { sub, role, scope } = claims.obo;
    return createViewer({
      subject: sub,
      roles: role === 'district' ? claims.roles : [role],
      cells: role === 'town' ? scope : [],
      enterprise: role === 'enterprise' ? scope[0] : undefined,
      expiresAt,
      actor: { subject: claims.sub, roles: claims.roles },
    });
  }
  return createViewer({
    subject: claims.sub,
    roles: claims.roles,
    cells: claims.cells,
    enterprise: claims.enterprise,
    name: claims.name,
    monitors: claims.mns,
    cameras: claims.cameras,
    expiresAt,
  });
}

/** Mints an HS256 token: the token CLI and tests use it. */
export async function signToken(claims: TokenClaims, secret: string, options: { ttlSeconds: number; issuer?: string; audience?: string }): Promise<string> {
  let jwt = new SignJWT({
    roles: claims.roles,
    cells: claims.cells,
    enterprise: claims.enterprise,
    mns: claims.mns,
    cameras: claims.cameras,
    name: claims.name,
    obo: claims.obo,
  })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + options.ttlSeconds);
  if (options.issuer) jwt = jwt.setIssuer(options.issuer);
  if (options.audience) jwt = jwt.setAudience(options.audience);
  return jwt.sign(new TextEncoder().encode(secret));
}

/** Parses `90s`, `15m`, `12h`, `30d` (or plain seconds) into seconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+)\s*([smhd]?)$/.exec(text.trim());
  if (!match) throw new Error(`not a duration: "${text}" (use e.g. 30m, 12h, 7d)`);
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[match[2] as '' | 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
}
