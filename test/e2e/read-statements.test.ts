import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestHub, type TestHub } from '../support/hub';
import { readWorkload, statementsPerRequest, type ReadOperation } from '../support/reads';

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
});
