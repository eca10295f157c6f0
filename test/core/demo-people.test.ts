import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestHub, type TestHub } from '../support/hub';

const run = promisify(execFile);
const SECRET = 'demo-people-secret-of-at-least-32-bytes';
const ROOT = new URL('../../', import.meta.url).pathname;

const cli = (args: string[]) =>
  run(process.execPath, ['--import', 'tsx', 'src/main.ts', 'token', ...args], { cwd: ROOT, env: { ...process.env, JWT_SECRET: SECRET } });
const failureOf = (args: string[]) =>
  cli(args).then(
    () => undefined,
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
const tokenAs = async (name: string): Promise<string> => (await cli(['--as', name, '--ttl', '1h'])).stdout.trim();

describe('token CLI: demo people', () => {
  it('--as list prints the demo people per role', async () => {
    const { stdout } = await cli(['--as', 'list']);
    for (const heading of ['district officers:', 'town officers:', 'assistants:', 'enterprises:', 'devices:']) expect(stdout).toContain(heading);
    for (const name of [
      'district-officer-01',
      'officer-001',
      'town-officer-01',
      'assistant-001',
      'assistant-051',
      'demo-enterprise',
      'enterprise:<USCC>',
      'device:<MN>',
    ])
      expect(stdout).toContain(name);
  });

  it('--help names --as', async () => {
    expect((await cli(['--help'])).stdout).toMatch(/--as <name>[\s\S]*--as list/);
  });

  it('an unknown name: exit code 2, what to do, no stack trace, no token', async () => {
    const failure = await failureOf(['--as', 'assistant-999']);
    expect(failure?.code).toBe(2);
    expect(failure?.stdout).toBe('');
    expect(failure?.stderr).toMatch(/no demo person "assistant-999"; npm run -s token -- --as list prints them/);
    expect(failure?.stderr).not.toMatch(/\bat .+:\d+:\d+/);
  });

  it('refuses claims given beside a demo person', async () => {
    const failure = await failureOf(['--as', 'assistant-001', '--role', 'district']);
    expect(failure?.code).toBe(2);
    expect(failure?.stderr).toMatch(/leave out --role/);
  });
});

describe.each(ENGINES)('demo people against the demo-seeded hub (%s)', (engine) => {
  let th: TestHub;
  beforeAll(async () => {
    th = await startTestHub({ engine, env: { JWT_SECRET: SECRET, HUB_SEED: 'true', HUB_MODULES: 'grid,oa' } });
  });
  afterAll(async () => th?.stop());

  const GRID_ME = `{ gridMe { subject role assignments { cellCode active } } }`;
  interface GridMe {
    gridMe: { subject: string; role: string; assignments: { cellCode: string; active: boolean }[] } | null;
  }

  it.each([
    ['assistant-001', 'ASSISTANT'],
    ['assistant-051', 'ASSISTANT'],
    ['town-officer-01', 'TOWN_OFFICER'],
    ['district-officer-01', 'DISTRICT_OFFICER'],
  ])('%s finds their own grid row', async (name, role) => {
    const { body } = await th.graphql<GridMe>(GRID_ME, {}, await tokenAs(name));
    expect(body.errors).toBeUndefined();
    expect(body.data?.gridMe).toMatchObject({ subject: name, role });
  });

  it('an assistant’s token carries the cells the seed gave them', async () => {
    const token = await tokenAs('assistant-051');
    const { body } = await th.graphql<GridMe>(GRID_ME, {}, token);
    const claims = JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()) as { cells: string[] };
    const active = (body.data?.gridMe?.assignments ?? []).filter((a) => a.active).map((a) => a.cellCode);
    expect(claims.cells.length).toBeGreaterThan(0);
    expect([...claims.cells].sort()).toEqual([...active].sort());
  });

  it.each(['officer-003', 'town-officer-01'])('%s has an OA inbox with something in it', async (name) => {
    const { body } = await th.graphql<{ myInbox: { total: number } }>(`{ myInbox { total } }`, {}, await tokenAs(name));
    expect(body.errors).toBeUndefined();
    expect(body.data?.myInbox.total).toBeGreaterThan(0);
  });
});
