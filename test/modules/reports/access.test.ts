import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDevicePassword } from '../../../src/demo/devices';
import { monitoringServiceRef, type ReadingInput } from '../../../src/monitoring/public';
import { eventually } from '../../support/monitoring';
import { ENGINES, startTestHub, type TestHub } from '../../support/hub';
import { download, ENTERPRISE_A, ENTERPRISE_B, parseCsv, seedMonth, startReportsHub, type ReportsHub } from './support';

const RANGE = 'from=2025-06-01&to=2025-07-01';
const BIG_MN = 'RPTBIG';
const BIG_ROWS = 200_000;
const BIG = `/export/readings?mn=${BIG_MN}&factor=w01018&interval=RTD&from=2025-01-01&to=2025-12-31`;

const JOB = `query($id: String!) { exportJob(id: $id) { id kind state rowsWritten rowsEstimated progress reason } }`;

describe.each(ENGINES)('exports keep GraphQL’s rules on %s', (engine) => {
  let r: ReportsHub;
  beforeAll(async () => {
    r = await startReportsHub(engine);
    await seedMonth(r);
    const monitoring = r.th.hub.services.get(monitoringServiceRef);
    await monitoring.createMonitor({
      mn: BIG_MN,
      password: demoDevicePassword(BIG_MN),
      name: '大数据量测试',
      kind: 'OTHER',
      intervalSeconds: 60,
      cellCode: 'G01001001',
    });
    const start = Date.parse('2025-01-01T00:00:00Z');
    for (let i = 0; i < BIG_ROWS; i += 5000) {
      const batch: ReadingInput[] = Array.from({ length: 5000 }, (_v, k) => ({
        mn: BIG_MN,
        factor: 'w01018',
        interval: 'RTD',
        time: new Date(start + (i + k) * 60_000),
        value: (i + k) % 100,
        flag: 'N',
      }));
      await monitoring.ingest(batch);
    }
    // the readings are a year old: below the daily aggregate's watermark once its policy has run, they
    // count when the hub's hourly late-readings job has refreshed it, as it does here
    if (r.th.hub.db.capabilities.timescaledb) await r.th.hub.db.query(`CALL monitoring_refresh_late_readings(0, '{}'::jsonb)`);
  }, 300_000);
  afterAll(async () => r?.th.stop());

  it('asks for a token and refuses a bad one', async () => {
    expect((await download(r.th, `/export/exceedances?${RANGE}`, undefined)).status).toBe(401);
    const bad = await download(r.th, `/export/exceedances?${RANGE}`, 'not.a.token');
    expect(bad.status).toBe(401);
    expect(JSON.parse(bad.body.toString()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('an enterprise exports itself only, and not what its role may not read', async () => {
    const all = parseCsv((await download(r.th, `/export/exceedances?${RANGE}`, r.tokens.district)).body);
    const own = parseCsv((await download(r.th, `/export/exceedances?${RANGE}`, r.tokens.enterpriseA)).body);
    expect(all.slice(1).some((row) => row[17] === ENTERPRISE_B)).toBe(true);
    expect(own.length).toBeGreaterThan(1);
    expect(own.slice(1).every((row) => row[17] === ENTERPRISE_A)).toBe(true);
    const compliance = parseCsv((await download(r.th, `/export/outlet-compliance?${RANGE}`, r.tokens.enterpriseA)).body);
    expect(compliance.slice(1).map((row) => row[0])).toEqual([ENTERPRISE_A]);
    // B's monitor is as unknown to A as a monitor that does not exist
    const other = await download(r.th, `/export/readings?mn=RPTW2&factor=w01018&${RANGE}`, r.tokens.enterpriseA);
    expect(other.status).toBe(404);
    expect((await download(r.th, `/export/readings?mn=NOSUCH&factor=w01018&${RANGE}`, r.tokens.enterpriseA)).status).toBe(404);
    for (const kind of ['compliance-summary', 'grid-tasks', 'air-daily', 'water-daily']) {
      const refused = await download(r.th, `/export/${kind}?${RANGE}`, r.tokens.enterpriseA);
      expect(refused.status, kind).toBe(403);
      expect(JSON.parse(refused.body.toString()).errors[0].extensions.code).toBe('FORBIDDEN');
    }
  });

  it('an assistant exports their own cells only, as GraphQL lists them', async () => {
    for (const [token, count] of [
      [r.tokens.assistantA1, 4],
      [r.tokens.assistantB1, 0],
    ] as const) {
      const tasks = parseCsv((await download(r.th, `/export/grid-tasks?${RANGE}`, token)).body);
      const listed = await r.th.graphql<{ gridTasks: { edges: unknown[] } }>(
        `{ gridTasks(first: 100, filter: { dispatchedFrom: "2025-05-31T16:00:00Z", dispatchedTo: "2025-06-30T15:59:59.999Z" }) { edges { node { id } } } }`,
        {},
        token,
      );
      expect(tasks.length - 1).toBe(listed.body.data?.gridTasks.edges.length);
      expect(tasks.length - 1).toBe(count);
    }
    const stations = async (token: string) =>
      new Set(
        parseCsv((await download(r.th, `/export/water-daily?${RANGE}`, token)).body)
          .slice(1)
          .map((row) => row[2]),
      );
    expect(await stations(r.tokens.district)).toEqual(new Set(['R-RIV-01']));
    expect(await stations(r.tokens.townA)).toEqual(new Set(['R-RIV-01']));
    // the river station stands in 甲街道, outside the assistant's village
    expect(await stations(r.tokens.assistantB1)).toEqual(new Set());
    expect((await download(r.th, '/reports/monthly?month=2025-06', r.tokens.assistantA1)).status).toBe(403);
  });

  it('refuses what it cannot do clearly, before sending anything', async () => {
    const cases: [string, number, RegExp][] = [
      ['/export/nonsense', 404, /Export nonsense not found/],
      [`/export/exceedances?${RANGE}&severty=WARNING`, 400, /severty: unknown parameter/],
      [`/export/exceedances?${RANGE}&format=pdf`, 400, /format: one of csv, xlsx/],
      ['/export/exceedances?from=2024-01-01&to=2025-07-01', 400, /at most 366 days/],
      ['/export/exceedances?from=2025-07-01&to=2025-06-01', 400, /must be after from/],
      [`/export/readings?factor=w01018&${RANGE}`, 400, /give monitor \(its id\) or mn/],
      [`/export/readings?mn=RPTW1&factor=w01018&${RANGE}&bucket=WEEK`, 400, /bucket: one of RAW, HOUR, DAY/],
      ['/export/outlet-compliance?from=2025-01-01&to=2025-07-01', 400, /at most 92 days/],
      ['/reports/monthly?month=2025-13', 400, /a month such as 2025-06/],
      ['/reports/monthly?month=2030-01', 400, /has not begun/],
    ];
    for (const [path, status, message] of cases) {
      const answer = await download(r.th, path, r.tokens.district);
      expect(answer.status, path).toBe(status);
      expect(JSON.parse(answer.body.toString()).errors[0].message, path).toMatch(message);
    }
    const post = await fetch(`http://127.0.0.1:${r.th.hub.port}/export/exceedances`, {
      method: 'POST',
      headers: { authorization: `Bearer ${r.tokens.district}` },
    });
    expect(post.status).toBe(405);
  });

  it('reports the progress of a long export, cancels it on request, and cuts its download', async () => {
    const controller = new AbortController();
    const response = await fetch(`http://127.0.0.1:${r.th.hub.port}${BIG}`, {
      headers: { authorization: `Bearer ${r.tokens.district}` },
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    const id = response.headers.get('x-export-id') as string;
    expect(response.headers.get('x-export-rows-estimate')).toBe(String(BIG_ROWS));
    const reader = response.body?.getReader();
    await reader?.read();
    // the client reads no further: the export waits for it, part-way through
    const running = await r.th.graphql<{ exportJob: { state: string; rowsWritten: number; rowsEstimated: number; progress: number } }>(
      JOB,
      { id },
      r.tokens.district,
    );
    expect(running.body.data?.exportJob).toMatchObject({ state: 'RUNNING', rowsEstimated: BIG_ROWS });
    expect(running.body.data?.exportJob.progress).toBeLessThan(1);
    // nobody else sees or cancels it
    const stranger = await r.th.token({ roles: ['district'], sub: 'district-2' });
    expect((await r.th.graphql<{ exportJob: unknown }>(JOB, { id }, stranger)).body.data?.exportJob).toBeNull();
    const foreign = await r.th.graphql<{ cancelExport: { __typename: string } }>(
      `mutation($id: String!) { cancelExport(id: $id) { __typename } }`,
      { id },
      stranger,
    );
    expect(foreign.body.data?.cancelExport.__typename).toBe('NotFoundError');
    const cancelled = await r.th.graphql<{ cancelExport: { data: { state: string } } }>(
      `mutation($id: String!) { cancelExport(id: $id) { ... on MutationCancelExportSuccess { data { state } } } }`,
      { id },
      r.tokens.district,
    );
    expect(cancelled.body.data?.cancelExport.data.state).toBe('CANCELLED');
    // what was sent is not taken for the whole file: the transfer ends in an error
    await expect(
      (async () => {
        for (;;) {
          const chunk = await reader?.read();
          if (!chunk || chunk.done) return 'complete';
        }
      })(),
    ).rejects.toThrow();
    const listed = await r.th.graphql<{ exportJobs: { id: string; state: string; reason: string }[] }>(
      `{ exportJobs { id state reason } }`,
      {},
      r.tokens.district,
    );
    expect(listed.body.data?.exportJobs.find((j) => j.id === id)).toMatchObject({ state: 'CANCELLED', reason: 'cancelled by district-1' });
  });

  it('stops an export whose download was closed, and holds an account to two at once', async () => {
    const open = async () => {
      const controller = new AbortController();
      const response = await fetch(`http://127.0.0.1:${r.th.hub.port}${BIG}`, {
        headers: { authorization: `Bearer ${r.tokens.townA}` },
        signal: controller.signal,
      });
      return { controller, id: response.headers.get('x-export-id') as string, status: response.status };
    };
    const first = await open();
    const second = await open();
    expect([first.status, second.status]).toEqual([200, 200]);
    const third = await download(r.th, BIG, r.tokens.townA);
    expect(third.status).toBe(429);
    expect(JSON.parse(third.body.toString()).errors[0].extensions.code).toBe('TOO_MANY_EXPORTS');
    for (const held of [first, second]) {
      held.controller.abort();
      const state = await eventually(async () => {
        const job = (await r.th.graphql<{ exportJob: { state: string } }>(JOB, { id: held.id }, r.tokens.townA)).body.data?.exportJob;
        return job?.state !== 'RUNNING' && job;
      });
      expect(state).toMatchObject({ state: 'CANCELLED', reason: 'the download was closed' });
    }
    expect((await download(r.th, `/export/grid-tasks?${RANGE}`, r.tokens.townA)).status).toBe(200);
  });
});

describe('export limits and modules', () => {
  let th: TestHub | undefined;
  afterAll(async () => th?.stop());

  it('refuses an export over EXPORT_MAX_ROWS or EXPORT_MAX_RANGE_DAYS before it starts', async () => {
    th = await startTestHub({ env: { HUB_MODULES: 'grid,reports', EXPORT_MAX_ROWS: '1000', EXPORT_MAX_RANGE_DAYS: '31' } });
    const monitoring = th.hub.services.get(monitoringServiceRef);
    await monitoring.createMonitor({ mn: 'LIMIT1', password: demoDevicePassword('LIMIT1'), name: '限额', kind: 'OTHER', intervalSeconds: 60 });
    await monitoring.ingest(
      Array.from({ length: 1500 }, (_v, k) => ({
        mn: 'LIMIT1',
        factor: 'w01018',
        interval: 'RTD' as const,
        time: new Date(Date.parse('2025-06-02T00:00:00Z') + k * 60_000),
        value: k,
        flag: 'N',
      })),
    );
    const token = await th.token({ roles: ['district'], sub: 'd' });
    const tooMany = await download(th as TestHub, `/export/readings?mn=LIMIT1&factor=w01018&interval=RTD&${RANGE}`, token);
    expect(tooMany.status).toBe(413);
    expect(JSON.parse(tooMany.body.toString()).errors[0]).toMatchObject({
      message: expect.stringMatching(/about 1500 readings; an export holds at most 1000/),
      extensions: { code: 'LIMIT_EXCEEDED' },
    });
    expect((await download(th as TestHub, `/export/readings?mn=LIMIT1&factor=w01018&interval=RTD&bucket=HOUR&${RANGE}`, token)).status).toBe(200);
    expect((await download(th as TestHub, '/export/readings?mn=LIMIT1&factor=w01018&from=2025-06-01&to=2025-07-03', token)).status).toBe(400);
    // the modules that are off take their exports with them
    expect((await download(th as TestHub, `/export/air-daily?${RANGE}`, token)).status).toBe(404);
    const kinds = await th.graphql<{ exportKinds: { name: string }[] }>('{ exportKinds { name } }', {}, token);
    expect(kinds.body.data?.exportKinds.map((k) => k.name)).toEqual(['readings', 'exceedances', 'grid-assessment', 'grid-tasks']);
    // the monthly report leaves out the parts whose modules are off
    const report = await download(th as TestHub, '/reports/monthly?month=2025-06&format=html', token);
    expect(report.body.toString()).toContain('四、网格化环境监管');
    expect(report.body.toString()).not.toContain('一、环境空气质量');
  });

  it('a hub without the reports module has no export routes', async () => {
    await th?.stop();
    th = await startTestHub({ env: { HUB_MODULES: 'grid' } });
    const token = await th.token({ roles: ['district'], sub: 'd' });
    expect((await download(th, `/export/exceedances?${RANGE}`, token)).status).toBe(404);
    expect((await download(th, '/reports/monthly?month=2025-06', token)).status).toBe(404);
    const kinds = await th.graphql('{ exportKinds { name } }', {}, token);
    expect(kinds.body.errors?.[0]?.message).toMatch(/Cannot query field "exportKinds"/);
  });
});
