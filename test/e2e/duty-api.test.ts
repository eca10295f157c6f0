import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestHub, type EngineName, type TestHub } from '../support/hub';
import { ingestAt, limitedMonitors } from '../support/duty';

const SUMMARY = `{
  dutySummary {
    generatedAt
    monitors { online offline unknown }
    openExceedances { warning exceedance }
    openExceedancesByTown { code name warning exceedance }
    gridTasksThisMonth { dispatched verified overdue open rate }
    cameras { online offline unknown }
  }
}`;
const MAP = `{
  dutyMap {
    enterprises { id code name longitude latitude state openExceedances }
    airStations { id code state }
    waterStations { id code state }
    videoSites { id code state }
  }
}`;

interface Point {
  id: string;
  code: string;
  state: string;
  openExceedances?: number;
}
interface Summary {
  monitors: { online: number; offline: number; unknown: number };
  openExceedances: { warning: number; exceedance: number };
  openExceedancesByTown: { code: string; name: string; warning: number; exceedance: number }[];
  gridTasksThisMonth: { dispatched: number; verified: number; rate: number | null };
  cameras: { online: number; offline: number; unknown: number };
}

/** Statements the database saw while `run` ran: the least of five runs, since workers reacting to new episodes add their own. */
async function statementsOf(hub: TestHub, run: () => Promise<unknown>): Promise<number> {
  let least = Infinity;
  for (let i = 0; i < 5; i += 1) {
    const before = hub.hub.db.statementCount();
    await run();
    least = Math.min(least, hub.hub.db.statementCount() - before);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return least;
}

describe.each(ENGINES)('the duty room’s summary and map (%s)', (engine) => {
  let hub: TestHub;
  let district: string;
  let admin: string;
  beforeAll(async () => {
    hub = await startTestHub({ engine, env: { HUB_SEED: 'true' } });
    district = await hub.token({ roles: ['district'], sub: 'district-officer-01' });
    admin = await hub.token({ roles: ['admin'] });
  });
  afterAll(async () => hub?.stop());

  const summary = async (token = district): Promise<Summary> => {
    const response = await hub.graphql<{ dutySummary: Summary }>(SUMMARY, {}, token);
    expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
    return response.body.data?.dutySummary as Summary;
  };
  const map = async (token = district): Promise<Record<string, Point[]>> => {
    const response = await hub.graphql<{ dutyMap: Record<string, Point[]> }>(MAP, {}, token);
    expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
    return response.body.data?.dutyMap as Record<string, Point[]>;
  };

  it('counts the demo district’s monitors, cameras, towns and tasks', async () => {
    const counts = await summary();
    expect(counts.monitors.online + counts.monitors.offline + counts.monitors.unknown).toBeGreaterThan(50);
    expect(counts.cameras.online + counts.cameras.offline + counts.cameras.unknown).toBe(260);
    expect(counts.openExceedancesByTown).toHaveLength(12);
    expect(counts.gridTasksThisMonth.dispatched).toBeGreaterThanOrEqual(counts.gridTasksThisMonth.verified);
  });

  it('turns an enterprise red on the map and counts the episode by town when its outlet exceeds its limit', async () => {
    const [monitor] = await limitedMonitors(hub, district);
    const before = await summary();
    await ingestAt(hub, admin, monitor!, 3, new Date());
    const after = await summary();
    expect(after.openExceedances.exceedance).toBe(before.openExceedances.exceedance + 1);
    const towns = (s: Summary) => s.openExceedancesByTown.reduce((sum, town) => sum + town.exceedance, 0);
    expect(towns(after)).toBe(towns(before) + 1);
    const points = await map();
    const enterprise = points.enterprises?.find((p) => p.code === monitor!.enterpriseUscc);
    expect(enterprise?.state).toBe('EXCEEDANCE');
    expect(enterprise?.openExceedances).toBeGreaterThanOrEqual(1);
    expect(points.videoSites).toHaveLength(75);
    expect(points.airStations?.length).toBeGreaterThan(0);
    expect(points.waterStations?.length).toBeGreaterThan(0);
    const node = await hub.graphql<{ node: { uscc: string } }>(
      `query ($id: ID!) { node(id: $id) { ... on Enterprise { uscc } } }`,
      { id: enterprise?.id },
      district,
    );
    expect(node.body.data?.node.uscc).toBe(monitor!.enterpriseUscc);
  });

  it('answers the summary and the map at a fixed number of statements, whatever the number of episodes', async () => {
    const [first, second] = await limitedMonitors(hub, district, 3).then((m) => m.slice(1));
    const summaryBefore = await statementsOf(hub, () => summary());
    const mapBefore = await statementsOf(hub, () => map());
    await ingestAt(hub, admin, first!, 3, new Date());
    await ingestAt(hub, admin, second!, 3, new Date());
    expect(await statementsOf(hub, () => summary())).toBe(summaryBefore);
    expect(await statementsOf(hub, () => map())).toBe(mapBefore);
    expect(summaryBefore).toBeLessThanOrEqual(8);
    expect(mapBefore).toBeLessThanOrEqual(8);
  });

  it('shows a town officer their own town only, and refuses the public', async () => {
    const towns = (await summary()).openExceedancesByTown;
    const town = towns[0]!;
    const officer = await hub.token({ roles: ['town'], sub: 'town-officer-01', cells: [town.code] });
    const own = await summary(officer);
    expect(own.openExceedancesByTown.map((t) => t.code)).toEqual([town.code]);
    const points = await map(officer);
    expect(points.videoSites!.length).toBeLessThan(75);
    const anonymous = await hub.graphql(SUMMARY);
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
