import { createViewer } from '../../../src/auth/viewer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monitoringServiceRef } from '../../../src/monitoring/public';
import { sourceServiceRef } from '../../../modules/source/public';
import { validateUscc } from '../../../modules/source/uscc';
import { demoDevicePassword } from '../../../src/demo/devices';
import { verifyDevicePassword } from '../../../src/monitoring/password';
import { startTestHub, type TestHub } from '../../support/hub';
import { demoPerson } from '../../../src/demo/people';

describe('the demo district’s pollution sources (pglite)', () => {
  let hub: TestHub;
  const count = async (sql: string): Promise<number> => Number((await hub.hub.db.query<{ n: string | number }>(sql))[0]?.n ?? 0);

  beforeAll(async () => {
    hub = await startTestHub({ env: { HUB_MODULES: 'grid,source', HUB_SEED: 'true' } });
  }, 120_000);

  afterAll(async () => {
    await hub?.stop();
  });

  it('has 60 enterprises with valid USCCs in level-3 cells, at least 20 state, province or city controlled', async () => {
    const rows = await hub.hub.db.query<{ uscc: string; control_level: string; cell_code: string; level: number }>(
      'SELECT e.uscc, e.control_level, e.cell_code, c.level FROM source_enterprises e LEFT JOIN grid_cells c ON c.code = e.cell_code',
    );
    expect(rows).toHaveLength(60);
    expect(rows.every((r) => validateUscc(r.uscc).ok)).toBe(true);
    expect(rows.every((r) => Number(r.level) === 3)).toBe(true);
    expect(rows.filter((r) => r.control_level !== 'DISTRICT_KEY').length).toBeGreaterThanOrEqual(20);
    expect(new Set(rows.map((r) => r.uscc)).size).toBe(60);
  });

  it('has the enterprise and the monitor `npm run token -- --as demo-enterprise / demo-device` stand for', async () => {
    const enterprise = demoPerson('demo-enterprise')?.enterprise;
    const mn = demoPerson('demo-device')?.mns?.[0];
    expect(await count(`SELECT count(*) AS n FROM source_enterprises WHERE uscc = '${enterprise}'`)).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM source_outlet_monitors WHERE mn = '${mn}'`)).toBe(1);
  });

  it('has 75 video sites with 260 cameras, 4 heavy-metal analysers and 30 samplers', async () => {
    expect(await count('SELECT count(*) AS n FROM source_video_sites')).toBe(75);
    expect(await count('SELECT count(*) AS n FROM source_cameras')).toBe(260);
    expect(await count('SELECT count(DISTINCT kind) AS n FROM source_video_sites')).toBe(3);
    expect(await count("SELECT count(*) AS n FROM source_outlet_monitors WHERE kind = 'HEAVY_METAL_ANALYSER'")).toBe(4);
    expect(await count('SELECT count(DISTINCT enterprise_id) AS n FROM source_samplers')).toBe(30);
    // each sampler is driven by its outlet's wastewater logger, so a retention reaches it as 3015
    expect(
      await count(
        "SELECT count(*) AS n FROM source_samplers s JOIN source_outlet_monitors m ON m.outlet_id = s.outlet_id AND m.mn = s.device_mn AND m.kind = 'WASTEWATER_OUTLET'",
      ),
    ).toBe(30);
    expect(await count('SELECT count(*) AS n FROM source_cases WHERE published')).toBeGreaterThan(0);
    expect(await count('SELECT count(*) AS n FROM source_inspections')).toBeGreaterThan(0);
  });

  it('registers outlet monitors the simulator can log in as, with their permit limits in the monitoring core', async () => {
    const monitoring = hub.hub.services.get(monitoringServiceRef);
    const analyser = await monitoring.monitorByMn('SRC5101120001H');
    expect(analyser?.kind).toBe('HEAVY_METAL_ANALYSER');
    expect(analyser?.units).toMatchObject({ w20111: 'ug/L', w20120: 'ug/L' });
    const credentials = await monitoring.deviceCredentials('SRC5101120001H');
    expect(await verifyDevicePassword(demoDevicePassword('SRC5101120001H'), credentials?.passwordHash ?? '')).toBe(true);
    const mercury = (await monitoring.limitsOf({ id: analyser?.id as number, kind: 'HEAVY_METAL_ANALYSER' })).filter((l) => l.factor === 'w20111');
    expect(mercury.map((l) => [l.period, l.upper])).toEqual(
      expect.arrayContaining([
        ['RTD', 50],
        ['HOUR', 50],
      ]),
    );
    const flueGas = await monitoring.listMonitors(
      createViewer({ subject: 'x', roles: ['admin'] }),
      { kind: ['FLUE_GAS_OUTLET'] },
      { limit: 100, afterId: undefined },
    );
    expect(flueGas.length).toBeGreaterThan(0);
    expect(flueGas.every((m) => m.intervalSeconds === 60 && m.ownerModule === 'source' && m.enterpriseUscc !== null)).toBe(true);
    const so2 = (await monitoring.limitsOf(flueGas[0] as { id: number; kind: string })).find((l) => l.factor === 'a21026');
    expect(so2?.basis).toBe('CONVERTED');
  });

  it('answers an emergency’s question: what is near this point', async () => {
    const source = hub.hub.services.get(sourceServiceRef);
    const [row] = await hub.hub.db.query<{ uscc: string }>('SELECT uscc FROM source_enterprises ORDER BY id LIMIT 1');
    const any = await source.enterpriseByUscc(row?.uscc ?? '');
    expect(any?.cellCode).toBeTruthy();
    expect((await source.enterprisesInCells([any?.cellCode as string])).map((e) => e.uscc)).toContain(any?.uscc);
    const near = await source.nearbyEnterprises({ longitude: any?.longitude as number, latitude: any?.latitude as number, radiusKm: 3, limit: 5 });
    expect(near[0]?.uscc).toBe(any?.uscc);
    expect(near[0]?.monitorIds.length).toBeGreaterThan(0);
    const cameras = await source.nearbyCameras({ longitude: any?.longitude as number, latitude: any?.latitude as number, radiusKm: 3, limit: 5 });
    expect(cameras[0]?.streamUrl).toMatch(/^rtsp:\/\//);
  });
});
