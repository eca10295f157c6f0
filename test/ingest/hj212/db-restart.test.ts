import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { buildDataUpload } from '../../../src/ingest/hj212/encode';
import { encodeFrame } from '../../../src/ingest/hj212/frame';
import { hj212GatewayRef } from '../../../src/ingest/hj212/service';
import { createServerDatabase, SERVER_ENGINE, startTestHub, type TestHub } from '../../support/hub';
import { createMonitor, ingest } from '../../support/monitoring';
import { eventually, RawDevice } from './device-client';

const PW = '123456';
/** whole minutes: HJ 212 times are to the second */
const BASE = new Date(Math.floor((Date.now() - 6 * 3600_000) / 60_000) * 60_000);
const at = (minutes: number) => new Date(BASE.getTime() + minutes * 60_000);

/**
 * The database server drops every connection of the hub (what a restart does to them) before or
 * while readings are written: the hub keeps running, nothing acknowledged is lost, and what is
 * sent again is stored once.
 */
describe(`the database drops the hub’s connections (${SERVER_ENGINE})`, () => {
  let database: { url: string; drop: () => Promise<void> };
  let th: TestHub;
  let admin: string;
  let port: number;
  let server: postgres.Sql;
  const ids: Record<string, string> = {};

  /** Ends every session of the hub's database except this test's own. */
  const dropConnections = async (): Promise<number> =>
    (await server`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`).length;

  const stored = async (mn: string, from: Date, to: Date): Promise<{ time: string; value: number }[]> => {
    const { body } = await th.graphql<{ readings: { points: { time: string; value: number }[] } }>(
      'query($m: ID!, $from: DateTime!, $to: DateTime!) { readings(monitor: $m, factor: "w01018", interval: RTD, from: $from, to: $to) { points { time value } } }',
      { m: ids[mn], from: from.toISOString(), to: to.toISOString() },
      admin,
    );
    expect(body.errors).toBeUndefined();
    return body.data?.readings.points ?? [];
  };

  beforeAll(async () => {
    database = await createServerDatabase();
    th = await startTestHub({ engine: SERVER_ENGINE, databaseUrl: database.url });
    admin = await th.token({ roles: ['admin'] });
    for (const mn of ['DR0001', 'DR0002']) ids[mn] = await createMonitor(th, admin, { mn, password: PW });
    port = th.hub.services.get(hj212GatewayRef).port as number;
    server = postgres(database.url, { max: 1, onnotice: () => {} });
  });
  afterAll(async () => {
    await server?.end();
    await th?.stop();
    await database?.drop();
  });

  it('a logger resending until acknowledged gets each reading stored once across the drop', async () => {
    const device = await RawDevice.connect(port);
    const frame = (n: number) =>
      encodeFrame(
        buildDataUpload({
          qn: `2024050108000${String(n).padStart(4, '0')}`,
          st: '32',
          cn: '2011',
          pw: PW,
          mn: 'DR0001',
          dataTime: at(n),
          items: [{ code: 'w01018', values: { Rtd: 40 + n }, flag: 'N' }],
        }),
      );
    /** As a logger does: the same frame again while no 9014 comes. */
    const sendUntilAcknowledged = async (n: number): Promise<number> => {
      for (let attempt = 1; attempt <= 10; attempt += 1) {
        device.write(frame(n));
        const answer = await device.next(3_000).catch(() => undefined);
        if (answer?.cn === '9014') return attempt;
      }
      throw new Error(`reading ${n} was never acknowledged`);
    };
    expect(await sendUntilAcknowledged(0)).toBe(1);
    expect(await dropConnections()).toBeGreaterThanOrEqual(1);
    await sendUntilAcknowledged(1);
    await sendUntilAcknowledged(2);
    expect(await stored('DR0001', at(-1), at(3))).toEqual([0, 1, 2].map((n) => ({ time: at(n).toISOString(), value: 40 + n })));
    device.close();
  });

  it('a batch cut off mid-write is stored whole or not at all, and sent again it is stored once', async () => {
    for (let round = 0; round < 5; round += 1) {
      const from = at(10 + round * 30);
      const batch = Array.from({ length: 1_000 }, (_, i) => ({ mn: 'DR0002', time: new Date(from.getTime() + i * 1000), value: i % 90 }));
      // drop the connections over and over while the batch is written
      let writing = true;
      const dropping = (async () => {
        let drops = 0;
        while (writing) {
          drops += await dropConnections();
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
        return drops;
      })();
      const first = await ingest(th, admin, batch).then(
        (report) => report.accepted,
        () => 0,
      );
      writing = false;
      expect(await dropping).toBeGreaterThanOrEqual(1);

      // the hub is still up and ready again once its pool has reconnected; the client sends the
      // batch again, as it would after an error (a request on a connection the pool has not yet
      // seen closing fails too)
      await eventually(async () => ((await fetch(`http://127.0.0.1:${th.hub.port}/readyz`)).status === 200 ? true : undefined));
      const second = await eventually(() => ingest(th, admin, batch).catch(() => undefined));
      expect(second.accepted + second.duplicates).toBe(batch.length);
      // an acknowledged batch was stored whole; an unacknowledged one may or may not have committed
      if (first === batch.length) expect(second.accepted).toBe(0);
      const points = await stored('DR0002', from, new Date(from.getTime() + batch.length * 1000));
      expect(points).toHaveLength(batch.length);
    }
  });
});
