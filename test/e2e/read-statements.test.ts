import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestHub, type TestHub } from '../support/hub';
import { Q2, readWorkload, sendRead, statementsPerRequest, type ReadOperation } from '../support/reads';

/**
 * Statements per request of the measured reads (bench/reads.ts times the same requests): a
 * change that adds a round trip to one of them shows here. The counts do not depend on how many
 * rows come back; each is the fewest over a few runs (the hub's own workers may send one in between).
 */
const EXPECTED: Record<string, number> = {
  Q1: 1,
  // the page's statement reads the outlets, their links and their monitors (json aggregation)
  Q2: 1,
  // the monitor's row scope is checked in the series' statement
  Q3: 1,
  EnterpriseFile: 18,
  IncidentCommandView: 11,
  AssistantTasks: 4,
  DistrictAqiRanking: 4,
  ProvinceEnterpriseJoin: 3,
};

describe.each(ENGINES)('statements per read request on %s', (engine) => {
  let th: TestHub;
  let workload: ReadOperation[];

  beforeAll(async () => {
    th = await startTestHub({ engine, env: { HUB_SEED: 'true' } });
    workload = await readWorkload(th);
  }, 300_000);
  afterAll(async () => {
    await th?.stop();
  });

  it('covers the three compared reads and every headline operation', () => {
    expect(workload.map((o) => o.name).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.keys(EXPECTED))('%s sends its pinned number of statements', async (name) => {
    const operation = workload.find((o) => o.name === name) as ReadOperation;
    const counts = await statementsPerRequest(th, operation);
    expect(counts).toBe(EXPECTED[name]);
  });

  type Q2Data = { enterprises: { edges: { node: { uscc: string; outlets: { code: string; monitors: { mn: string }[] }[] } }[] } };

  it('keeps the row scope in the one-statement reads: an enterprise sees only itself and its monitors, not a water station', async () => {
    const district = workload.find((o) => o.name === 'Q2') as ReadOperation;
    const all = (await sendRead(th, district)).body.data as Q2Data;
    const own = all.enterprises.edges.find((e) => e.node.outlets.some((o) => o.monitors.length > 0))?.node;
    expect(own).toBeDefined();
    const token = await th.token({ roles: ['enterprise'], enterprise: own?.uscc });
    const seen = (await sendRead(th, { ...district, query: Q2, token })).body.data as Q2Data;
    expect(seen.enterprises.edges.map((e) => e.node)).toEqual([own]);
    const series = workload.find((o) => o.name === 'Q3') as ReadOperation;
    const visible = await sendRead(th, series);
    expect((visible.body.data?.readings as { points: unknown[] }).points).toHaveLength(24);
    const hidden = await sendRead(th, { ...series, token });
    expect(hidden.body.errors).toBeUndefined();
    expect(hidden.body.data?.readings).toBeNull();
  });

  // /graphql runs operations compiled (graphql-jit); an operator can switch that off. Two hubs
  // share a server database only: the embedded engine has no second hub to compare with.
  if (engine !== 'pglite')
    it('answers every measured read as it does run on graphql-js (GRAPHQL_COMPILED=false, same database)', async () => {
      const interpreted = await startTestHub({
        engine,
        databaseUrl: th.hub.config.databaseUrl,
        env: { GRAPHQL_COMPILED: 'false', JWT_SECRET: th.hub.jwtSecret as string },
      });
      try {
        for (const operation of workload) {
          const compiled = await sendRead(th, operation);
          expect(compiled.body.errors).toBeUndefined();
          expect(compiled).toEqual(await sendRead(interpreted, operation));
        }
      } finally {
        await interpreted.stop();
      }
    });

  it('shows an assistant the monitors in their cells only, in the same statement', async () => {
    const district = workload.find((o) => o.name === 'Q2') as ReadOperation;
    const cells = await th.graphql<{ enterprises: { edges: { node: { uscc: string; cell: { code: string } | null } }[] } }>(
      '{ enterprises(first: 20) { edges { node { uscc cell { code } } } } }',
      {},
      district.token,
    );
    const cell = cells.body.data?.enterprises.edges.find((e) => e.node.cell)?.node.cell?.code as string;
    const inCell = new Set(cells.body.data?.enterprises.edges.filter((e) => e.node.cell?.code === cell).map((e) => e.node.uscc));
    const token = await th.token({ roles: ['assistant'], cells: [cell] });
    const seen = (await sendRead(th, { ...district, token })).body.data as Q2Data;
    expect(seen.enterprises.edges.length).toBeGreaterThan(0);
    expect(seen.enterprises.edges.every((e) => inCell.has(e.node.uscc))).toBe(true);
    const all = (await sendRead(th, district)).body.data as Q2Data;
    for (const { node } of seen.enterprises.edges) expect(node).toEqual(all.enterprises.edges.find((e) => e.node.uscc === node.uscc)?.node);
  });
});
