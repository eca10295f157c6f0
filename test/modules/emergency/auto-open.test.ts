import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestHub, type TestHub } from '../../support/hub';
import { createMonitor, eventually, ingest, minutesAgo, setLimit } from '../../support/monitoring';
import { exceedanceEscalated, exceedanceOpened, type ExceedanceEventPayload } from '../../../src/monitoring/public';
import { result, standardGrid } from '../grid/support';

interface Proposed {
  title: string;
  description: string | null;
  type: string;
  level: string;
  warningColour: string;
  status: string;
  proposed: boolean;
  cellCode: string | null;
  reporterSubject: string;
  exceedances: { id: string; factor: string; severity: string; monitor: { mn: string } }[];
  timeline: { kind: string; actor: string }[];
}

const PROPOSED = `{ emergencyIncidents(filter: { proposed: true }, first: 100) { edges { node {
  title description type level warningColour status proposed cellCode reporterSubject
  exceedances { id factor severity monitor { mn } } timeline { kind actor }
} } } }`;

describe.each(ENGINES)('incidents opened from exceedances on %s', (engine) => {
  let th: TestHub;
  let admin: string;
  const base = Date.now();

  const proposed = async (): Promise<Proposed[]> => {
    const response = await th.graphql(PROPOSED, {}, admin);
    return result<{ edges: { node: Proposed }[] }>(response, 'emergencyIncidents').edges.map((e) => e.node);
  };
  const episodeEvents = async (mn: string): Promise<{ topic: string; payload: ExceedanceEventPayload }[]> =>
    th.hub.db.query<{ topic: string; payload: ExceedanceEventPayload }>(
      `SELECT topic, payload FROM hub_events WHERE topic IN ('monitoring.exceedance.opened', 'monitoring.exceedance.escalated') AND payload->>'mn' = $1 ORDER BY id`,
      [mn],
    );

  beforeAll(async () => {
    th = await startTestHub({ engine, env: { HUB_MODULES: 'grid,emergency' } });
    admin = await th.token({ roles: ['admin'], sub: 'admin-1' });
    await standardGrid(th, admin).build();
    for (const [mn, kind, cellCode] of [
      ['WS-1', 'WATER_STATION', 'G01001001'],
      ['HM-1', 'HEAVY_METAL_ANALYSER', 'G01001002'],
      ['WW-1', 'WASTEWATER_OUTLET', 'G01002001'],
    ] as const) {
      const monitor = await createMonitor(th, admin, { mn, kind, cellCode });
      await setLimit(th, admin, { monitor, factor: 'w01018', upper: 100 });
    }
  });
  afterAll(async () => th?.stop());

  it('opens one proposed incident when a water station’s episode reaches exceedance', async () => {
    expect((await ingest(th, admin, [{ mn: 'WS-1', time: minutesAgo(30, base), value: 150 }])).episodesOpened).toBe(1);
    const [incident] = await eventually(async () => {
      const found = await proposed();
      return found.length > 0 ? found : undefined;
    });
    expect(incident).toEqual({
      // the factor by its Chinese name and unit; its HJ 212 code only in the description
      title: '超标预警：monitor WS-1 化学需氧量 150 mg/L',
      description: expect.stringMatching(/^化学需氧量（w01018）实测 150 mg\/L，限值 100 mg\/L（/),
      type: 'WATER_POLLUTION',
      level: 'IV',
      warningColour: 'YELLOW',
      status: 'REPORTED',
      proposed: true,
      cellCode: 'G01001001',
      reporterSubject: 'system',
      exceedances: [{ id: expect.any(String), factor: 'w01018', severity: 'EXCEEDANCE', monitor: { mn: 'WS-1' } }],
      timeline: [{ kind: 'REPORTED', actor: 'system' }],
    });
  });

  it('creates nothing more on redelivery, a further exceedance of the episode, or an escalation event of it', async () => {
    const [opened] = await episodeEvents('WS-1');
    expect(opened?.topic).toBe('monitoring.exceedance.opened');
    const payload = opened?.payload as ExceedanceEventPayload;
    // the same event delivered again, and the same episode escalating
    await th.hub.bus.publish(exceedanceOpened, payload);
    await th.hub.bus.publish(exceedanceEscalated, { ...payload, value: 300, peakValue: 300 });
    expect((await ingest(th, admin, [{ mn: 'WS-1', time: minutesAgo(20, base), value: 220 }])).episodesOpened).toBe(0);

    // a wastewater outlet is not in the default rules
    expect((await ingest(th, admin, [{ mn: 'WW-1', time: minutesAgo(30, base), value: 500 }])).episodesOpened).toBe(1);
    // a heavy-metal episode that opens as a warning and then escalates: one incident, after the repeats above
    expect((await ingest(th, admin, [{ mn: 'HM-1', time: minutesAgo(30, base), value: 90 }])).episodesOpened).toBe(1);
    expect((await ingest(th, admin, [{ mn: 'HM-1', time: minutesAgo(20, base), value: 130 }])).episodesOpened).toBe(0);
    expect((await episodeEvents('HM-1')).map((e) => `${e.topic} ${e.payload.severity}`)).toEqual([
      'monitoring.exceedance.opened WARNING',
      'monitoring.exceedance.escalated EXCEEDANCE',
    ]);
    const found = await eventually(async () => {
      const list = await proposed();
      return list.some((i) => i.exceedances[0]?.monitor.mn === 'HM-1') ? list : undefined;
    });
    // the consumer takes events in order: once the heavy-metal incident exists, the repeats before it were handled
    expect(found.map((i) => `${i.cellCode} ${i.exceedances.map((e) => e.monitor.mn).join()}`).sort()).toEqual(['G01001001 WS-1', 'G01001002 HM-1']);
    const rows = await th.hub.db.query<{ count: string | number }>('SELECT count(*) AS count FROM emergency_incidents');
    expect(Number(rows[0]?.count)).toBe(2);
  });

  it('lets an officer verify a proposal, which makes it an incident like any other', async () => {
    const list = await th.graphql(`{ emergencyIncidents(filter: { proposed: true, cellCode: "G01001001" }) { edges { node { id } } } }`, {}, admin);
    const id = result<{ edges: { node: { id: string } }[] }>(list, 'emergencyIncidents').edges[0]?.node.id;
    const verified = await th.graphql(
      `mutation($id: ID!) { verifyEmergencyIncident(id: $id) { ... on MutationVerifyEmergencyIncidentSuccess { data { status proposed timeline { kind actor } } } } }`,
      { id },
      admin,
    );
    expect(result<{ data: unknown }>(verified, 'verifyEmergencyIncident').data).toEqual({
      status: 'VERIFIED',
      proposed: false,
      timeline: [
        { kind: 'REPORTED', actor: 'system' },
        { kind: 'STATUS_CHANGED', actor: 'admin-1' },
      ],
    });
  });
});
