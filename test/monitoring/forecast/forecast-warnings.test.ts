import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestHub, type TestHub } from '../../support/hub';
import { collect, connectWs, type WsHandle } from '../../support/ws';
import { createMonitor, eventually, ingest, setLimit } from '../../support/monitoring';
import { seeded, gaussian } from './synthetic';

const HOUR = 3_600_000;
const USCC = '91510112MA6CAAAAA1';
const OTHER_USCC = '91510112MA6CBBBBB2';
const LIMIT = 100;
/** six days whose daily peaks stay below the limit, each a little higher than the day before */
const QUIET_HOURS = 144;

type Event = {
  exceedanceEvents: {
    kind: string;
    severity: string;
    mn: string;
    at: string;
    value: number;
    forecastProbability: number | null;
    forecastMethod: string | null;
    forecastCloseReason: string | null;
  };
};
const EVENTS = 'subscription { exceedanceEvents { kind severity mn at value forecastProbability forecastMethod forecastCloseReason } }';

describe.each(ENGINES)('forecast warnings before a limit is crossed (%s)', (engine) => {
  let th: TestHub;
  let admin: string;
  let wsAdmin: WsHandle;
  let wsOwner: WsHandle;
  let wsStranger: WsHandle;
  const start = Date.UTC(2026, 10, 1, 0);
  let clock = start;
  const random = seeded(42);
  // the daily peak (hour 6 of each day) rises 2.4 mg/L a day: 97.9 on day six, 102.7 on day eight
  const valueAt = (hour: number): number => 55 + 0.1 * hour + 30 * Math.sin((2 * Math.PI * hour) / 24) + 0.5 * gaussian(random);

  /** Stores hour `hour`, moves the clock just past it and waits for the forecast job's run of that period. */
  const store = async (hour: number, value: number) => {
    await ingest(th, admin, [{ mn: 'FW-1', interval: 'HOUR', time: new Date(start + hour * HOUR), value }]);
    clock = start + (hour + 1) * HOUR + 60_000;
    const period = Math.floor(clock / 1000);
    await eventually(async () => {
      const [job] = await th.hub.db.query<{ period: string; finished_at: Date | null }>(
        "SELECT period, finished_at FROM hub_jobs WHERE name = 'monitoring.forecast'",
      );
      return job !== undefined && Number(job.period) >= period && job.finished_at !== null;
    });
  };

  beforeAll(async () => {
    th = await startTestHub({
      engine,
      now: () => new Date(clock),
      env: { FORECAST_INTERVAL_SECONDS: '1', FORECAST_WARNING_PROBABILITY: '0.5', FORECAST_MIN_HISTORY_HOURS: '120' },
    });
    admin = await th.token({ roles: ['admin'] });
    const monitor = await createMonitor(th, admin, { mn: 'FW-1', enterpriseUscc: USCC, intervalSeconds: 3600 });
    await setLimit(th, admin, { monitor, factor: 'w01018', period: 'HOUR', upper: LIMIT });
    // readings from the future are refused: the clock stands where the quiet days end
    clock = start + (QUIET_HOURS - 1) * HOUR;
    await ingest(
      th,
      admin,
      Array.from({ length: QUIET_HOURS - 1 }, (_, hour) => ({ mn: 'FW-1', interval: 'HOUR', time: new Date(start + hour * HOUR), value: valueAt(hour) })),
    );
    wsAdmin = connectWs(th.hub.port, admin);
    wsOwner = connectWs(th.hub.port, await th.token({ roles: ['enterprise'], enterprise: USCC }));
    wsStranger = connectWs(th.hub.port, await th.token({ roles: ['enterprise'], enterprise: OTHER_USCC }));
  });
  afterAll(async () => {
    await Promise.all([wsAdmin.dispose(), wsOwner.dispose(), wsStranger.dispose()]);
    await th.stop();
  });

  it('opens a forecast warning hours before the crossing, and the real exceedance closes it', async () => {
    const admins = collect<Event>(wsAdmin.client, EVENTS);
    const owners = collect<Event>(wsOwner.client, EVENTS);
    const strangers = collect<Event>(wsStranger.client, EVENTS);
    const forecasts = () => admins.received.map((r) => r.data!.exceedanceEvents).filter((e) => e.severity === 'FORECAST');
    await store(QUIET_HOURS - 1, valueAt(QUIET_HOURS - 1));
    let hour = QUIET_HOURS;
    let openedAfter: number | undefined;
    let crossed: number | undefined;
    for (; hour < QUIET_HOURS + 48 && crossed === undefined; hour += 1) {
      const value = valueAt(hour);
      await store(hour, value);
      if (value > LIMIT) crossed = hour;
    }
    // the hour after whose value the warning opened: the job ran with the clock just past that hour
    const [warning] = await th.hub.db.query<{ opened_at: Date | string }>(
      "SELECT opened_at FROM monitoring_forecast_warnings WHERE factor = 'w01018' ORDER BY id DESC LIMIT 1",
    );
    if (warning) openedAfter = Math.floor((new Date(warning.opened_at).getTime() - start) / HOUR) - 1;
    expect(crossed).toBeDefined();
    expect(openedAfter).toBeDefined();
    // the warning was on at least two hours before the first hourly value above the limit
    expect(crossed! - openedAfter!).toBeGreaterThanOrEqual(2);
    await eventually(async () => forecasts().at(-1)?.forecastCloseReason === 'EXCEEDED');
    // a day's peak may be forecast across the limit and then come in just under it (the warning
    // opens and closes again); the spell that counts is the last one
    const kinds = forecasts().map((e) => e.kind);
    expect(kinds.length % 2).toBe(0);
    kinds.forEach((kind, index) => expect(kind).toBe(index % 2 === 0 ? 'OPENED' : 'CLOSED'));
    const [opened, closed] = forecasts().slice(-2);
    expect(opened!.kind).toBe('OPENED');
    expect(opened!.forecastProbability).toBeGreaterThanOrEqual(0.5);
    expect(opened!.forecastMethod).toBe('HOLT_WINTERS');
    expect(opened!.value).toBeGreaterThan(LIMIT * 0.8);
    expect(closed!.kind).toBe('CLOSED');
    expect(closed!.forecastCloseReason).toBe('EXCEEDED');
    expect(closed!.value).toBeGreaterThan(LIMIT);
    // the measured exceedance has its own episode, opened by the same value
    const measured = admins.received.map((r) => r.data!.exceedanceEvents).filter((e) => e.severity !== 'FORECAST');
    expect(measured.some((e) => e.kind === 'OPENED' || e.kind === 'ESCALATED')).toBe(true);
    // the enterprise sees its own outlet's warnings; another enterprise sees nothing of them
    await owners.until(admins.received.length);
    expect(owners.received.map((r) => r.data!.exceedanceEvents.severity)).toEqual(admins.received.map((r) => r.data!.exceedanceEvents.severity));
    expect(strangers.received).toEqual([]);
    admins.dispose();
    owners.dispose();
    strangers.dispose();
  });
});
