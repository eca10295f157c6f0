import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import fc from 'fast-check';
import { SignJWT } from 'jose';
import { parseClaims } from '../../src/auth/claims';
import { ConfigError, loadConfig } from '../../src/config';
import { startTestHub, type TestHub } from '../support/hub';

const ROOT = new URL('../../', import.meta.url).pathname;
const SECRET = 'claims-test-secret-at-least-32-bytes-long';
const PROTECTED = '{ factors { code } }';

describe('token claims over HTTP', () => {
  let th: TestHub;
  beforeAll(async () => {
    th = await startTestHub({ env: { JWT_SECRET: SECRET } });
  });
  afterAll(() => th.stop());

  /** Signs exactly these claims (sub included), valid for ten minutes. */
  const mint = (claims: Record<string, unknown>) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + 600)
      .sign(new TextEncoder().encode(SECRET));

  it.each([
    ['a numeric sub', { sub: 42, roles: ['district'] }, /"sub" must be a non-empty string/],
    ['an empty sub', { sub: '', roles: ['district'] }, /"sub" must be a non-empty string/],
    ['a blank sub', { sub: '   ', roles: ['district'] }, /"sub" must be a non-empty string/],
    ['an object sub', { sub: { id: 1 }, roles: ['admin'] }, /"sub" must be a non-empty string/],
    ['a sub with a NUL byte', { sub: 'a\u0000b', roles: ['admin'] }, /"sub" must be a non-empty string/],
    ['roles as a string', { sub: 'x', roles: 'admin' }, /"roles" must list at least one role/],
    ['no roles', { sub: 'x', roles: [] }, /"roles" must list at least one role/],
    ['an unknown role next to a known one', { sub: 'x', roles: ['district', 'mayor'] }, /unknown role: "mayor"/],
    ['the public role', { sub: 'x', roles: ['public'] }, /unknown role: "public"/],
    ['a role that is no string', { sub: 'x', roles: [{ admin: true }] }, /unknown role/],
    ['cells that are no list', { sub: 'x', roles: ['town'], cells: '51011201' }, /"cells" must be a list of grid cell codes/],
    ['a cell with a LIKE wildcard', { sub: 'x', roles: ['town'], cells: ['5101%'] }, /"cells" must be a list of grid cell codes/],
    ['an enterprise that is no USCC', { sub: 'x', roles: ['enterprise'], enterprise: 'ACME' }, /"enterprise" must be a unified social credit code/],
    ['an enterprise token without its enterprise', { sub: 'x', roles: ['enterprise'] }, /must name its enterprise/],
    ['a device token bound to nothing', { sub: 'x', roles: ['device'] }, /device token must name the monitors/],
    ['an MN of the wrong shape', { sub: 'x', roles: ['device'], mns: ['A B'] }, /"mns" must be a list of monitor MNs/],
    ['a camera code of the wrong shape', { sub: 'x', roles: ['device'], cameras: [7] }, /"cameras" must be a list of camera codes/],
    ['a name that is no string', { sub: 'x', roles: ['district'], name: ['a'] }, /"name" must be a text/],
  ])('refuses a token with %s (401, named claim)', async (_what, claims, message) => {
    const { status, body } = await th.graphql(PROTECTED, {}, await mint(claims));
    expect(status).toBe(401);
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(body.errors?.[0]?.message).toMatch(message);
  });

  it('accepts well-formed claims of every kind', async () => {
    for (const claims of [
      { sub: 'officer-1', roles: ['district'] },
      { sub: 'town-1', roles: ['town'], cells: ['51011201'] },
      { sub: 'ent-1', roles: ['enterprise'], enterprise: '91510112MA6CAAAAA1' },
      { sub: 'logger-1', roles: ['device'], mns: ['SRC5101120001W'] },
      { sub: 'video', roles: ['device'], cameras: ['CAM-0001'] },
      { sub: 'platform', roles: ['upstream'] },
    ]) {
      const { status } = await th.graphql('{ hub { version } }', {}, await mint(claims));
      expect(status, JSON.stringify(claims)).toBe(200);
    }
  });
});

describe('parseClaims', () => {
  it('never throws, and accepts a payload only with a non-empty string subject and known roles', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('sub', 'roles', 'cells', 'enterprise', 'mns', 'cameras', 'name'), fc.anything()), (payload) => {
        const outcome = parseClaims(payload);
        if (!outcome.ok) return;
        expect(typeof outcome.claims.sub).toBe('string');
        expect(outcome.claims.sub.trim()).not.toBe('');
        expect(outcome.claims.roles.length).toBeGreaterThan(0);
        for (const role of outcome.claims.roles) expect(['admin', 'district', 'town', 'assistant', 'enterprise', 'device', 'upstream']).toContain(role);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps every well-formed binding it is given', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.stringMatching(/^[A-Za-z0-9_-]{1,32}$/), { minLength: 1, maxLength: 20 }), (mns) => {
        const outcome = parseClaims({ sub: 'logger', roles: ['device'], mns });
        expect(outcome).toEqual({ ok: true, claims: expect.objectContaining({ mns }) });
      }),
    );
  });
});

describe('serve mode keys', () => {
  it('refuses a JWT_SECRET under 32 bytes and a JWKS not on https (loopback excepted); the demo does not', () => {
    expect(() => loadConfig({ JWT_SECRET: 'x' }, 'serve')).toThrow(ConfigError);
    expect(() => loadConfig({ JWT_SECRET: 'a'.repeat(31) }, 'serve')).toThrow('JWT_SECRET must be at least 32 bytes');
    // bytes, not characters: 11 three-byte characters are 33 bytes
    expect(loadConfig({ JWT_SECRET: '环'.repeat(11) }, 'serve').jwt.secret).toBe('环'.repeat(11));
    expect(loadConfig({ JWT_SECRET: 'a'.repeat(32) }, 'serve').jwt.secret).toHaveLength(32);
    expect(() => loadConfig({ JWT_JWKS_URL: 'http://idp.bureau.example/jwks.json' }, 'serve')).toThrow('JWT_JWKS_URL must be an https:// URL');
    expect(() => loadConfig({ JWT_JWKS_URL: 'ftp://idp.bureau.example/jwks.json' }, 'serve')).toThrow(/JWT_JWKS_URL/);
    expect(() => loadConfig({ JWT_JWKS_URL: 'not a url' }, 'serve')).toThrow(/JWT_JWKS_URL/);
    expect(() => loadConfig({ JWT_JWKS_URL: 'http://127.0.0.1.evil.example/jwks.json' }, 'serve')).toThrow(/JWT_JWKS_URL/);
    for (const url of ['https://idp.bureau.example/jwks.json', 'http://127.0.0.1:8080/jwks.json', 'http://localhost/jwks', 'http://[::1]:9000/jwks']) {
      expect(loadConfig({ JWT_JWKS_URL: url }, 'serve').jwt.jwksUrl).toBe(url);
    }
    expect(loadConfig({ JWT_SECRET: 'x' }, 'demo').jwt.secret).toBe('x');
  });

  it('makes `envhub serve` exit with code 2 and the reason on a short secret', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], {
      cwd: ROOT,
      env: {
        ...process.env,
        HUB_HOST: '127.0.0.1',
        HUB_PORT: '0',
        HUB_DATA_DIR: 'memory://',
        HJ212_ENABLED: 'false',
        JWT_SECRET: 'short',
        LOG_LEVEL: 'silent',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toContain('envhub: JWT_SECRET must be at least 32 bytes');
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
