import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDevicePassword } from '../../src/demo/devices';
import { hj212GatewayRef } from '../../src/ingest/hj212/service';
import { startSimulator, type Simulator } from '../../src/simulator/simulator';
import { monitorsFromGraphql } from '../../src/simulator/sources';
import { startTestHub, type TestHub } from '../support/hub';
import { createMonitor, setLimit } from '../support/monitoring';
import { collect, connectWs } from '../support/ws';

describe('the demo’s showcase exceedance', () => {
  let th: TestHub;
  let admin: string;
  let simulator: Simulator | undefined;
  beforeAll(async () => {
    th = await startTestHub();
    admin = await th.token({ roles: ['admin'] });
    const monitor = await createMonitor(th, admin, {
      mn: 'SHOWCASE0000001',
      kind: 'WASTEWATER_OUTLET',
      password: demoDevicePassword('SHOWCASE0000001'),
      intervalSeconds: 60,
    });
    // the strictest permit in the demo (GB 18918 1A): what any showcase must pass
    await setLimit(th, admin, { monitor, factor: 'w01018', upper: 50 });
    await setLimit(th, admin, { monitor, factor: 'w21003', upper: 5 });
  });
  afterAll(async () => {
    await simulator?.stop();
    await th?.stop();
  });

  it('opens an exceedance within the first minute of the simulator, with random episodes switched off', async () => {
    const ws = connectWs(th.hub.port, admin);
    const events = collect<{ exceedanceEvents: { kind: string; severity: string; mn: string } }>(
      ws.client,
      'subscription { exceedanceEvents { kind severity mn } }',
    );
    const started = Date.now();
    simulator = startSimulator({
      host: '127.0.0.1',
      port: th.hub.services.get(hj212GatewayRef).port as number,
      source: monitorsFromGraphql(`http://127.0.0.1:${th.hub.port}/graphql`, admin),
      logger: pino({ level: 'silent' }),
      exceedanceMeanHours: 0,
      silenceMeanHours: 0,
      showcaseFirstSeconds: 5,
    });
    await simulator.ready;
    const opened = () => events.received.map((r) => r.data?.exceedanceEvents).find((e) => e?.kind === 'OPENED' && e.severity === 'EXCEEDANCE');
    // its everyday values may first open a warning against this strict limit; the showcase then exceeds
    for (let count = 1; !opened() && Date.now() - started < 60_000; count += 1) await events.until(count, 60_000 - (Date.now() - started));
    expect(opened()).toMatchObject({ kind: 'OPENED', severity: 'EXCEEDANCE', mn: 'SHOWCASE0000001' });
    events.dispose();
    await ws.dispose();
  });
});
