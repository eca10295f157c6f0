import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestHub, type TestHub } from '../../support/hub';
import { MEDIA_LIMITS } from '../../../modules/grid/service/media';
import { GRID_ONLY, RESULT_FIELDS, result, standardGrid } from './support';

const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF demo photo')]);
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('png body')]);

interface Uploaded {
  id: string;
  url: string;
  sha256: string;
  contentType: string;
  size: number;
  fileName: string | null;
  duplicate: boolean;
}

describe.each(ENGINES)('grid media on %s', (engine) => {
  let hub: TestHub;
  const tokens = { admin: '', district: '', townA: '', townB: '', a1: '', a2: '', b1: '', enterprise: '' };

  const upload = async (token: string | undefined, files: { bytes: Buffer; name: string; type?: string }[]) => {
    const form = new FormData();
    for (const file of files) form.append('file', new Blob([file.bytes], { type: file.type ?? 'application/octet-stream' }), file.name);
    form.append('note', 'a text field is ignored');
    const response = await fetch(`http://127.0.0.1:${hub.hub.port}/media`, {
      method: 'POST',
      headers: token ? { authorization: `Bearer ${token}` } : {},
      body: form,
    });
    return { status: response.status, body: (await response.json()) as { media?: Uploaded[]; errors?: { extensions: { code: string } }[] } };
  };
  const download = async (id: string, token?: string) => {
    const response = await fetch(`http://127.0.0.1:${hub.hub.port}/media/${id}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      nosniff: response.headers.get('x-content-type-options'),
      bytes: Buffer.from(await response.arrayBuffer()),
    };
  };
  const patrol = async (token: string, extra: Record<string, unknown>) =>
    result<{
      __typename: string;
      data?: { id: string; cellCode: string; media: { id: string; url: string; contentType: string }[] };
      problems?: { path: string; message: string }[];
    }>(
      await hub.graphql(
        `mutation($input: GridPatrolInput!) { recordGridPatrol(input: $input) { ${RESULT_FIELDS} ... on MutationRecordGridPatrolSuccess { data { id cellCode media { id url contentType } } } } }`,
        {
          input: {
            patrolledAt: new Date(Date.now() - 600_000).toISOString(),
            longitude: 104.2,
            latitude: 30.5,
            checklist: { productionStatus: 'PRODUCING', dischargeStatus: 'NORMAL', treatmentFacility: 'RUNNING', hazardousWaste: 'COMPLIANT', findings: null },
            ...extra,
          },
        },
        token,
      ),
      'recordGridPatrol',
    );

  beforeAll(async () => {
    hub = await startTestHub({ engine, env: GRID_ONLY });
    tokens.admin = await hub.token({ roles: ['admin'], sub: 'admin-1' });
    await standardGrid(hub, tokens.admin).build();
    tokens.district = await hub.token({ roles: ['district'], sub: 'district-1' });
    tokens.townA = await hub.token({ roles: ['town'], sub: 'town-a' });
    tokens.townB = await hub.token({ roles: ['town'], sub: 'town-b' });
    tokens.a1 = await hub.token({ roles: ['assistant'], sub: 'asst-a1' });
    tokens.a2 = await hub.token({ roles: ['assistant'], sub: 'asst-a2' });
    tokens.b1 = await hub.token({ roles: ['assistant'], sub: 'asst-b1' });
    tokens.enterprise = await hub.token({ roles: ['enterprise'], enterprise: '91510112MA61XXXX0A', sub: 'ent-1' });
  });
  afterAll(async () => hub?.stop());

  let first: Uploaded;

  it('types an upload by its content, not its name, and stores the same file once', async () => {
    const one = await upload(tokens.a1, [{ bytes: JPEG, name: 'photo.png', type: 'image/png' }]);
    expect(one.status).toBe(201);
    first = one.body.media?.[0] as Uploaded;
    expect(first).toMatchObject({
      contentType: 'image/jpeg',
      size: JPEG.length,
      fileName: 'photo.png',
      duplicate: false,
      sha256: createHash('sha256').update(JPEG).digest('hex'),
    });
    expect(first.url).toBe(`/media/${first.id}`);
    const again = await upload(tokens.a1, [
      { bytes: JPEG, name: 'again.jpg' },
      { bytes: PNG, name: 'plan.bin' },
    ]);
    expect(again.status).toBe(201);
    expect(again.body.media?.map((m) => [m.contentType, m.duplicate, m.sha256 === first.sha256])).toEqual([
      ['image/jpeg', true, true],
      ['image/png', false, false],
    ]);
    expect(again.body.media?.[0]?.id).not.toBe(first.id);
    const [blobs] = await hub.hub.db.query<{ count: string | number }>('SELECT count(*) AS count FROM grid_media_blobs WHERE sha256 = $1', [first.sha256]);
    expect(Number(blobs?.count)).toBe(1);
  });

  it('refuses what is not a photo or video, too large, too many, or from outside the grid staff', async () => {
    expect((await upload(tokens.a1, [{ bytes: Buffer.from('<html>not an image</html>'), name: 'x.jpg', type: 'image/jpeg' }])).status).toBe(415);
    const big = Buffer.alloc(MEDIA_LIMITS.maxFileBytes + 1);
    JPEG.copy(big);
    const tooBig = await upload(tokens.a1, [{ bytes: big, name: 'big.jpg' }]);
    expect(tooBig.status).toBe(413);
    const many = Array.from({ length: MEDIA_LIMITS.maxFilesPerRequest + 1 }, (_v, i) => ({ bytes: Buffer.concat([JPEG, Buffer.from([i])]), name: `${i}.jpg` }));
    expect((await upload(tokens.a1, many)).status).toBe(400);
    expect((await upload(undefined, [{ bytes: JPEG, name: 'a.jpg' }])).status).toBe(401);
    expect((await upload('not-a-token', [{ bytes: JPEG, name: 'a.jpg' }])).status).toBe(401);
    expect((await upload(tokens.enterprise, [{ bytes: JPEG, name: 'a.jpg' }])).status).toBe(403);
    const notMultipart = await fetch(`http://127.0.0.1:${hub.hub.port}/media`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.a1}`, 'content-type': 'image/jpeg' },
      body: JPEG,
    });
    expect(notMultipart.status).toBe(415);
  });

  it('lets only the uploader fetch a file that belongs to no patrol yet', async () => {
    const own = await download(first.id, tokens.a1);
    expect(own).toMatchObject({ status: 200, type: 'image/jpeg', nosniff: 'nosniff' });
    expect(own.bytes.equals(JPEG)).toBe(true);
    expect((await download(first.id, tokens.a2)).status).toBe(404);
    expect((await download(first.id, tokens.townA)).status).toBe(404);
    expect((await download(first.id, tokens.district)).status).toBe(200);
    expect((await download(first.id)).status).toBe(401);
  });

  it('attaches uploads to a patrol, and then serves them to whoever may see the patrol', async () => {
    const others = await upload(tokens.a2, [{ bytes: PNG, name: 'a2.png' }]);
    const foreign = others.body.media?.[0]?.id as string;
    expect(await patrol(tokens.a1, { media: [foreign] })).toMatchObject({ __typename: 'ValidationError', problems: [{ path: 'mediaIds.0' }] });
    expect(await patrol(tokens.a1, { cellCode: 'G01002001', media: [first.id] })).toMatchObject({ __typename: 'ForbiddenError' });
    const recorded = await patrol(tokens.a1, { media: [first.id], notes: '厂区正常' });
    expect(recorded.__typename).toBe('MutationRecordGridPatrolSuccess');
    expect(recorded.data).toMatchObject({
      cellCode: 'G01001001',
      media: [{ id: first.id, url: expect.stringMatching(new RegExp(`^/media/${first.id}\\?expires=\\d+&signature=`)), contentType: 'image/jpeg' }],
    });
    expect(await patrol(tokens.a1, { media: [first.id] })).toMatchObject({
      __typename: 'ValidationError',
      problems: [{ message: 'already attached to a patrol' }],
    });
    const status = async (token?: string) => (await download(first.id, token)).status;
    expect(await status(tokens.a1)).toBe(200);
    expect(await status(tokens.townA)).toBe(200);
    expect(await status(tokens.district)).toBe(200);
    expect(await status(tokens.a2)).toBe(404);
    expect(await status(tokens.b1)).toBe(404);
    expect(await status(tokens.townB)).toBe(404);
    expect(await status(tokens.enterprise)).toBe(404);
    expect(await status()).toBe(401);
    const seen = async (token: string) => (await hub.graphql(`{ gridPatrols { edges { node { notes media { id } } } } }`, {}, token)).body.data;
    expect(await seen(tokens.townA)).toEqual({ gridPatrols: { edges: [{ node: { notes: '厂区正常', media: [{ id: first.id }] } }] } });
    expect(await seen(tokens.a2)).toEqual({ gridPatrols: { edges: [] } });
  });

  it('serves a task’s patrol media to the officers over the task', async () => {
    const dispatched = await hub.graphql(
      `mutation($deadline: DateTime!) { dispatchGridTask(input: { type: COMPLAINT, title: "投诉核查", target: { kind: PLACE, description: "村口" }, cellCode: "G01002001", deadline: $deadline }) { ... on MutationDispatchGridTaskSuccess { data { id } } } }`,
      { deadline: new Date(Date.now() + 7 * 86_400_000).toISOString() },
      tokens.townB,
    );
    const taskId = result<{ data: { id: string } }>(dispatched, 'dispatchGridTask').data.id;
    const clip = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypmp42'), Buffer.alloc(16)]);
    const video = (await upload(tokens.b1, [{ bytes: clip, name: 'clip.mp4' }])).body.media?.[0] as Uploaded;
    expect(video.contentType).toBe('video/mp4');
    const recorded = await patrol(tokens.b1, { task: taskId, longitude: 104.3, latitude: 30.6, media: [video.id] });
    expect(recorded).toMatchObject({ __typename: 'MutationRecordGridPatrolSuccess', data: { cellCode: 'G01002001' } });
    const task = await hub.graphql(`query($id: ID!) { gridTask(id: $id) { patrols { media { contentType } } } }`, { id: taskId }, tokens.townB);
    expect(task.body.data).toEqual({ gridTask: { patrols: [{ media: [{ contentType: 'video/mp4' }] }] } });
    expect((await download(video.id, tokens.townB)).status).toBe(200);
    expect((await download(video.id, tokens.townA)).status).toBe(404);
  });
});
