import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { ENGINES, startTestHub, type TestHub } from '../support/hub';

interface LogEntry {
  level: number;
  msg: string;
  viewer?: string;
  actor?: string;
}

type Enterprises = { district_510112: { enterprises: { edges: { node: { uscc: string; cellCode: string | null } }[] } } };

describe.each(ENGINES)('an end user behind a province platform (%s)', (engine) => {
  let th: TestHub;
  const logged: LogEntry[] = [];
  let all: { uscc: string; cellCode: string | null }[] = [];
  let town = '';
  const PLATFORM = 'sichuan-province-platform';

  beforeAll(async () => {
    th = await startTestHub({
      engine,
      env: { HUB_SEED: 'true', HUB_MODULES: 'grid,source,air' },
      logger: pino({ level: 'info' }, { write: (line: string) => void logged.push(JSON.parse(line) as LogEntry) }),
    });
    const admin = await th.token({ roles: ['admin'] });
    const listed = await th.graphql<{ enterprises: { edges: { node: { uscc: string; cellCode: string | null } }[] } }>(
      '{ enterprises(first: 100) { edges { node { uscc cellCode } } } }',
      {},
      admin,
    );
    all = listed.body.data?.enterprises.edges.map((e) => e.node) ?? [];
    const cell = all.find((e) => e.cellCode)?.cellCode as string;
    const parent = await th.graphql<{ gridCell: { parentCode: string } }>(`{ gridCell(code: "${cell}") { parentCode } }`, {}, admin);
    town = parent.body.data?.gridCell.parentCode as string;
  }, 120_000);
  afterAll(async () => {
    await th?.stop();
  });

  const platform = (obo?: Record<string, unknown>) => th.token({ roles: ['upstream'], sub: PLATFORM, ...(obo ? { obo: obo as never } : {}) });
  const post = async (path: '/federation' | '/graphql', query: string, token: string, variables: Record<string, unknown> = {}) => {
    const response = await fetch(`http://127.0.0.1:${th.hub.port}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    return {
      status: response.status,
      body: (await response.json()) as { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: { code?: string } }[] },
    };
  };
  const enterprisesSeen = async (token: string) => {
    const { body } = await post('/federation', '{ district_510112 { enterprises(first: 100) { edges { node { uscc cellCode } } } } }', token);
    expect(body.errors).toBeUndefined();
    return (body.data as unknown as Enterprises).district_510112.enterprises.edges.map((e) => e.node.uscc);
  };

  it('applies a town officer’s cells, an enterprise’s own USCC and a district officer’s platform view', async () => {
    expect(all.length).toBeGreaterThan(2);
    const everything = all.map((e) => e.uscc);
    expect(await enterprisesSeen(await platform())).toEqual(everything);
    expect(await enterprisesSeen(await platform({ sub: 'district-officer-li', role: 'district' }))).toEqual(everything);
    const inTown = all.filter((e) => e.cellCode?.startsWith(town)).map((e) => e.uscc);
    expect(inTown.length).toBeGreaterThan(0);
    expect(inTown.length).toBeLessThan(everything.length);
    expect(await enterprisesSeen(await platform({ sub: 'town-officer-zhang', role: 'town', scope: [town] }))).toEqual(inTown);
    const own = everything[1] as string;
    expect(await enterprisesSeen(await platform({ sub: 'enterprise-wang', role: 'enterprise', scope: [own] }))).toEqual([own]);
  });

  it('never gives the end user more than the platform: no staff-only fields, no mutations', async () => {
    const officer = await th.token({ roles: ['town'], cells: [town], sub: 'town-officer-zhang' });
    const behindPlatform = await platform({ sub: 'town-officer-zhang', role: 'town', scope: [town] });
    // the town officer's own token reads the duty panels; through the platform, no more than the platform does
    expect((await post('/graphql', '{ dutySummary { __typename } }', officer)).body.errors).toBeUndefined();
    for (const token of [await platform(), behindPlatform]) {
      const { body } = await post('/graphql', '{ dutySummary { __typename } }', token);
      expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    const district = await platform({ sub: 'district-officer-li', role: 'district' });
    const mutation = `mutation { upsertGridCell(input: { code: "${town}099", name: "新村", parentCode: "${town}" }) { __typename } }`;
    // the same mutation runs for a district officer's own token
    const own = await post('/graphql', mutation.replace('099', '098'), await th.token({ roles: ['district'], sub: 'district-officer-li' }));
    expect(own.body.errors).toBeUndefined();
    for (const token of [district, behindPlatform]) {
      const onGraphql = await post('/graphql', mutation, token);
      expect(onGraphql.body.data ?? null).toBeNull();
      expect(onGraphql.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const onFederation = await post('/federation', mutation, token);
      expect(onFederation.body.errors?.[0]?.message).toMatch(/not configured to execute mutation/);
    }
  });

  it('refuses an on-behalf-of claim on any token but a platform’s, or wider than its role', async () => {
    const cases = [
      th.token({ roles: ['district'], sub: 'officer', obo: { sub: 'x', role: 'town', scope: [town] } }),
      platform({ sub: 'town-officer-zhang', role: 'town' }),
      platform({ sub: 'enterprise-wang', role: 'enterprise', scope: [] }),
      platform({ sub: 'officer', role: 'admin' }),
      platform({ sub: 'officer', role: 'district', scope: [town] }),
    ];
    for (const token of await Promise.all(cases)) {
      const { status } = await post('/federation', '{ district_510112 { hub { version } } }', token);
      expect(status).toBe(401);
    }
  });

  it('logs both identities: the end user and the platform acting for them', async () => {
    const before = logged.length;
    const token = await platform({ sub: 'town-officer-zhang', role: 'town', scope: [town] });
    await post('/federation', 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Enterprise { uscc } } }', token, {
      r: [{ __typename: 'Enterprise' }],
    });
    const warning = logged.slice(before).find((line) => line.msg === 'malformed entity representations');
    expect(warning).toMatchObject({ viewer: 'town-officer-zhang', actor: PLATFORM });
  });
});
