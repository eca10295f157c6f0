import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../../support/hub';
import { demoTownCells } from '../../../src/demo/district';
import { result } from '../grid/support';

describe('the demo district’s emergency set-up (pglite)', () => {
  let th: TestHub;
  let district: string;

  beforeAll(async () => {
    th = await startTestHub({ env: { HUB_SEED: 'true', HUB_MODULES: 'grid,emergency' } });
    district = await th.token({ roles: ['district'], sub: 'district-officer-01' });
  });
  afterAll(async () => th?.stop());

  it('has plans for the main incident types, each with ordered steps', async () => {
    const response = await th.graphql(`{ emergencyPlans(first: 100) { edges { node { incidentType level steps { position ownerRole } } } } }`, {}, district);
    const plans = result<{ edges: { node: { incidentType: string; level: string; steps: { position: number; ownerRole: string }[] } }[] }>(
      response,
      'emergencyPlans',
    ).edges.map((e) => e.node);
    expect(plans.map((p) => `${p.incidentType} ${p.level}`)).toEqual([
      'WATER_POLLUTION II',
      'WATER_POLLUTION IV',
      'AIR_POLLUTION IV',
      'HAZARDOUS_CHEMICALS III',
      'HAZARDOUS_WASTE IV',
    ]);
    for (const plan of plans) expect(plan.steps.map((s) => s.position)).toEqual(plan.steps.map((_, i) => i + 1));
  });

  it('has resources at every town and district experts, all available', async () => {
    const response = await th.graphql(`{ emergencyResources(first: 100) { edges { node { kind available cellCode } } } }`, {}, district);
    const resources = result<{ edges: { node: { kind: string; available: boolean; cellCode: string } }[] }>(response, 'emergencyResources').edges.map(
      (e) => e.node,
    );
    expect(new Set(resources.map((r) => r.cellCode))).toEqual(new Set(demoTownCells().map((c) => c.code)));
    expect(new Set(resources.map((r) => r.kind))).toEqual(new Set(['TEAM', 'EQUIPMENT', 'SUPPLY', 'EXPERT']));
    expect(resources.every((r) => r.available)).toBe(true);
    expect(resources).toHaveLength(demoTownCells().length * 2 + 6);
  });

  it('has one past incident with its whole timeline, from report to close', async () => {
    const response = await th.graphql(
      `{ emergencyIncidents(first: 10) { edges { node { status level timeline { kind } actions { status } orders { arrivedAt } } } } }`,
      {},
      district,
    );
    const [incident] = result<{
      edges: { node: { status: string; level: string; timeline: { kind: string }[]; actions: { status: string }[]; orders: { arrivedAt: string }[] } }[];
    }>(response, 'emergencyIncidents').edges.map((e) => e.node);
    expect(incident?.status).toBe('CLOSED');
    const kinds = incident?.timeline.map((e) => e.kind) ?? [];
    expect(kinds[0]).toBe('REPORTED');
    expect(kinds.at(-1)).toBe('STATUS_CHANGED');
    expect(new Set(kinds)).toEqual(
      new Set(['REPORTED', 'STATUS_CHANGED', 'LEVEL_CHANGED', 'PLAN_ACTIVATED', 'ORDER_ISSUED', 'ORDER_ACKNOWLEDGED', 'ORDER_ARRIVED', 'ACTION_DONE', 'NOTE']),
    );
    expect(incident?.actions.every((a) => a.status === 'DONE')).toBe(true);
    expect(incident?.orders).toHaveLength(2);
  });
});
