import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../support/hub';
import { connectWs, execute, type WsHandle } from '../support/ws';

type Body = {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
  extensions?: Record<string, unknown>;
};

/** The same request over the three transports of /graphql. */
interface Transports {
  post(query: string, variables?: Record<string, unknown>, extensions?: Record<string, unknown>): Promise<{ status: number; body: Body }>;
  get(query: string, variables?: Record<string, unknown>, extensions?: Record<string, unknown>): Promise<{ status: number; body: Body }>;
  ws(query: string, variables?: Record<string, unknown>, extensions?: Record<string, unknown>): Promise<Body>;
}

function transports(th: TestHub, token: string | undefined, ws: () => WsHandle): Transports {
  const base = `http://127.0.0.1:${th.hub.port}/graphql`;
  const auth: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  return {
    post: async (query, variables, extensions) => {
      const response = await fetch(base, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth },
        body: JSON.stringify({ query, variables, extensions }),
      });
      return { status: response.status, body: (await response.json()) as Body };
    },
    get: async (query, variables, extensions) => {
      const search = new URLSearchParams({ query });
      if (variables) search.set('variables', JSON.stringify(variables));
      if (extensions) search.set('extensions', JSON.stringify(extensions));
      const response = await fetch(`${base}?${search}`, { headers: { 'apollo-require-preflight': 'true', ...auth } });
      return { status: response.status, body: (await response.json()) as Body };
    },
    ws: async (query, variables, extensions) => {
      const handle = ws();
      return new Promise<Body>((resolve, reject) => {
        let result: Body = {};
        handle.client.subscribe({ query, variables, extensions } as never, {
          next: (value) => (result = value as Body),
          // errors before execution (limits, validation) end the operation with an error message
          error: (error) => (Array.isArray(error) ? resolve({ errors: error as Body['errors'] }) : reject(error)),
          complete: () => resolve(result),
        });
      });
    },
  };
}

/** About 1 KB: each fragment spreads the next twice, so the operation expands to 2^24 `hub` fields. */
export function nestedSpreads(levels: number): string {
  const fragments = Array.from({ length: levels }, (_, i) => `fragment F${i} on Query { hub { version } ...F${i + 1} ...F${i + 1} }`);
  return `query Nested { ...F0 } ${fragments.join(' ')} fragment F${levels} on Query { hub { version } }`;
}

/** 30 aliases of the largest raw series. */
export function aliasedReadings(monitor: string, count = 30): string {
  const aliases = Array.from(
    { length: count },
    (_, i) => `a${i}: readings(monitor: $m, factor: "w01018", from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z", limit: 5000) { points { time value } }`,
  );
  return `query Aliased($m: ID!) { ${aliases.join(' ')} }`;
}

const MONITOR = Buffer.from('Monitor:1').toString('base64url');

describe('operation limits over POST, GET and WebSocket (pglite)', () => {
  let th: TestHub;
  let district: string;
  const sockets: WsHandle[] = [];
  let staff: Transports;
  let anonymous: Transports;
  beforeAll(async () => {
    th = await startTestHub({
      env: {
        GRAPHQL_MAX_DEPTH: '6',
        GRAPHQL_MAX_ALIASES: '30',
        GRAPHQL_MAX_DOCUMENT_BYTES: '8000',
        GRAPHQL_MAX_BATCH: '10',
        GRAPHQL_MAX_RESPONSE_BYTES: '2048',
      },
    });
    district = await th.token({ roles: ['district'] });
    // one connection per viewer, opened on first use
    const socket = (token?: string) => {
      let handle: WsHandle | undefined;
      return () => {
        if (!handle) sockets.push((handle = connectWs(th.hub.port, token)));
        return handle;
      };
    };
    staff = transports(th, district, socket(district));
    anonymous = transports(th, undefined, socket());
  });
  afterAll(async () => {
    for (const handle of sockets) await handle.dispose();
    await th.stop();
  });

  const over = ['post', 'get', 'ws'] as const;
  const errorsOf = async (
    t: Transports,
    how: (typeof over)[number],
    query: string,
    variables?: Record<string, unknown>,
    extensions?: Record<string, unknown>,
  ) => {
    if (how === 'ws') return t.ws(query, variables, extensions);
    const { status, body } = await t[how](query, variables, extensions);
    return { ...body, status };
  };

  it.each(over)('refuses nested fragment spreads by their cost, without expanding them (%s)', async (how) => {
    const result = await errorsOf(anonymous, how, nestedSpreads(23));
    expect(result.errors?.[0]?.extensions?.code).toBe('LIMIT_EXCEEDED');
    // 2^24 - 1 `hub` fields, counted exactly: the analysis knows the expansion without doing it
    expect(result.errors?.[0]?.message).toMatch(/^operation cost 16,777,215 exceeds the budget of 10,000 for anonymous; costliest: hub 16,777,215\./);
    if ('status' in result) expect(result.status).toBe(400);
  });

  it.each(over)('refuses 30 aliases of 5,000 points and names the costliest paths (%s)', async (how) => {
    const result = await errorsOf(staff, how, aliasedReadings(MONITOR), { m: MONITOR });
    const error = result.errors?.[0];
    expect(error?.extensions?.code).toBe('LIMIT_EXCEEDED');
    expect(error?.message).toMatch(
      /^operation cost 150,030 exceeds the budget of 50,000 for staff; costliest: a\d+\.points 5,000, a\d+\.points 5,000, a\d+\.points 5,000\./,
    );
    expect(error?.extensions).toMatchObject({ cost: 150_030, budget: 50_000, audience: 'staff' });
    expect((error?.extensions?.costliest as unknown[]).length).toBe(3);
  });

  it('adds up the operations of a batch against one budget and refuses the whole batch', async () => {
    const five = aliasedReadings(MONITOR, 5);
    const batch = Array.from({ length: 10 }, () => ({ query: five, variables: { m: MONITOR } }));
    const response = await fetch(`http://127.0.0.1:${th.hub.port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${district}` },
      body: JSON.stringify(batch),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as Body;
    expect(body.errors?.[0]?.message).toMatch(/^request cost 250,050 exceeds the budget of 50,000 for staff; costliest: \[\d\] a\d\.points 5,000/);
    // one of them alone is within the budget
    const one = await staff.post(five.replace('limit: 5000', 'limit: 1'), { m: MONITOR });
    expect(one.body.errors?.[0]?.extensions?.code).not.toBe('LIMIT_EXCEEDED');
  });

  it('adds up an anonymous batch of aliased public queries against the anonymous budget', async () => {
    const aliased = `{ ${Array.from({ length: 30 }, (_, i) => `s${i}: publicAirQuality { station { code name } quality { aqi } }`).join(' ')} }`;
    const response = await fetch(`http://127.0.0.1:${th.hub.port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(Array.from({ length: 10 }, () => ({ query: aliased }))),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as Body;
    expect(body.errors?.[0]?.message).toMatch(/^request cost [\d,]+ exceeds the budget of 10,000 for anonymous; costliest: \[\d\] s\d+/);
  });

  it('gives each audience its own budget', async () => {
    const upstream = await th.token({ roles: ['upstream'], sub: 'province' });
    const asked = async (token: string | undefined) => {
      const response = await fetch(`http://127.0.0.1:${th.hub.port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query: '{ hub { version } }', extensions: { cost: true } }),
      });
      return ((await response.json()) as Body).extensions?.cost;
    };
    expect(await asked(undefined)).toMatchObject({ audience: 'anonymous', budget: 10_000 });
    expect(await asked(district)).toMatchObject({ audience: 'staff', budget: 50_000 });
    expect(await asked(await th.token({ roles: ['enterprise'], enterprise: '91510112MA6CAAAAA1' }))).toMatchObject({ audience: 'staff', budget: 50_000 });
    expect(await asked(upstream)).toMatchObject({ audience: 'upstream', budget: 100_000 });
  });

  it.each(over)('counts page sizes given by variables at their values (%s)', async (how) => {
    const query = 'query($n: Int) { monitors(first: $n) { edges { node { mn limits(limit: 500) { factor } latestReadings(limit: 200) { factor } } } } }';
    const small = await errorsOf(staff, how, query, { n: 2 });
    expect(small.errors).toBeUndefined();
    const large = await errorsOf(staff, how, query, { n: 100 });
    expect(large.errors?.[0]?.message).toMatch(
      /^operation cost 70,101 exceeds the budget of 50,000 for staff; costliest: monitors\.edges\.node\.limits 50,000, monitors\.edges\.node\.latestReadings 20,000, monitors\.edges\.node 100\./,
    );
  });

  it.each(over)('refuses excess depth and aliases (%s)', async (how) => {
    const deep = await errorsOf(
      staff,
      how,
      '{ exceedances { edges { node { monitor { latestReadings { monitor { latestReadings { monitor { mn } } } } } } } } }',
    );
    expect(deep.errors?.[0]?.message).toMatch(/operation depth 9 exceeds the limit of 6/);
    const aliases = Array.from({ length: 31 }, (_, i) => `a${i}: hub { version }`).join(' ');
    const many = await errorsOf(anonymous, how, `{ ${aliases} }`);
    expect(many.errors?.[0]?.message).toMatch(/31 aliases; the limit is 30/);
  });

  it.each(over)('gives the cost of an accepted operation in extensions when asked (%s)', async (how) => {
    const query = '{ monitors(first: 3) { edges { node { mn } } } }';
    const asked = await errorsOf(staff, how, query, undefined, { cost: true });
    expect(asked.errors).toBeUndefined();
    expect(asked.extensions?.cost).toEqual({ operation: 4, request: 4, budget: 50_000, audience: 'staff' });
    const unasked = await errorsOf(staff, how, query);
    expect(unasked.extensions?.cost).toBeUndefined();
  });

  it.each(over)('cuts a response past GRAPHQL_MAX_RESPONSE_BYTES off with one error (%s)', async (how) => {
    const small = await errorsOf(staff, how, '{ hub { version } }');
    expect(small.errors).toBeUndefined();
    // the factor catalog, every name in two languages: several KB
    const large = await errorsOf(staff, how, '{ factors { code alias2005 nameZh nameEn unit medium } }');
    expect(large.data ?? null).toBeNull();
    expect(large.errors).toHaveLength(1);
    expect(large.errors?.[0]?.message).toMatch(/the response would exceed 2048 bytes/);
    expect(large.errors?.[0]?.extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', maxBytes: 2048 });
  });

  it('bounds the response of a whole batch, not each operation', async () => {
    const piece = { query: '{ factors { code unit } }' };
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${district}` };
    const single = await fetch(`http://127.0.0.1:${th.hub.port}/graphql`, { method: 'POST', headers, body: JSON.stringify([piece]) });
    const alone = (await single.json()) as Body[];
    expect(alone[0]?.errors).toBeUndefined();
    const twice = await fetch(`http://127.0.0.1:${th.hub.port}/graphql`, { method: 'POST', headers, body: JSON.stringify([piece, piece]) });
    const bodies = (await twice.json()) as Body[];
    expect(bodies.some((body) => body.errors?.[0]?.extensions?.code === 'LIMIT_EXCEEDED')).toBe(true);
  });

  it.each(over)('hides "Did you mean" suggestions when introspection is off (%s)', async (how) => {
    const result = await errorsOf(anonymous, how, '{ hub { versoin } }');
    expect(result.errors?.[0]?.message).toBe('Cannot query field "versoin" on type "HubInfo".');
    const variable = await errorsOf(staff, how, 'query($k: [MonitorKind!]) { monitors(filter: { kind: $k }) { edges { node { mn } } } }', {
      k: ['AIR_STATIOn'],
    });
    expect(variable.errors?.[0]?.message).toMatch(/AIR_STATIOn/);
    expect(variable.errors?.[0]?.message).not.toMatch(/Did you mean/);
  });

  it('refuses an oversized document and a batch over the limit', async () => {
    const huge = `{ hub { version } } # ${'x'.repeat(9000)}`;
    expect((await staff.post(huge)).status).toBe(413);
    expect((await staff.ws(huge)).errors?.[0]?.message).toMatch(/exceeds 8000 bytes/);
    const tooMany = await fetch(`http://127.0.0.1:${th.hub.port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(Array.from({ length: 11 }, () => ({ query: '{ hub { version } }' }))),
    });
    expect(tooMany.status).toBe(400);
  });

  it('refuses a body over the size limit and invalid JSON', async () => {
    const big = await fetch(`http://127.0.0.1:${th.hub.port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ hub { version } }', variables: { pad: 'x'.repeat(1_100_000) } }),
    });
    expect(big.status).toBe(413);
    const broken = await fetch(`http://127.0.0.1:${th.hub.port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": ',
    });
    expect(broken.status).toBe(400);
  });

  it('hides introspection when it is off (the production default)', async () => {
    expect((await staff.post('{ __schema { types { name } } }')).body.errors?.[0]?.message).toMatch(/introspection/i);
    expect((await staff.ws('{ __schema { types { name } } }')).errors?.[0]?.message).toMatch(/introspection/i);
  });
});

describe('with introspection on', () => {
  let open: TestHub;
  beforeAll(async () => {
    open = await startTestHub({ env: { GRAPHQL_INTROSPECTION: 'true', GRAPHQL_MAX_DEPTH: '6' } });
  });
  afterAll(() => open.stop());

  it('lets an IDE load the schema, within the introspection depth limit, and keeps suggestions', async () => {
    const { getIntrospectionQuery } = await import('graphql');
    expect((await open.graphql(getIntrospectionQuery(), {})).body.errors).toBeUndefined();
    let deep = 'name';
    for (let i = 0; i < 25; i += 1) deep = `ofType { ${deep} }`;
    const abuse = await open.graphql(`{ __schema { types { fields { type { ${deep} } } } } }`, {});
    expect(abuse.body.errors?.[0]?.message).toMatch(/introspection depth \d+ exceeds the limit of 20/);
    const typo = await open.graphql('{ hub { versoin } }', {});
    expect(typo.body.errors?.[0]?.message).toMatch(/Did you mean "version"\?/);
  });
});
