import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { SignJWT } from 'jose';
import { startTestHub, type TestHub } from '../support/hub';
import { createTokenVerifier } from '../../src/auth/jwt';

const run = promisify(execFile);
const PROTECTED = '{ monitors { edges { node { mn } } } }';

describe('authentication over HTTP (pglite)', () => {
  let th: TestHub;
  const secret = 'a-test-secret-that-is-long-enough';
  beforeAll(async () => {
    th = await startTestHub({ env: { JWT_SECRET: secret, JWT_AUDIENCE: 'envhub', JWT_ISSUER: 'bureau' } });
  });
  afterAll(() => th.stop());

  const mint = (claims: Record<string, unknown>, options: { exp?: number; aud?: string; iss?: string; key?: string } = {}) => {
    let jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('someone').setIssuedAt();
    jwt = jwt.setExpirationTime(options.exp ?? Math.floor(Date.now() / 1000) + 600);
    jwt = jwt.setAudience(options.aud ?? 'envhub').setIssuer(options.iss ?? 'bureau');
    return jwt.sign(new TextEncoder().encode(options.key ?? secret));
  };

  it('serves public fields without a token', async () => {
    const { status, body } = await th.graphql('{ hub { version } }');
    expect(status).toBe(200);
    expect(body.data).toEqual({ hub: { version: expect.any(String) } });
  });

  it('asks for authentication on everything else', async () => {
    const { body } = await th.graphql(PROTECTED);
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(body.data).toBeNull();
  });

  it('accepts a valid token', async () => {
    const { body } = await th.graphql(PROTECTED, {}, await mint({ roles: ['district'] }));
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ monitors: { edges: [] } });
  });

  it.each([
    ['expired', () => mint({ roles: ['district'] }, { exp: Math.floor(Date.now() / 1000) - 3600 }), /expired/],
    ['wrong audience', () => mint({ roles: ['district'] }, { aud: 'someone-else' }), /aud/],
    ['wrong issuer', () => mint({ roles: ['district'] }, { iss: 'elsewhere' }), /iss/],
    ['wrong key', () => mint({ roles: ['district'] }, { key: 'another-secret-entirely-different' }), /invalid/],
    ['no role', () => mint({ roles: [] }), /no known role/],
    ['garbage', async () => 'not-a-jwt', /invalid/],
  ])('refuses a token: %s', async (_name, token, message) => {
    const { status, body } = await th.graphql(PROTECTED, {}, await token());
    expect(status).toBe(401);
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(body.errors?.[0]?.message).toMatch(message);
  });

  it('refuses a token without exp', async () => {
    const token = await new SignJWT({ roles: ['admin'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('x').setAudience('envhub').setIssuer('bureau').sign(new TextEncoder().encode(secret));
    const { status } = await th.graphql(PROTECTED, {}, token);
    expect(status).toBe(401);
  });

  it('forbids a role the field does not admit', async () => {
    const { body } = await th.graphql(
      'mutation { createMonitor(input: {mn: "X1", password: "123456", name: "x", kind: OTHER, intervalSeconds: 60}) { __typename } }',
      {},
      await mint({ roles: ['district'] }),
    );
    expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('token verification', () => {
  it('without a configured key refuses every token but allows the public', async () => {
    const verify = createTokenVerifier({ secret: undefined, jwksUrl: undefined, issuer: undefined, audience: undefined, clockToleranceSeconds: 30 });
    await expect(verify(undefined)).resolves.toMatchObject({ roles: ['public'] });
    await expect(verify('abc')).rejects.toThrow(/no JWT secret/);
  });
});

describe('token CLI', () => {
  it('prints only a token that the hub accepts', async () => {
    const secret = 'cli-secret-for-this-test-only';
    const { stdout } = await run('npx', ['tsx', 'src/main.ts', 'token', '--role', 'assistant', '--cell', '51011201001001', '--ttl', '1h'], {
      cwd: new URL('../../', import.meta.url).pathname,
      env: { ...process.env, JWT_SECRET: secret },
    });
    const token = stdout.trim();
    expect(token.split('.')).toHaveLength(3);
    const viewer = await createTokenVerifier({ secret, jwksUrl: undefined, issuer: undefined, audience: undefined, clockToleranceSeconds: 0 })(token);
    expect(viewer.roles).toEqual(['assistant']);
    expect(viewer.cells).toEqual(['51011201001001']);
  });

  it('refuses an unknown role with exit code 2', async () => {
    await expect(
      run('npx', ['tsx', 'src/main.ts', 'token', '--role', 'mayor'], { cwd: new URL('../../', import.meta.url).pathname, env: { ...process.env, JWT_SECRET: 'x' } }),
    ).rejects.toMatchObject({ code: 2 });
  });
});
