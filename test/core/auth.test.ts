import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { startTestHub, type TestHub } from '../support/hub';
import { createTokenVerifier } from '../../src/auth/jwt';
import { tokenRequest, TOKEN_USAGE } from '../../src/auth/token-cli';
import { ConfigError } from '../../src/config';

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
    [
      'wrong key',
      () => mint({ roles: ['district'] }, { key: 'another-secret-entirely-different' }),
      /^token signed with another secret: check the data directory \(HUB_DATA_DIR\) and JWT_SECRET$/,
    ],
    ['a tampered signature', async () => `${(await mint({ roles: ['district'] })).slice(0, -4)}AAAA`, /signed with another secret/],
    ['no role', () => mint({ roles: [] }), /"roles" must list at least one role/],
    ['garbage', async () => 'not-a-jwt', /^token invalid$/],
  ])('refuses a token: %s', async (_name, token, message) => {
    const { status, body } = await th.graphql(PROTECTED, {}, await token());
    expect(status).toBe(401);
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(body.errors?.[0]?.message).toMatch(message);
  });

  it('refuses a token the CLI minted with another data directory’s secret, and says where to look', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'envhub-other-data-'));
    try {
      const env: NodeJS.ProcessEnv = { ...process.env, HUB_DATA_DIR: dataDir, JWT_AUDIENCE: 'envhub', JWT_ISSUER: 'bureau' };
      delete env.JWT_SECRET;
      const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/main.ts', 'token', '--role', 'district'], {
        cwd: new URL('../../', import.meta.url).pathname,
        env,
      });
      const { status, body } = await th.graphql(PROTECTED, {}, stdout.trim());
      expect(status).toBe(401);
      expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(body.errors?.[0]?.message).toBe('token signed with another secret: check the data directory (HUB_DATA_DIR) and JWT_SECRET');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses a token without exp', async () => {
    const token = await new SignJWT({ roles: ['admin'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('x')
      .setAudience('envhub')
      .setIssuer('bureau')
      .sign(new TextEncoder().encode(secret));
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
  const CLI_SECRET = 'cli-secret-for-this-test-of-32-bytes';
  const cli = (args: string[], secret = CLI_SECRET) =>
    run(process.execPath, ['--import', 'tsx', 'src/main.ts', 'token', ...args], {
      cwd: new URL('../../', import.meta.url).pathname,
      env: { ...process.env, JWT_SECRET: secret },
    });
  const verify = createTokenVerifier({ secret: CLI_SECRET, jwksUrl: undefined, issuer: undefined, audience: undefined, clockToleranceSeconds: 0 });
  const failureOf = (args: string[]) =>
    cli(args).then(
      () => undefined,
      (error: { code: number; stdout: string; stderr: string }) => error,
    );

  it('prints only a token that the hub accepts', async () => {
    const token = (await cli(['--role', 'assistant', '--cell', '51011201001001', '--ttl', '1h'])).stdout.trim();
    expect(token.split('.')).toHaveLength(3);
    const viewer = await verify(token);
    expect(viewer.roles).toEqual(['assistant']);
    expect(viewer.cells).toEqual(['51011201001001']);
  });

  it('binds a device token to its monitors, and the video platform’s to its cameras', async () => {
    const logger = await verify((await cli(['--role', 'device', '--mn', 'SRC5101120001W', '--mn', 'SRC5101120001G'])).stdout.trim());
    expect(logger).toMatchObject({ roles: ['device'], monitors: ['SRC5101120001W', 'SRC5101120001G'], cameras: [] });
    const video = await verify((await cli(['--role', 'video', '--camera', 'CAM-0001', '--camera', 'CAM-0002'])).stdout.trim());
    expect(video).toMatchObject({ roles: ['device'], monitors: [], cameras: ['CAM-0001', 'CAM-0002'] });
  });

  it('refuses a device token bound to nothing: exit code 2, the reason, no stack trace, no token', async () => {
    const failure = await failureOf(['--role', 'device']);
    expect(failure?.code).toBe(2);
    expect(failure?.stdout).toBe('');
    expect(failure?.stderr).toMatch(/^envhub: a device token is bound to what it stands for: give --mn <MN> or --camera <code>/m);
    expect(failure?.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses an unknown option with the usage, exit code 2 and no stack trace', async () => {
    const failure = await failureOf(['--role', 'district', '--cells', '5101']);
    expect(failure?.code).toBe(2);
    expect(failure?.stderr).toMatch(/Unknown option '--cells'[\s\S]*usage: npm run -s token/);
    expect(failure?.stderr).not.toMatch(/\n\s+at /);
  });

  it('explains itself with --help: usage on stdout, exit code 0', async () => {
    const { stdout, stderr } = await cli(['--help']);
    expect(stdout).toBe(TOKEN_USAGE);
    expect(stdout).toContain('--mn <MN>');
    expect(stdout).toContain('--camera <code>');
    expect(stderr).toBe('');
  });

  it.each([
    ['a device token bound to nothing', ['--role', 'device'], /give --mn <MN> or --camera <code>/],
    ['a video token without cameras', ['--role', 'video', '--mn', 'SRC5101120001W'], /give --camera <code>/],
    ['an MN of the wrong shape', ['--role', 'device', '--mn', 'not an mn'], /--mn must be a list of monitor MNs/],
    ['a cell of the wrong shape', ['--role', 'town', '--cell', '5101%'], /--cell must be a list of grid cell codes/],
    ['an enterprise token without its enterprise', ['--role', 'enterprise'], /must name its enterprise/],
    ['an unknown role', ['--role', 'mayor'], /unknown role: "mayor"/],
    ['the public role', ['--role', 'public'], /unknown role: "public"/],
    ['an unknown option', ['--role', 'district', '--cells', '5101'], /Unknown option '--cells'/],
    ['a lifetime that is no duration', ['--role', 'district', '--ttl', 'forever'], /--ttl: not a duration/],
    ['no role at all', [], /give --role/],
  ])('reads the command line: refuses %s', (_what, args, message) => {
    expect(() => tokenRequest(args)).toThrow(ConfigError);
    expect(() => tokenRequest(args)).toThrow(message);
  });

  it('reads the command line: -h asks for the usage, --role video mints a device token', () => {
    expect(tokenRequest(['-h'])).toEqual({ help: true });
    expect(tokenRequest(['--role', 'video', '--camera', 'VS-E001-C1', '--ttl', '30m'])).toMatchObject({
      help: false,
      ttlSeconds: 1800,
      claims: { roles: ['device'], cameras: ['VS-E001-C1'] },
    });
  });
});
