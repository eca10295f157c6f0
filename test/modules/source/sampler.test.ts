import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monitoringServiceRef, type ExceedanceEventPayload } from '../../../src/monitoring/public';
import { noErrors, permitWastewaterOutlet, startSourceHub, uscc, type SourceHub } from './support';
import { ENGINES } from '../../support/hub';

const WITH_SAMPLER = uscc(11);
const WITHOUT_SAMPLER = uscc(12);
const MINUTE = 60_000;

interface EpisodeRow {
  id: string;
  factor: string;
  interval: string;
  status: string;
  sampleRetention: { bottleNumber: number; factor: string; value: number; commandStatus: string; commandAttempts: number } | null;
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let i = 0; i < 200; i += 1) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return read();
}

describe.each(ENGINES)('water sampler retention on %s', (engine) => {
  let s: SourceHub;
  const start = new Date(Date.now() - 3 * 3_600_000);
  const at = (minutes: number) => new Date(start.getTime() + minutes * MINUTE);

  const episodes = async (): Promise<EpisodeRow[]> => {
    const response = await s.hub.graphql(
      `{ exceedances(first: 20) { edges { node { id factor interval status sampleRetention { bottleNumber factor value commandStatus commandAttempts } } } } }`,
      {},
      s.tokens.district,
    );
    noErrors(response);
    return (response.body.data as { exceedances: { edges: { node: EpisodeRow }[] } }).exceedances.edges.map((e) => e.node);
  };
  const retentions = async (): Promise<number> => {
    const rows = await s.hub.hub.db.query<{ n: string | number }>('SELECT count(*) AS n FROM source_sampler_retentions');
    return Number(rows[0]?.n ?? 0);
  };
  const ingest = (mn: string, minutes: number, value: number, interval: 'RTD' | 'HOUR' = 'RTD') =>
    s.hub.hub.services.get(monitoringServiceRef).ingest([{ mn, factor: 'w01018', interval, time: at(minutes), value, flag: 'N' }]);

  beforeAll(async () => {
    s = await startSourceHub(engine);
    const { enterprises, registry } = s.source;
    for (const [code, serial] of [
      [WITH_SAMPLER, 1],
      [WITHOUT_SAMPLER, 2],
    ] as const) {
      await enterprises.create({ uscc: code, name: `企业${serial}`, industry: '金属表面处理及热处理加工', controlLevel: 'CITY', cellCode: 'G01001001' });
      const mn = `SMP${serial}W`;
      await permitWastewaterOutlet(s.source, code, mn);
    }
    await registry.createSampler({ enterpriseUscc: WITH_SAMPLER, outletCode: 'DW001', code: 'LY001', bottles: 2 });
  }, 60_000);

  afterAll(async () => {
    await s?.hub.stop();
  });

  it('retains one sample when a real-time episode opens at a sampler’s outlet', async () => {
    await ingest('SMP1W', 0, 60);
    await ingest('SMP1W', 1, 150);
    await ingest('SMP2W', 1, 150);
    const rows = await until(episodes, (list) => list.some((e) => e.sampleRetention !== null));
    const mine = rows.filter((e) => e.sampleRetention !== null);
    expect(mine).toHaveLength(1);
    // a sampler without a data logger is not sent 3015
    expect(mine[0]?.sampleRetention).toEqual({ bottleNumber: 1, factor: 'w01018', value: 150, commandStatus: 'NOT_SENT', commandAttempts: 0 });
    expect(rows.filter((e) => e.status === 'OPEN')).toHaveLength(2);
    expect(await retentions()).toBe(1);
  });

  it('keeps one retention per episode when the event is delivered again', async () => {
    const [event] = await s.hub.hub.db.query<{ payload: ExceedanceEventPayload | string }>(
      `SELECT payload FROM hub_events WHERE topic = 'monitoring.exceedance.opened' AND payload->>'mn' = 'SMP1W' ORDER BY id LIMIT 1`,
    );
    const payload = (typeof event?.payload === 'string' ? JSON.parse(event.payload) : event?.payload) as ExceedanceEventPayload;
    expect(payload.mn).toBe('SMP1W');
    expect(await s.source.retainSample(payload)).toBeUndefined();
    expect(await s.source.retainSample(payload)).toBeUndefined();
    expect(await retentions()).toBe(1);
  });

  it('takes the next bottle for the next episode, and starts the carousel over after the last', async () => {
    await ingest('SMP1W', 2, 40);
    await ingest('SMP1W', 3, 180);
    await until(retentions, (n) => n === 2);
    await ingest('SMP1W', 4, 40);
    await ingest('SMP1W', 5, 210);
    await until(retentions, (n) => n === 3);
    const rows = await s.hub.hub.db.query<{ bottle_number: number; value: number }>('SELECT bottle_number, value FROM source_sampler_retentions ORDER BY id');
    expect(rows.map((r) => [Number(r.bottle_number), Number(r.value)])).toEqual([
      [1, 150],
      [2, 180],
      [1, 210],
    ]);
  });

  it('retains nothing for an hourly-mean episode (the water was bottled when it happened)', async () => {
    await ingest('SMP1W', 60, 130, 'HOUR');
    const rows = await until(episodes, (list) => list.some((e) => e.interval === 'HOUR'));
    const caughtUp = async () => {
      const [row] = await s.hub.hub.db.query<{ behind: boolean }>(
        `SELECT (SELECT max(id) FROM hub_events WHERE topic = 'monitoring.exceedance.opened') > (SELECT last_event_id FROM hub_consumers WHERE name = 'source.sampler-retention') AS behind`,
      );
      return row?.behind === false;
    };
    expect(await until(caughtUp, (done) => done)).toBe(true);
    expect(rows.find((e) => e.interval === 'HOUR')?.sampleRetention).toBeNull();
    expect(await retentions()).toBe(3);
  });
});
