import { ENGINES } from '../../support/hub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isObjectType } from 'graphql';
import type { TestHub } from '../../support/hub';
import { collect, connectWs } from '../../support/ws';
import { allOf, MATRIX_ROLES, startMatrixHub, type Matrix } from './fixture';

type Ids = (th: TestHub, token: string | undefined) => Promise<string[]>;

const ids =
  (field: string, args = ''): Ids =>
  async (th, token) =>
    (await allOf<{ id: string }>(th, token, field, 'id', args)).map((n) => n.id);
/** ids of records listed under each node of a connection */
const nested =
  (field: string, selection: string, pick: (node: Record<string, unknown>) => ({ id: string } | null | undefined)[]): Ids =>
  async (th, token) =>
    (await allOf<Record<string, unknown>>(th, token, field, selection)).flatMap(pick).flatMap((n) => (n ? [n.id] : []));
const union =
  (...sources: Ids[]): Ids =>
  async (th, token) => [...new Set((await Promise.all(sources.map((source) => source(th, token)))).flat())];

/**
 * For every node type, the records its own query field shows a viewer: its root list, or for a
 * type no root field lists, the fields a client reaches it through. `node(id)` must show exactly
 * these, role by role.
 */
const OWN_FIELD: Record<string, Ids> = {
  AirEpisode: ids('airEpisodes'),
  AirStation: ids('airStations'),
  Camera: ids('cameras'),
  EmergencyAction: nested('emergencyIncidents', 'actions { id }', (n) => n.actions as { id: string }[]),
  EmergencyDispatchOrder: nested('emergencyIncidents', 'orders { id }', (n) => n.orders as { id: string }[]),
  EmergencyIncident: ids('emergencyIncidents'),
  EmergencyPlan: ids('emergencyPlans'),
  EmergencyResource: ids('emergencyResources'),
  EnforcementCase: ids('enforcementCases'),
  Enterprise: ids('enterprises'),
  Exceedance: ids('exceedances'),
  GridCell: ids('gridCells'),
  GridPatrol: ids('gridPatrols'),
  GridStaff: ids('gridStaff'),
  GridTask: ids('gridTasks'),
  Inspection: ids('inspections'),
  Monitor: ids('monitors'),
  OaDocument: ids('oaDocuments'),
  OaNotice: ids('oaNotices'),
  OaPerson: ids('oaPeople'),
  OaSupervisedTask: ids('oaSupervisedTasks'),
  OaWorkflowDefinition: ids('oaWorkflowDefinitions'),
  OaWorkflowInstance: ids('oaWorkflowInstances'),
  SampleRetention: union(
    nested('enterprises', 'samplers { retentions { id } }', (n) => (n.samplers as { retentions: { id: string }[] }[]).flatMap((s) => s.retentions)),
    nested('exceedances', 'sampleRetention { id }', (n) => [n.sampleRetention as { id: string } | null]),
  ),
  VideoSite: union(
    nested('cameras', 'site { id }', (n) => [n.site as { id: string } | null]),
    nested('enterprises', 'videoSites { id }', (n) => n.videoSites as { id: string }[]),
  ),
  WaterEpisode: ids('waterEpisodes'),
  WaterSource: ids('waterSources'),
  WaterStation: nested('waterSources', 'stations { id }', (n) => n.stations as { id: string }[]),
};

/** Which of these ids `node(id)` returns to the viewer. */
async function visibleThroughNode(th: TestHub, token: string | undefined, all: readonly string[]): Promise<{ ids: string[]; errors: string[] }> {
  const shown: string[] = [];
  const errors: string[] = [];
  for (let i = 0; i < all.length; i += 200) {
    const chunk = all.slice(i, i + 200);
    const { body } = await th.graphql<Record<string, { id: string } | null>>(
      `{ ${chunk.map((id, k) => `n${k}: node(id: ${JSON.stringify(id)}) { id }`).join(' ')} }`,
      {},
      token,
    );
    for (const error of body.errors ?? []) errors.push(String(error.extensions?.code));
    for (const value of Object.values(body.data ?? {})) if (value) shown.push(value.id);
  }
  return { ids: shown, errors: [...new Set(errors)] };
}

/** Subscriptions that replay stored events, the record each event carries, and that record's type. */
const REPLAYS = [
  { field: 'exceedanceEvents', record: 'exceedance', type: 'Exceedance' },
  { field: 'airEpisodeEvents', record: 'episode', type: 'AirEpisode' },
  { field: 'waterEpisodeEvents', record: 'episode', type: 'WaterEpisode' },
  { field: 'gridTaskEvents', record: 'task', type: 'GridTask' },
] as const;

/** Entity types of the federation subgraph, their key, and the connection that lists them. */
const ENTITIES = [
  { type: 'Enterprise', key: 'uscc', list: 'enterprises' },
  { type: 'Monitor', key: 'mn', list: 'monitors' },
  { type: 'AirStation', key: 'code', list: 'airStations' },
  { type: 'WaterStation', key: 'code', list: null },
  { type: 'GridCell', key: 'code', list: 'gridCells' },
] as const;

describe.each(ENGINES)('every path to a record shows each role what the type’s own field shows (%s)', (engine) => {
  let m: Matrix;
  beforeAll(async () => {
    m = await startMatrixHub(engine);
  }, 240_000);
  afterAll(() => m?.th.stop());

  it('has an entry for every node type of the schema', () => {
    const node = m.th.hub.schema.getType('Node');
    const types = Object.values(m.th.hub.schema.getTypeMap())
      .filter((type) => isObjectType(type) && node !== undefined && type.getInterfaces().some((i) => i.name === 'Node'))
      .map((type) => type.name)
      .sort();
    expect(Object.keys(OWN_FIELD).sort()).toEqual(types);
  });

  it.each(Object.keys(OWN_FIELD))('%s', { timeout: 120_000 }, async (type) => {
    const everything = await OWN_FIELD[type]?.(m.th, m.tokens.admin);
    expect(everything?.length, `the demo district has no ${type}`).toBeGreaterThan(0);
    const mismatches: string[] = [];
    for (const role of MATRIX_ROLES) {
      const token = m.tokens[role];
      const own = new Set(await OWN_FIELD[type]?.(m.th, token));
      const node = await visibleThroughNode(m.th, token, everything ?? []);
      // node(id) needs a token: the public reads public types through their own fields only
      const expected = role === 'public' ? [] : [...own].sort();
      const unexpectedErrors = node.errors.filter((code) => !(role === 'public' && code === 'UNAUTHENTICATED'));
      if (JSON.stringify(node.ids.sort()) !== JSON.stringify(expected) || unexpectedErrors.length > 0) {
        mismatches.push(
          `${m.who[role]}: own field ${own.size}, node(id) ${node.ids.length}${unexpectedErrors.length ? ` errors ${unexpectedErrors.join(',')}` : ''}`,
        );
      }
    }
    expect(mismatches).toEqual([]);
  });

  /** The record ids of every event a role gets replaying a subscription from the first event. */
  const replayed = async (token: string | undefined, field: string, record: string, expected: number): Promise<(string | null)[]> => {
    const ws = connectWs(m.th.hub.port, token);
    try {
      const stream = collect<Record<string, Record<string, { id: string } | null>>>(
        ws.client,
        `subscription { ${field}(since: "0") { eventId ${record} { id } } }`,
      );
      await stream.until(expected, 3000);
      stream.dispose();
      return stream.received.flatMap((r) => (r.data ? [r.data[field]?.[record]?.id ?? null] : []));
    } finally {
      await ws.dispose();
    }
  };

  it.each(REPLAYS)('$field delivers a role the events of the records it sees, and only those', { timeout: 120_000 }, async ({ field, record, type }) => {
    const all = await replayed(m.tokens.admin, field, record, 10_000);
    expect(all.length, `no ${field} in the demo district`).toBeGreaterThan(0);
    const mismatches: string[] = [];
    for (const role of MATRIX_ROLES) {
      const own = new Set(await OWN_FIELD[type]?.(m.th, m.tokens[role]));
      const expected = all.filter((id) => id !== null && own.has(id));
      const got = await replayed(m.tokens[role], field, record, expected.length);
      if (JSON.stringify(got) !== JSON.stringify(expected))
        mismatches.push(
          `${m.who[role]}: expected ${expected.length} events, got ${got.length} (${got.filter((id) => id === null || !own.has(id)).length} of records it cannot see)`,
        );
    }
    expect(mismatches).toEqual([]);
  });

  it.each(ENTITIES)('_entities resolves a $type for a platform exactly when its own field shows it', { timeout: 120_000 }, async ({ type, key, list }) => {
    const keysOf = async (token: string | undefined): Promise<string[]> =>
      list
        ? (await allOf<Record<string, string>>(m.th, token, list, key)).map((n) => n[key] as string)
        : (await allOf<{ stations: Record<string, string>[] }>(m.th, token, 'waterSources', `stations { ${key} }`)).flatMap((n) =>
            n.stations.map((station) => station[key] as string),
          );
    const everything = await keysOf(m.tokens.admin);
    expect(everything.length).toBeGreaterThan(0);
    const mismatches: string[] = [];
    for (const role of MATRIX_ROLES) {
      const token = m.tokens[role];
      const response = await fetch(`http://127.0.0.1:${m.th.hub.port}/federation`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({
          query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on ${type} { ${key} } } }`,
          variables: { r: everything.slice(0, 100).map((value) => ({ __typename: type, [key]: value })) },
        }),
      });
      const platform = ['admin', 'district', 'upstream'].includes(role);
      if (!platform) {
        if (response.status !== (token ? 403 : 401)) mismatches.push(`${m.who[role]}: the endpoint answered ${response.status}`);
        continue;
      }
      const body = (await response.json()) as { data?: { _entities: (Record<string, string> | null)[] }; errors?: unknown[] };
      const resolved = (body.data?._entities ?? []).flatMap((entity) => (entity ? [entity[key] as string] : []));
      const own = new Set(await keysOf(token));
      const expected = everything.slice(0, 100).filter((value) => own.has(value));
      if (JSON.stringify(resolved) !== JSON.stringify(expected) || body.errors)
        mismatches.push(`${m.who[role]}: own field ${expected.length}, _entities ${resolved.length}`);
    }
    expect(mismatches).toEqual([]);
  });
});
