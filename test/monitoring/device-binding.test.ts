import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestHub, type EngineName, type TestHub } from '../support/hub';
import { createMonitor, ingest, setLimit } from '../support/monitoring';

const OWN = '91510112MA6CAAAAA1';
const OTHER = '91510112MA6CBBBBB2';
const SERIES = `query($monitor: ID!) { readings(monitor: $monitor, factor: "w01018", interval: RTD, from: "2026-06-01T00:00:00Z", to: "2026-06-02T00:00:00Z") { points { time value } } }`;

describe.each(ENGINES)('a device token writes only its own monitors (%s)', (engine) => {
  let th: TestHub;
  let admin: string;
  let district: string;
  const at = (minute: number) => new Date(Date.UTC(2026, 5, 1, 8, minute));

  const points = async (mn: string) => {
    const found = await th.graphql<{ monitor: { id: string } }>('query($mn: String) { monitor(mn: $mn) { id } }', { mn }, district);
    const { body } = await th.graphql<{ readings: { points: { time: string; value: number }[] } }>(SERIES, { monitor: found.body.data?.monitor.id }, district);
    expect(body.errors).toBeUndefined();
    return body.data?.readings.points;
  };
  const openEpisodes = async () => {
    const { body } = await th.graphql<{ exceedances: { edges: { node: { monitor: { mn: string } } }[] } }>(
      '{ exceedances(first: 50, filter: { status: OPEN }) { edges { node { monitor { mn } } } } }',
      {},
      district,
    );
    return (body.data?.exceedances.edges ?? []).map((e) => e.node.monitor.mn);
  };

  beforeAll(async () => {
    th = await startTestHub({ engine });
    admin = await th.token({ roles: ['admin'] });
    district = await th.token({ roles: ['district'] });
    await createMonitor(th, admin, { mn: 'OWN-W1', enterpriseUscc: OWN, cellCode: '51011201001001' });
    await createMonitor(th, admin, { mn: 'OWN-W2', enterpriseUscc: OWN, cellCode: '51011201001001' });
    await createMonitor(th, admin, { mn: 'OTHER-W1', enterpriseUscc: OTHER, cellCode: '51011204004002' });
    await setLimit(th, admin, { monitorKind: 'WASTEWATER_OUTLET', factor: 'w01018', upper: 100 });
  });
  afterAll(() => th.stop());

  it('refuses, item by item, readings for another enterprise’s monitor: nothing stored, no episode, the real value still lands', async () => {
    const logger = await th.token({ roles: ['device'], sub: 'logger-own', mns: ['OWN-W1', 'OWN-W2'] });
    const report = await ingest(th, logger, [
      { mn: 'OWN-W1', time: at(0), value: 20 },
      { mn: 'OTHER-W1', time: at(0), value: 900 },
      { mn: 'OWN-W2', time: at(0), value: 30 },
    ]);
    expect(report).toMatchObject({ accepted: 2, rejected: 1, episodesOpened: 0 });
    expect(report.items.map((i) => [i.outcome, i.reason])).toEqual([
      ['ACCEPTED', null],
      ['REJECTED', 'not this device’s monitor'],
      ['ACCEPTED', null],
    ]);
    expect(await points('OTHER-W1')).toEqual([]);
    expect(await openEpisodes()).toEqual([]);
    // the forged value did not take the slot: the monitor's own logger stores its real one
    const real = await th.token({ roles: ['device'], sub: 'logger-other', mns: ['OTHER-W1'] });
    expect(await ingest(th, real, [{ mn: 'OTHER-W1', time: at(0), value: 12 }])).toMatchObject({ accepted: 1, duplicates: 0 });
    expect(await points('OTHER-W1')).toEqual([{ time: at(0).toISOString(), value: 12 }]);
  });

  it('refuses a camera-only token every reading, and still lets an administrator write any monitor', async () => {
    const video = await th.token({ roles: ['device'], sub: 'video-platform', cameras: ['CAM-1'] });
    expect(await ingest(th, video, [{ mn: 'OWN-W1', time: at(5), value: 1 }])).toMatchObject({
      accepted: 0,
      rejected: 1,
      items: [{ reason: 'not this device’s monitor' }],
    });
    expect(await ingest(th, admin, [{ mn: 'OTHER-W1', time: at(5), value: 13 }])).toMatchObject({ accepted: 1 });
  });

  it('accepts no device token that is bound to nothing', async () => {
    const unbound = await th.token({ roles: ['device'], sub: 'stray' });
    const { status, body } = await th.graphql('mutation { ingestReadings(readings: []) { __typename } }', {}, unbound);
    expect(status).toBe(401);
    expect(body.errors?.[0]).toMatchObject({
      message: 'a device token must name the monitors (mns) or cameras it stands for',
      extensions: { code: 'UNAUTHENTICATED' },
    });
  });
});
