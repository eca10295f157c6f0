import { expect } from 'vitest';
import { sourceServiceRef, type SourceService } from '../../../modules/source/public';
import { completeUscc } from '../../../modules/source/uscc';
import { demoDevicePassword } from '../../../src/demo/devices';
import { startTestHub, type EngineName, type TestHub } from '../../support/hub';
import { standardGrid } from '../grid/support';

export { result, data, RESULT_FIELDS } from '../grid/support';

/** A valid USCC whose organisation code body ends in `serial`. */
export function uscc(serial: number): string {
  return completeUscc(`915101120${String(serial).padStart(7, '0')}`);
}

export interface SourceHub {
  hub: TestHub;
  source: SourceService;
  tokens: { admin: string; district: string; townA: string; assistantA1: string; assistantB1: string; public: string };
  enterpriseToken(code: string): Promise<string>;
}

/**
 * A hub with the grid and source modules and the grid tests' standard grid: villages G01001001,
 * G01001002 (town G01001) and G01002001 (town G01002).
 */
export async function startSourceHub(engine: EngineName, now?: () => Date, env: Record<string, string> = {}): Promise<SourceHub> {
  const hub = await startTestHub({ engine, env: { HUB_MODULES: 'grid,source', ...env }, ...(now ? { now } : {}) });
  const admin = await hub.token({ roles: ['admin'], sub: 'admin-1' });
  await standardGrid(hub, admin).build();
  return {
    hub,
    source: hub.hub.services.get(sourceServiceRef),
    tokens: {
      admin,
      district: await hub.token({ roles: ['district'], sub: 'district-1', name: '区局' }),
      townA: await hub.token({ roles: ['town'], sub: 'town-a', cells: ['G01001'] }),
      assistantA1: await hub.token({ roles: ['assistant'], sub: 'asst-a1', cells: ['G01001001'] }),
      assistantB1: await hub.token({ roles: ['assistant'], sub: 'asst-b1', cells: ['G01002001'] }),
      public: '',
    },
    enterpriseToken: (code) => hub.token({ roles: ['enterprise'], sub: `ent-${code}`, enterprise: code }),
  };
}

/**
 * A permit in force for the enterprise and its wastewater outlet DW001, whose monitor `mn` has a COD
 * (w01018) limit of 100 mg/L: what an exceedance of that enterprise needs.
 */
export async function permitWastewaterOutlet(source: SourceService, enterpriseUscc: string, mn: string): Promise<void> {
  const permit = await source.registry.createPermit({
    enterpriseUscc,
    number: `${enterpriseUscc}001P`,
    validFrom: new Date('2023-01-01T00:00:00Z'),
    validTo: new Date('2030-01-01T00:00:00Z'),
  });
  await source.registry.createOutlet({
    enterpriseUscc,
    code: 'DW001',
    name: '废水总排口',
    kind: 'WASTEWATER',
    monitors: [{ mn, password: demoDevicePassword(mn) }],
  });
  await source.registry.setPermitLimit({
    permitNumber: permit.number,
    outletCode: 'DW001',
    factor: 'w01018',
    upper: 100,
    validFrom: new Date('2024-01-01T00:00:00Z'),
  });
}

/** Statements the database saw while `run` ran; the least of two runs, so background work cannot add to it. */
export async function statementsOf(hub: TestHub, run: () => Promise<unknown>): Promise<number> {
  const counts: number[] = [];
  for (let i = 0; i < 2; i += 1) {
    const before = hub.hub.db.statementCount();
    await run();
    counts.push(hub.hub.db.statementCount() - before);
  }
  return Math.min(...counts);
}

export function noErrors(response: Awaited<ReturnType<TestHub['graphql']>>): void {
  expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
}
