import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestHub, type EngineName, type TestHub } from '../../support/hub';
import { GRID_ONLY, RESULT_FIELDS, result, standardGrid } from './support';

const MiB = 1024 * 1024;
/** A 50 MiB "video": an MP4 header and random bytes, so no two chunks look alike. */
const VIDEO = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypmp42'), Buffer.alloc(12), randomBytes(50 * MiB - 24)]);
const VIDEO_SHA = createHash('sha256').update(VIDEO).digest('hex');
const CHUNK = 8 * MiB;

interface Upload {
  id: string;
  url: string;
  size: number;
  offset: number;
  complete: boolean;
  mediaId: string | null;
}
type ErrorBody = { errors: { message: string; extensions: { code: string; offset?: number } }[] };

const STORES: [EngineName, 'database' | 'filesystem'][] = [
  ...ENGINES.map((engine) => [engine, 'database'] as [EngineName, 'database']),
  ['pglite', 'filesystem'],
];

describe.each(STORES)('resumable media uploads on %s, %s store', (engine, store) => {
  let hub: TestHub;
  let dir = '';
  let base = '';
  const tokens = { admin: '', a1: '', a2: '', enterprise: '' };

  const call = async (method: string, path: string, token: string, body?: Buffer | string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...headers },
      ...(body === undefined ? {} : { body }),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: (text ? JSON.parse(text) : undefined) as
        ({ upload?: Upload; media?: { id: string; sha256: string; contentType: string; size: number } } & Partial<ErrorBody>) | undefined,
    };
  };
  const create = (size: number, key?: string, extra: Record<string, unknown> = {}, token = tokens.a1) =>
    call('POST', '/media/uploads', token, JSON.stringify({ size, fileName: 'clip.mp4', ...extra }), {
      'content-type': 'application/json',
      ...(key ? { 'idempotency-key': key } : {}),
    });
  const patch = (id: string, offset: number, bytes: Buffer, token = tokens.a1) =>
    call('PATCH', `/media/uploads/${id}`, token, bytes, { 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream' });
  const offsetOf = async (id: string) => {
    const response = await fetch(`${base}/media/uploads/${id}`, { method: 'HEAD', headers: { authorization: `Bearer ${tokens.a1}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('upload-length')).toBe(String(VIDEO.length));
    return Number(response.headers.get('upload-offset'));
  };
  const uploadRows = async () => Number((await hub.hub.db.query<{ n: number }>('SELECT count(*)::int AS n FROM grid_media_uploads'))[0]?.n);

  /** Sends `bytes` of a PATCH's declared body and then cuts the connection, as a phone losing signal does. */
  const cutMidChunk = (id: string, offset: number, chunk: Buffer, sent: number) =>
    new Promise<void>((resolve) => {
      const req = request(`${base}/media/uploads/${id}`, {
        method: 'PATCH',
        headers: {
          authorization: `Bearer ${tokens.a1}`,
          'upload-offset': String(offset),
          'content-length': String(chunk.length),
          'content-type': 'application/offset+octet-stream',
        },
      });
      req.on('error', () => resolve());
      req.on('close', () => resolve());
      req.write(chunk.subarray(0, sent), () => req.destroy());
    });

  beforeAll(async () => {
    dir = store === 'filesystem' ? await mkdtemp(join(tmpdir(), 'envhub-media-')) : '';
    hub = await startTestHub({ engine, env: { ...GRID_ONLY, MEDIA_MAX_BYTES: String(64 * MiB), MEDIA_STORE: store, ...(dir ? { MEDIA_DIR: dir } : {}) } });
    base = `http://127.0.0.1:${hub.hub.port}`;
    tokens.admin = await hub.token({ roles: ['admin'], sub: 'admin-1' });
    await standardGrid(hub, tokens.admin).build();
    tokens.a1 = await hub.token({ roles: ['assistant'], sub: 'asst-a1' });
    tokens.a2 = await hub.token({ roles: ['assistant'], sub: 'asst-a2' });
    tokens.enterprise = await hub.token({ roles: ['enterprise'], enterprise: '91510112MA61XXXX0A', sub: 'ent-1' });
  }, 180_000);

  afterAll(async () => {
    await hub?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('refuses an upload over MEDIA_MAX_BYTES before storing anything, and uploads from anyone but grid staff', async () => {
    const before = await uploadRows();
    const tooLarge = await create(64 * MiB + 1);
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body?.errors?.[0]?.message).toMatch(/at most 67108864 bytes \(MEDIA_MAX_BYTES\)/);
    expect((await create(0)).status).toBe(400);
    expect((await create(10, undefined, {}, tokens.enterprise)).status).toBe(403);
    expect((await call('POST', '/media/uploads', tokens.a1, 'not json', { 'content-type': 'application/json' })).status).toBe(400);
    expect((await fetch(`${base}/media/uploads`, { method: 'POST', body: '{"size":1}' })).status).toBe(401);
    expect(await uploadRows()).toBe(before);
  });

  it('takes a 50 MiB video in chunks across a cut connection, and gives back the same bytes', async () => {
    const created = await create(VIDEO.length, 'phone-file-1');
    expect(created.status).toBe(201);
    const upload = created.body?.upload as Upload;
    expect(upload).toMatchObject({ size: VIDEO.length, offset: 0, complete: false, mediaId: null });
    // the answer to the create was lost: the app sends it again
    const retried = await create(VIDEO.length, 'phone-file-1');
    expect([retried.status, retried.body?.upload?.id]).toEqual([200, upload.id]);
    expect((await create(VIDEO.length - 1, 'phone-file-1')).status).toBe(409);

    const first = await patch(upload.id, 0, VIDEO.subarray(0, CHUNK));
    expect([first.status, first.headers.get('upload-offset'), first.body?.upload?.offset]).toEqual([200, String(CHUNK), CHUNK]);
    // the answer to the first chunk was lost: the app sends it again, nothing changes
    const again = await patch(upload.id, 0, VIDEO.subarray(0, CHUNK));
    expect([again.status, again.body?.upload?.offset]).toEqual([200, CHUNK]);
    const gap = await patch(upload.id, 2 * CHUNK, VIDEO.subarray(2 * CHUNK, 3 * CHUNK));
    expect([gap.status, gap.body?.errors?.[0]?.extensions.offset, gap.headers.get('upload-offset')]).toEqual([409, CHUNK, String(CHUNK)]);
    expect((await call('HEAD', `/media/uploads/${upload.id}`, tokens.a2)).status).toBe(404);

    await cutMidChunk(upload.id, CHUNK, VIDEO.subarray(CHUNK, 2 * CHUNK), 3 * MiB + 12345);
    let offset = await offsetOf(upload.id);
    expect(offset).toBeGreaterThanOrEqual(CHUNK);
    expect(offset).toBeLessThanOrEqual(CHUNK + 3 * MiB + 12345);
    const early = await call('POST', `/media/uploads/${upload.id}/complete`, tokens.a1);
    expect(early.status).toBe(409);

    // the app's loop: send from the offset the hub has; on a conflict, ask again
    while (offset < VIDEO.length) {
      const sent = await patch(upload.id, offset, VIDEO.subarray(offset, Math.min(offset + CHUNK, VIDEO.length)));
      offset = sent.status === 200 ? (sent.body?.upload?.offset as number) : await offsetOf(upload.id);
    }
    expect(offset).toBe(VIDEO.length);

    const done = await call('POST', `/media/uploads/${upload.id}/complete`, tokens.a1);
    expect(done.status).toBe(200);
    expect(done.body?.media).toMatchObject({ sha256: VIDEO_SHA, contentType: 'video/mp4', size: VIDEO.length });
    const mediaId = done.body?.media?.id as string;
    expect((await call('POST', `/media/uploads/${upload.id}/complete`, tokens.a1)).body?.media?.id).toBe(mediaId);
    expect((await create(VIDEO.length, 'phone-file-1')).body?.upload).toMatchObject({ id: upload.id, complete: true, mediaId });

    const download = await fetch(`${base}/media/${mediaId}`, { headers: { authorization: `Bearer ${tokens.a1}` } });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-length')).toBe(String(VIDEO.length));
    const hash = createHash('sha256');
    for await (const piece of download.body as unknown as AsyncIterable<Uint8Array>) hash.update(piece);
    expect(hash.digest('hex')).toBe(VIDEO_SHA);
    // a range across the store's 1 MiB rows
    const from = 20 * MiB - 100;
    const ranged = await fetch(`${base}/media/${mediaId}`, { headers: { authorization: `Bearer ${tokens.a1}`, range: `bytes=${from}-${from + 2 * MiB}` } });
    expect(ranged.status).toBe(206);
    expect(Buffer.from(await ranged.arrayBuffer()).equals(VIDEO.subarray(from, from + 2 * MiB + 1))).toBe(true);

    // attached to a patrol, it shows with a signed url
    const recorded = result<{ __typename: string; data?: { media: { id: string; url: string }[] } }>(
      await hub.graphql(
        `mutation($input: GridPatrolInput!) { recordGridPatrol(input: $input) { ${RESULT_FIELDS} ... on MutationRecordGridPatrolSuccess { data { media { id url } } } } }`,
        {
          input: {
            patrolledAt: new Date(Date.now() - 600_000).toISOString(),
            longitude: 104.2,
            latitude: 30.5,
            checklist: { productionStatus: 'PRODUCING', dischargeStatus: 'NORMAL', treatmentFacility: 'RUNNING', hazardousWaste: 'COMPLIANT', findings: null },
            media: [mediaId],
          },
        },
        tokens.a1,
      ),
      'recordGridPatrol',
    );
    expect(recorded.data?.media[0]?.id).toBe(mediaId);
    const shown = await fetch(`${base}${recorded.data?.media[0]?.url}`, { headers: { range: 'bytes=0-11' } });
    expect([shown.status, Buffer.from(await shown.arrayBuffer()).equals(VIDEO.subarray(0, 12))]).toEqual([206, true]);
  }, 300_000);

  it('stores a file sent twice once, and refuses bytes past the declared size or not a photo or video', async () => {
    const small = VIDEO.subarray(0, 2 * MiB + 7);
    const one = (await create(small.length, 'twice-1')).body?.upload as Upload;
    const two = (await create(small.length, 'twice-2')).body?.upload as Upload;
    expect(one.id).not.toBe(two.id);
    for (const upload of [one, two]) expect((await patch(upload.id, 0, small)).body?.upload?.offset).toBe(small.length);
    const first = await call('POST', `/media/uploads/${one.id}/complete`, tokens.a1);
    const second = await call('POST', `/media/uploads/${two.id}/complete`, tokens.a1);
    expect(first.body?.media?.sha256).toBe(second.body?.media?.sha256);
    expect(second.body?.media).toMatchObject({ size: small.length });
    const blobs = await hub.hub.db.query<{ n: number }>('SELECT count(*)::int AS n FROM grid_media_blobs WHERE sha256 = $1', [first.body?.media?.sha256]);
    expect(blobs[0]?.n).toBe(1);

    const short = (await create(100)).body?.upload as Upload;
    const over = await patch(short.id, 0, VIDEO.subarray(0, 200));
    expect(over.status).toBe(413);
    expect((await call('GET', `/media/uploads/${short.id}`, tokens.a1)).body?.upload?.offset).toBe(0);

    const text = Buffer.from('this is a text file, not a photo or a video at all');
    const wrong = (await create(text.length)).body?.upload as Upload;
    expect((await patch(wrong.id, 0, text)).status).toBe(415);
    expect((await call('GET', `/media/uploads/${wrong.id}`, tokens.a1)).body?.upload?.offset).toBe(0);
    expect((await call('DELETE', `/media/uploads/${wrong.id}`, tokens.a1)).status).toBe(204);
    expect((await call('GET', `/media/uploads/${wrong.id}`, tokens.a1)).status).toBe(404);

    const declared = (await create(small.length, undefined, { sha256: 'f'.repeat(64) })).body?.upload as Upload;
    await patch(declared.id, 0, small);
    const mismatch = await call('POST', `/media/uploads/${declared.id}/complete`, tokens.a1);
    expect(mismatch.status).toBe(400);
    expect(mismatch.body?.errors?.[0]?.message).toMatch(/not the SHA-256 declared/);
  }, 120_000);
});
