import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { data, noErrors, RESULT_FIELDS, startSourceHub, uscc, type SourceHub } from './support';
import { ENGINES } from '../../support/hub';

const PLANT = uscc(31);
const district = { subject: 'district-1', roles: ['district'] as const, cells: [], enterprise: undefined, name: '区局' };

describe.each(ENGINES)('video monitoring on %s', (engine) => {
  let s: SourceHub;
  let device = '';

  type Report = { changed: number; unchanged: number; rejected: number; items: { code: string; outcome: string; reason: string | null }[] };
  const report = async (reports: { code: string; status: string }[], token = device) =>
    data<Report>(
      await s.hub.graphql(
        `mutation($reports: [CameraStatusReportInput!]!) { reportCameraStatus(reports: $reports) { ${RESULT_FIELDS} ... on MutationReportCameraStatusSuccess { data { changed unchanged rejected items { code outcome reason } } } } }`,
        { reports },
        token,
      ),
      'reportCameraStatus',
    );
  const statusEvents = async () =>
    (
      await s.hub.hub.db.query<{ topic: string; payload: { code: string; status: string; previousStatus: string; enterpriseUscc: string | null } | string }>(
        `SELECT topic, payload FROM hub_events WHERE topic LIKE 'source.camera.%' ORDER BY id`,
      )
    ).map(
      (row) =>
        ({ topic: row.topic, ...(typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload) }) as {
          topic: string;
          code: string;
          status: string;
          previousStatus: string;
          enterpriseUscc: string | null;
        },
    );

  beforeAll(async () => {
    s = await startSourceHub(engine);
    device = await s.hub.token({ roles: ['device'], sub: 'video-platform', cameras: ['CAM-1', 'CAM-2', 'CAM-3', 'CAM-404'] });
    await s.source.enterprises.create({
      uscc: PLANT,
      name: '视频测试企业',
      industry: '医药制造',
      controlLevel: 'PROVINCE',
      cellCode: 'G01001001',
      longitude: 104.2,
      latitude: 30.5,
    });
    await s.source.video.createSite({ code: 'VS-1', name: '厂区', kind: 'ENTERPRISE', enterpriseUscc: PLANT, longitude: 104.2, latitude: 30.5 });
    await s.source.video.createSite({ code: 'VS-2', name: '水源地', kind: 'DRINKING_WATER_SOURCE', longitude: 104.3, latitude: 30.6, cellCode: 'G01002001' });
    await s.source.video.createCamera({ code: 'CAM-1', siteCode: 'VS-1', name: '排放口摄像机', streamUrl: 'rtsp://10.51.1.1:554/ch1' });
    await s.source.video.createCamera({ code: 'CAM-2', siteCode: 'VS-1', name: '危废间摄像机', streamUrl: 'rtsp://10.51.1.1:554/ch2' });
    await s.source.video.createCamera({ code: 'CAM-3', siteCode: 'VS-2', name: '取水口摄像机', streamUrl: 'rtsp://10.51.1.2:554/ch1' });
  }, 60_000);

  afterAll(async () => {
    await s?.hub.stop();
  });

  it('records status changes reported by the video platform and emits an event per change only', async () => {
    expect(
      await report([
        { code: 'CAM-1', status: 'ONLINE' },
        { code: 'CAM-2', status: 'ONLINE' },
      ]),
    ).toEqual({
      changed: 2,
      unchanged: 0,
      rejected: 0,
      items: [
        { code: 'CAM-1', outcome: 'CHANGED', reason: null },
        { code: 'CAM-2', outcome: 'CHANGED', reason: null },
      ],
    });
    expect(
      await report([
        { code: 'CAM-1', status: 'OFFLINE' },
        { code: 'CAM-2', status: 'ONLINE' },
      ]),
    ).toMatchObject({ changed: 1, unchanged: 1 });
    await report([{ code: 'CAM-1', status: 'OFFLINE' }]);
    await report([{ code: 'CAM-1', status: 'ONLINE' }]);
    expect((await statusEvents()).map((e) => [e.topic, e.code, e.previousStatus, e.status])).toEqual([
      ['source.camera.cameOnline', 'CAM-1', 'UNKNOWN', 'ONLINE'],
      ['source.camera.cameOnline', 'CAM-2', 'UNKNOWN', 'ONLINE'],
      ['source.camera.wentOffline', 'CAM-1', 'ONLINE', 'OFFLINE'],
      ['source.camera.cameOnline', 'CAM-1', 'OFFLINE', 'ONLINE'],
    ]);
    expect((await statusEvents())[0]?.enterpriseUscc).toBe(PLANT);
  });

  it('refuses unknown cameras and callers other than the platform', async () => {
    expect(await report([{ code: 'CAM-404', status: 'ONLINE' }])).toMatchObject({
      rejected: 1,
      items: [{ code: 'CAM-404', outcome: 'REJECTED', reason: 'unknown camera' }],
    });
    const denied = await s.hub.graphql(
      `mutation { reportCameraStatus(reports: [{ code: "CAM-1", status: OFFLINE }]) { __typename } }`,
      {},
      s.tokens.assistantA1,
    );
    expect(denied.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await statusEvents()).length).toBe(4);
  });

  it('takes from a platform token only the cameras it is bound to, report by report', async () => {
    const otherPlatform = await s.hub.token({ roles: ['device'], sub: 'other-platform', cameras: ['CAM-3'] });
    const before = (await statusEvents()).length;
    const mixed = await report(
      [
        { code: 'CAM-3', status: 'OFFLINE' },
        { code: 'CAM-1', status: 'OFFLINE' },
        { code: 'CAM-3', status: 'ONLINE' },
      ],
      otherPlatform,
    );
    // the last report of CAM-3 counts; CAM-1 belongs to another platform and changes nothing
    expect(mixed).toEqual({
      changed: 1,
      unchanged: 1,
      rejected: 1,
      items: [
        { code: 'CAM-3', outcome: 'UNCHANGED', reason: null },
        { code: 'CAM-1', outcome: 'REJECTED', reason: 'not this platform’s camera' },
        { code: 'CAM-3', outcome: 'CHANGED', reason: null },
      ],
    });
    expect((await statusEvents()).slice(before).map((e) => [e.code, e.status])).toEqual([['CAM-3', 'ONLINE']]);
    const cameras = await s.hub.graphql(`{ cameras(first: 50) { edges { node { code status } } } }`, {}, s.tokens.district);
    expect(
      (cameras.body.data as { cameras: { edges: { node: { code: string; status: string } }[] } }).cameras.edges.map((e) => [e.node.code, e.node.status]),
    ).toEqual([
      ['CAM-1', 'ONLINE'],
      ['CAM-2', 'ONLINE'],
      ['CAM-3', 'ONLINE'],
    ]);
    // a monitor-bound device token is no video platform: every report is refused
    const logger = await s.hub.token({ roles: ['device'], sub: 'logger', mns: ['SRC0001W'] });
    expect(await report([{ code: 'CAM-1', status: 'OFFLINE' }], logger)).toMatchObject({ rejected: 1, items: [{ reason: 'not this platform’s camera' }] });
  });

  it('shows stream addresses to staff only, and cameras in the viewer’s scope', async () => {
    const cameras = async (token: string) => {
      const response = await s.hub.graphql(`{ cameras(first: 50) { edges { node { code streamUrl status } } } }`, {}, token);
      noErrors(response);
      return (response.body.data as { cameras: { edges: { node: { code: string; streamUrl: string | null } }[] } }).cameras.edges.map((e) => e.node);
    };
    expect((await cameras(s.tokens.assistantA1)).map((c) => [c.code, c.streamUrl])).toEqual([
      ['CAM-1', 'rtsp://10.51.1.1:554/ch1'],
      ['CAM-2', 'rtsp://10.51.1.1:554/ch2'],
    ]);
    expect((await cameras(s.tokens.assistantB1)).map((c) => c.code)).toEqual(['CAM-3']);
    expect((await cameras(await s.enterpriseToken(PLANT))).map((c) => [c.code, c.streamUrl])).toEqual([
      ['CAM-1', null],
      ['CAM-2', null],
    ]);
    expect(await cameras(s.tokens.district)).toHaveLength(3);
  });

  it('finds cameras near a point, nearest first, with stream addresses', async () => {
    const near = await s.source.nearbyCameras({ longitude: 104.29, latitude: 30.59, radiusKm: 20, limit: 2 });
    expect(near.map((c) => [c.code, c.site.code, c.streamUrl])).toEqual([
      ['CAM-3', 'VS-2', 'rtsp://10.51.1.2:554/ch1'],
      ['CAM-1', 'VS-1', 'rtsp://10.51.1.1:554/ch1'],
    ]);
    expect(near[0]?.distanceKm).toBeCloseTo(1.47, 1);
    expect(await s.source.nearbyCameras({ longitude: 105, latitude: 31, radiusKm: 1, limit: 5 })).toEqual([]);
  });

  it('attaches a snapshot as evidence to a case', async () => {
    const opened = await s.source.enforcement.openCase(district as never, { enterpriseUscc: PLANT, caseNumber: '龙环罚〔2024〕88号', findings: '夜间偷排' });
    const camera = encodeGlobalID('Camera', '1');
    const [cam1] = await s.source.video.camerasByIds(district as never, [1]);
    expect(cam1?.code).toBe('CAM-1');
    const attach = await s.hub.graphql(
      `mutation($input: AttachSnapshotInput!) { attachSnapshot(input: $input) { ${RESULT_FIELDS} ... on MutationAttachSnapshotSuccess { data { target url camera { code } } } } }`,
      {
        input: {
          camera,
          target: 'CASE',
          targetId: encodeGlobalID('EnforcementCase', String(opened.id)),
          url: 'https://video.example/snap/1.jpg',
          takenAt: new Date(Date.now() - 60_000).toISOString(),
        },
      },
      s.tokens.assistantA1,
    );
    expect(data(attach, 'attachSnapshot')).toEqual({ target: 'CASE', url: 'https://video.example/snap/1.jpg', camera: { code: 'CAM-1' } });
    const outsider = await s.hub.graphql(
      `mutation($input: AttachSnapshotInput!) { attachSnapshot(input: $input) { ${RESULT_FIELDS} } }`,
      {
        input: {
          camera,
          target: 'CASE',
          targetId: encodeGlobalID('EnforcementCase', String(opened.id)),
          url: 'https://video.example/snap/2.jpg',
          takenAt: new Date().toISOString(),
        },
      },
      s.tokens.assistantB1,
    );
    expect(data(outsider, 'attachSnapshot')).toMatchObject({ __typename: 'NotFoundError' });
    const file = await s.hub.graphql(`{ enterprise(uscc: "${PLANT}") { cases { caseNumber snapshots { url attachedBy } } } }`, {}, s.tokens.district);
    noErrors(file);
    expect((file.body.data as { enterprise: { cases: unknown[] } }).enterprise.cases).toEqual([
      { caseNumber: '龙环罚〔2024〕88号', snapshots: [{ url: 'https://video.example/snap/1.jpg', attachedBy: 'asst-a1' }] },
    ]);
  });
});
