import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestHub, type TestHub } from '../../support/hub';
import { exceedanceOpened, type ExceedanceEventPayload } from '../../../src/monitoring/public';
import { GRID_ONLY, data, result, standardGrid } from './support';

interface InspectionTask {
  title: string;
  status: string;
  type: string;
  cellCode: string;
  dispatchedBy: string;
  assignee: { name: string } | null;
  target: { kind: string; monitor: { mn: string } | null };
  exceedance: { factor: string; severity: string } | null;
}

const TASKS = `{ gridTasks(filter: { type: [EXCEEDANCE_INSPECTION] }, first: 100) { edges { node {
  title status type cellCode dispatchedBy assignee { name } target { kind monitor { mn } } exceedance { factor severity }
} } } }`;

describe.each(ENGINES)('inspection tasks from exceedances on %s', (engine) => {
  let hub: TestHub;
  let admin: string;
  let district: string;
  const hourAgo = (hours: number): string => {
    const time = new Date(Date.now() - hours * 3_600_000);
    time.setUTCMinutes(0, 0, 0);
    return time.toISOString();
  };

  const inspections = async (): Promise<InspectionTask[]> => {
    const response = await hub.graphql(TASKS, {}, district);
    expect(response.body.errors).toBeUndefined();
    return (response.body.data as { gridTasks: { edges: { node: InspectionTask }[] } }).gridTasks.edges.map((e) => e.node);
  };
  /** Polls until `done` holds (the consumer works after the ingest commits); bounded, and no timing is asserted. */
  const eventually = async (done: (tasks: InspectionTask[]) => boolean): Promise<InspectionTask[]> => {
    for (let attempt = 0; attempt < 200; attempt += 1) {
      const tasks = await inspections();
      if (done(tasks)) return tasks;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return inspections();
  };
  const monitorIn = async (mn: string, name: string, cellCode: string): Promise<void> => {
    const created = await hub.graphql(
      `mutation($mn: String!, $name: String!, $cell: String!) { createMonitor(input: { mn: $mn, password: "pw", name: $name, kind: WASTEWATER_OUTLET, intervalSeconds: 3600, cellCode: $cell, enterpriseUscc: "91510112MA61XXXX0A" }) { __typename ... on MutationCreateMonitorSuccess { data { id } } } }`,
      { mn, name, cell: cellCode },
      admin,
    );
    const id = data<{ id: string }>(created, 'createMonitor').id;
    const limit = await hub.graphql(
      `mutation($id: ID!) { setLimit(input: { monitor: $id, factor: "w01018", period: HOUR, upper: 100, validFrom: "2020-01-01T00:00:00Z" }) { __typename } }`,
      { id },
      admin,
    );
    expect(result(limit, 'setLimit')).toEqual({ __typename: 'MutationSetLimitSuccess' });
  };
  const ingest = async (mn: string, value: number, hoursAgo: number): Promise<number> => {
    const response = await hub.graphql(
      `mutation($readings: [ReadingInput!]!) { ingestReadings(readings: $readings) { __typename ... on MutationIngestReadingsSuccess { data { accepted episodesOpened } } } }`,
      { readings: [{ mn, factor: 'w01018', interval: 'HOUR', time: hourAgo(hoursAgo), value }] },
      admin,
    );
    const report = data<{ accepted: number; episodesOpened: number }>(response, 'ingestReadings');
    expect(report.accepted).toBe(1);
    return report.episodesOpened;
  };

  beforeAll(async () => {
    hub = await startTestHub({ engine, env: GRID_ONLY });
    admin = await hub.token({ roles: ['admin'], sub: 'admin-1' });
    district = await hub.token({ roles: ['district'], sub: 'district-1' });
    await standardGrid(hub, admin).build();
    await monitorIn('AUTO-1', '甲一村污水厂排口', 'G01001001');
    await monitorIn('AUTO-2', '乙一村化工排口', 'G01002001');
    await monitorIn('AUTO-3', '甲二村印染排口', 'G01001002');
  });
  afterAll(async () => hub?.stop());

  it('dispatches one inspection to the cell’s assistant when an exceedance opens', async () => {
    expect(await ingest('AUTO-1', 150, 3)).toBe(1);
    const tasks = await eventually((found) => found.length >= 1);
    expect(tasks).toEqual([
      {
        title: '超标核查：甲一村污水厂排口 化学需氧量',
        status: 'DISPATCHED',
        type: 'EXCEEDANCE_INSPECTION',
        cellCode: 'G01001001',
        dispatchedBy: 'system',
        assignee: { name: '张伟' },
        target: { kind: 'MONITOR', monitor: { mn: 'AUTO-1' } },
        exceedance: { factor: 'w01018', severity: 'EXCEEDANCE' },
      },
    ]);
    const mine = await hub.graphql(
      `{ gridTasks(filter: { mine: true }) { edges { node { title } } } }`,
      {},
      await hub.token({ roles: ['assistant'], sub: 'asst-a1' }),
    );
    expect(mine.body.data).toEqual({ gridTasks: { edges: [{ node: { title: '超标核查：甲一村污水厂排口 化学需氧量' } }] } });
  });

  it('creates nothing more when the same episode’s event is delivered again, or the episode goes on', async () => {
    const [opened] = await hub.hub.db.query<{ payload: ExceedanceEventPayload }>(
      "SELECT payload FROM hub_events WHERE topic = 'monitoring.exceedance.opened' ORDER BY id LIMIT 1",
    );
    expect(opened?.payload.mn).toBe('AUTO-1');
    await hub.hub.bus.publish(exceedanceOpened, opened?.payload as ExceedanceEventPayload);
    await hub.hub.bus.publish(exceedanceOpened, opened?.payload as ExceedanceEventPayload);
    expect(await ingest('AUTO-1', 180, 2)).toBe(0);
    // a later episode elsewhere is handled after the repeats: once its task exists, they have been seen
    expect(await ingest('AUTO-2', 200, 3)).toBe(1);
    const tasks = await eventually((found) => found.some((t) => t.cellCode === 'G01002001'));
    expect(tasks.map((t) => `${t.cellCode} ${t.assignee?.name}`).sort()).toEqual(['G01001001 张伟', 'G01002001 王强']);
  });

  it('waits while an episode is only a warning, and dispatches when it escalates', async () => {
    expect(await ingest('AUTO-3', 90, 3)).toBe(1);
    expect(await ingest('AUTO-3', 130, 2)).toBe(0);
    const tasks = await eventually((found) => found.some((t) => t.cellCode === 'G01001002'));
    const escalated = tasks.filter((t) => t.cellCode === 'G01001002');
    expect(escalated).toEqual([expect.objectContaining({ assignee: { name: '李娜' }, exceedance: { factor: 'w01018', severity: 'EXCEEDANCE' } })]);
    expect(tasks).toHaveLength(3);
  });
});
