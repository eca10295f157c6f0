import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monitoringServiceRef } from '../../../src/monitoring/public';
import { ENGINES } from '../../support/hub';
import { noErrors, result, RESULT_FIELDS, permitWastewaterOutlet, startSourceHub, uscc, type SourceHub } from '../source/support';

const PLANT_A = uscc(71);
const PLANT_B = uscc(72);
/** A photo of some size, so ranges fall inside it. */
const PHOTO = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF'), randomBytes(300_000)]);
const SNAP_A = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe1]), Buffer.from('snapshot of plant A'), randomBytes(1000)]);
const SNAP_B = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe1]), Buffer.from('snapshot of plant B'), randomBytes(1000)]);

describe.each(ENGINES)('signed media URLs on %s', (engine) => {
  let s: SourceHub;
  /** the hub's clock runs this far ahead of the wall clock: moved to let links expire */
  let ahead = 0;
  let base = '';
  const tokens = { entA: '', entB: '', townB: '' };
  const media: Record<'photo' | 'snapA' | 'snapB', string> = { photo: '', snapA: '', snapB: '' };

  const upload = async (bytes: Buffer, name: string, token: string) => {
    const form = new FormData();
    form.append('file', new Blob([bytes]), name);
    const response = await fetch(`${base}/media`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
    expect(response.status).toBe(201);
    return ((await response.json()) as { media: { id: string }[] }).media[0]?.id as string;
  };
  const get = async (path: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${base}${path}`, { headers });
    return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
  };
  const errorCode = (bytes: Buffer) => (JSON.parse(bytes.toString('utf8')) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code;
  const patrolMedia = async (token: string) => {
    const response = await s.hub.graphql<{ gridPatrols: { edges: { node: { media: { id: string; url: string; urlExpiresAt: string }[] } }[] } }>(
      `{ gridPatrols { edges { node { media { id url urlExpiresAt } } } } }`,
      {},
      token,
    );
    noErrors(response);
    return response.body.data?.gridPatrols.edges.flatMap((e) => e.node.media) ?? [];
  };
  const snapshotUrls = async (token: string) => {
    const response = await s.hub.graphql<{
      exceedances: { edges: { node: { enterpriseUscc: string; snapshots: { mediaId: string; mediaUrl: string; mediaUrlExpiresAt: string }[] } }[] };
    }>(`{ exceedances { edges { node { enterpriseUscc snapshots { mediaId mediaUrl mediaUrlExpiresAt } } } } }`, {}, token);
    noErrors(response);
    return (response.body.data?.exceedances.edges ?? []).flatMap((e) => e.node.snapshots.map((snap) => ({ uscc: e.node.enterpriseUscc, ...snap })));
  };

  beforeAll(async () => {
    s = await startSourceHub(engine, () => new Date(Date.now() + ahead));
    base = `http://127.0.0.1:${s.hub.hub.port}`;
    const { enterprises, video } = s.source;
    const monitoring = s.hub.hub.services.get(monitoringServiceRef);
    const hour = new Date(Math.floor((Date.now() - 3 * 3_600_000) / 3_600_000) * 3_600_000);
    for (const [code, cell, mn] of [
      [PLANT_A, 'G01001001', 'LNKA'],
      [PLANT_B, 'G01002001', 'LNKB'],
    ] as const) {
      await enterprises.create({ uscc: code, name: `链接测试企业${mn}`, industry: '食品制造', controlLevel: 'CITY', cellCode: cell });
      await permitWastewaterOutlet(s.source, code, mn);
      await monitoring.ingest([{ mn, factor: 'w01018', interval: 'HOUR', time: hour, value: 250, flag: 'N' }]);
      await video.createSite({ code: `VS-${mn}`, name: '厂区', kind: 'ENTERPRISE', enterpriseUscc: code, longitude: 104.2, latitude: 30.5 });
      await video.createCamera({ code: `CAM-${mn}`, siteCode: `VS-${mn}`, name: '排放口摄像机', streamUrl: 'rtsp://10.51.1.1:554/ch1' });
    }
    tokens.entA = await s.enterpriseToken(PLANT_A);
    tokens.entB = await s.enterpriseToken(PLANT_B);
    tokens.townB = await s.hub.token({ roles: ['town'], sub: 'town-b', cells: ['G01002'] });
    media.photo = await upload(PHOTO, 'site.jpg', s.tokens.assistantA1);
    media.snapA = await upload(SNAP_A, 'a.jpg', s.tokens.district);
    media.snapB = await upload(SNAP_B, 'b.jpg', s.tokens.district);
    const recorded = await s.hub.graphql(
      `mutation($input: GridPatrolInput!) { recordGridPatrol(input: $input) { ${RESULT_FIELDS} } }`,
      {
        input: {
          cellCode: 'G01001001',
          patrolledAt: new Date(Date.now() - 600_000).toISOString(),
          longitude: 104.2,
          latitude: 30.5,
          checklist: { productionStatus: 'PRODUCING', dischargeStatus: 'NORMAL', treatmentFacility: 'RUNNING', hazardousWaste: 'COMPLIANT', findings: null },
          media: [media.photo],
        },
      },
      s.tokens.assistantA1,
    );
    expect(result(recorded, 'recordGridPatrol')).toMatchObject({ __typename: 'MutationRecordGridPatrolSuccess' });
    const exceedances = await s.hub.graphql<{ exceedances: { edges: { node: { id: string; enterpriseUscc: string } }[] } }>(
      `{ exceedances { edges { node { id enterpriseUscc } } } }`,
      {},
      s.tokens.district,
    );
    const cameras = await s.hub.graphql<{ cameras: { edges: { node: { id: string; code: string } }[] } }>(
      `{ cameras { edges { node { id code } } } }`,
      {},
      s.tokens.district,
    );
    for (const [code, camera, mediaId] of [
      [PLANT_A, 'CAM-LNKA', media.snapA],
      [PLANT_B, 'CAM-LNKB', media.snapB],
    ] as const) {
      const exceedance = exceedances.body.data?.exceedances.edges.find((e) => e.node.enterpriseUscc === code)?.node.id;
      const cameraId = cameras.body.data?.cameras.edges.find((e) => e.node.code === camera)?.node.id;
      const attached = await s.hub.graphql(
        `mutation($input: AttachSnapshotInput!) { attachSnapshot(input: $input) { ${RESULT_FIELDS} } }`,
        { input: { camera: cameraId, target: 'EXCEEDANCE', targetId: exceedance, mediaId, takenAt: new Date(Date.now() - 60_000).toISOString() } },
        s.tokens.district,
      );
      expect(result(attached, 'attachSnapshot')).toMatchObject({ __typename: 'MutationAttachSnapshotSuccess' });
    }
  }, 120_000);

  afterAll(async () => {
    await s?.hub.stop();
  });

  it('gives patrol media a url an <img> loads without an Authorization header, until it expires', async () => {
    const [photo] = await patrolMedia(s.tokens.townA);
    expect(photo?.id).toBe(media.photo);
    expect(photo?.url).toMatch(new RegExp(`^/media/${media.photo}\\?expires=\\d+&signature=[A-Za-z0-9_-]{43}$`));
    const expiresIn = new Date(photo?.urlExpiresAt as string).getTime() - Date.now();
    expect(expiresIn).toBeGreaterThan(900_000 - 5_000);
    expect(expiresIn).toBeLessThanOrEqual(960_000);
    const loaded = await get(photo?.url as string);
    expect(loaded.status).toBe(200);
    expect(loaded.bytes.equals(PHOTO)).toBe(true);
    expect(loaded.headers.get('content-type')).toBe('image/jpeg');
    expect(loaded.headers.get('content-length')).toBe(String(PHOTO.length));
    expect(loaded.headers.get('cache-control')).toMatch(/^private, max-age=\d+$/);
    expect(await patrolMedia(s.tokens.assistantB1)).toEqual([]);
  });

  it('answers ranges, validators and HEAD as a video player expects', async () => {
    const [photo] = await patrolMedia(s.tokens.district);
    const url = photo?.url as string;
    const etag = `"${createHash('sha256').update(PHOTO).digest('hex')}"`;
    const whole = await get(url);
    expect(whole.headers.get('etag')).toBe(etag);
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    const middle = await get(url, { range: 'bytes=1000-1999' });
    expect(middle.status).toBe(206);
    expect(middle.headers.get('content-range')).toBe(`bytes 1000-1999/${PHOTO.length}`);
    expect(middle.headers.get('content-length')).toBe('1000');
    expect(middle.bytes.equals(PHOTO.subarray(1000, 2000))).toBe(true);
    const tail = await get(url, { range: 'bytes=-10' });
    expect([tail.status, tail.bytes.equals(PHOTO.subarray(-10))]).toEqual([206, true]);
    const open = await get(url, { range: `bytes=${PHOTO.length - 5}-` });
    expect([open.status, open.headers.get('content-range'), open.bytes.length]).toEqual([
      206,
      `bytes ${PHOTO.length - 5}-${PHOTO.length - 1}/${PHOTO.length}`,
      5,
    ]);
    const past = await get(url, { range: `bytes=${PHOTO.length}-` });
    expect([past.status, past.headers.get('content-range')]).toEqual([416, `bytes */${PHOTO.length}`]);
    const cached = await get(url, { 'if-none-match': etag });
    expect([cached.status, cached.bytes.length]).toEqual([304, 0]);
    const changed = await get(url, { range: 'bytes=0-9', 'if-range': '"another"' });
    expect([changed.status, changed.bytes.length]).toEqual([200, PHOTO.length]);
    const same = await get(url, { range: 'bytes=0-9', 'if-range': etag });
    expect([same.status, same.bytes.length]).toEqual([206, 10]);
    const head = await fetch(`${base}${url}`, { method: 'HEAD' });
    expect([head.status, head.headers.get('content-length')]).toEqual([200, String(PHOTO.length)]);
    const withToken = await get(`/media/${media.photo}`, { authorization: `Bearer ${s.tokens.townA}`, range: 'bytes=0-3' });
    expect([withToken.status, withToken.bytes.equals(PHOTO.subarray(0, 4))]).toEqual([206, true]);
  });

  it('refuses a link pointed at another file, a stretched expiry, and an expired link, with 403 and why', async () => {
    const [photo] = await patrolMedia(s.tokens.district);
    const url = photo?.url as string;
    const other = await get(url.replace(media.photo, media.snapB));
    expect([other.status, errorCode(other.bytes)]).toEqual([403, 'MEDIA_URL_INVALID']);
    const stretched = await get(url.replace(/expires=(\d+)/, (_m, n: string) => `expires=${Number(n) + 3600}`));
    expect([stretched.status, errorCode(stretched.bytes)]).toEqual([403, 'MEDIA_URL_INVALID']);
    const unsigned = await get(url.replace(/&signature=.*/, ''));
    expect([unsigned.status, errorCode(unsigned.bytes)]).toEqual([403, 'MEDIA_URL_INVALID']);
    ahead = 16 * 60_000 + 60_000;
    try {
      const expired = await get(url);
      expect([expired.status, errorCode(expired.bytes)]).toEqual([403, 'MEDIA_URL_EXPIRED']);
      expect(JSON.parse(expired.bytes.toString('utf8')).errors[0].message).toMatch(/expired .*fresh url/);
      const [fresh] = await patrolMedia(s.tokens.district);
      expect(fresh?.url).not.toBe(url);
      expect((await get(fresh?.url as string)).status).toBe(200);
    } finally {
      ahead = 0;
    }
    expect((await get(`/media/${media.photo}`)).status).toBe(401);
  });

  it('lets an enterprise load the snapshot of its own exceedance, and no other’s', async () => {
    const own = await snapshotUrls(tokens.entA);
    expect(own.map((snap) => [snap.uscc, snap.mediaId])).toEqual([[PLANT_A, media.snapA]]);
    const loaded = await get(own[0]?.mediaUrl as string);
    expect([loaded.status, loaded.bytes.equals(SNAP_A)]).toEqual([200, true]);
    expect((await snapshotUrls(tokens.entB)).map((snap) => snap.mediaId)).toEqual([media.snapB]);
    // A's link says nothing about B's file
    expect((await get((own[0]?.mediaUrl as string).replace(media.snapA, media.snapB))).status).toBe(403);
    expect((await get(`/media/${media.snapB}`, { authorization: `Bearer ${tokens.entA}` })).status).toBe(404);
  });

  it('gives a town officer the snapshots of their own town only', async () => {
    expect((await snapshotUrls(tokens.townB)).map((snap) => snap.mediaId)).toEqual([media.snapB]);
    expect((await snapshotUrls(s.tokens.townA)).map((snap) => snap.mediaId)).toEqual([media.snapA]);
    expect((await snapshotUrls(s.tokens.district)).map((snap) => snap.mediaId).sort()).toEqual([media.snapA, media.snapB].sort());
  });
});
