import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServerDatabase, ENGINES, startTestHub, type TestHub } from '../../support/hub';
import { GRID_ONLY, RESULT_FIELDS, result, standardGrid } from './support';

/** A photo as a phone takes it, made here: 1200 x 800 with noise, so it does not compress to nothing. */
const makeJpeg = () =>
  sharp({ create: { width: 1200, height: 800, channels: 3, background: '#4a7a3c', noise: { type: 'gaussian', mean: 120, sigma: 40 } } })
    .jpeg({ quality: 85 })
    .toBuffer();
/** A portrait PNG with transparency (a screenshot of a drawing). */
const makePng = () =>
  sharp({ create: { width: 600, height: 1000, channels: 4, background: { r: 200, g: 30, b: 30, alpha: 0.5 } } })
    .png()
    .toBuffer();
/** A short MP4: the header the hub types it by, then bytes. */
const VIDEO = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypmp42'), Buffer.alloc(12), randomBytes(40_000)]);
/** Starts as a JPEG, then nothing a decoder can read. */
const CORRUPT = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF'), randomBytes(50_000)]);

/** An image bomb: a 300-byte PNG whose header declares 30000 x 30000 pixels (2.7 GB decoded). */
function pngBomb(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(30_000, 0);
  header.writeUInt32BE(30_000, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.alloc(90_001))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
type Kind = 'jpeg' | 'png' | 'video' | 'corrupt' | 'bomb';
interface Link {
  id: string;
  contentType: string;
  url: string;
  thumbnailUrl: string | null;
  urlExpiresAt: string;
}

/**
 * Photo thumbnails over the public surface: GraphQL hands out `thumbnailUrl`, `/media/<id>/thumbnail`
 * serves it. The embedded engine keeps its files on disk (filesystem store), the server in rows
 * (database store); each hub is restarted once on the same data to show a thumbnail is made once.
 */
describe.each(ENGINES)('photo thumbnails on %s', (engine) => {
  const secret = randomBytes(24).toString('base64url');
  let hub: TestHub;
  let base = '';
  let dataDir = '';
  let server: { url: string; drop: () => Promise<void> } | undefined;
  const files: Record<Kind, Buffer> = { jpeg: Buffer.alloc(0), png: Buffer.alloc(0), video: VIDEO, corrupt: CORRUPT, bomb: pngBomb() };
  const ids = {} as Record<Kind, string>;
  const tokens = { admin: '', townA: '', a1: '', b1: '', enterprise: '' };

  const start = async () => {
    hub = await startTestHub(
      engine === 'pglite'
        ? { engine, env: { ...GRID_ONLY, JWT_SECRET: secret, HUB_DATA_DIR: dataDir, MEDIA_STORE: 'filesystem' } }
        : { engine, databaseUrl: server?.url, env: { ...GRID_ONLY, JWT_SECRET: secret } },
    );
    base = `http://127.0.0.1:${hub.hub.port}`;
  };
  const get = async (path: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${base}${path}`, { headers });
    return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
  };
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const failure = (bytes: Buffer) => (JSON.parse(bytes.toString('utf8')) as { errors: { message: string; extensions: { code: string } }[] }).errors[0];
  const links = async (token: string): Promise<Link[]> => {
    const response = await hub.graphql<{ gridPatrols: { edges: { node: { media: Link[] } }[] } }>(
      `{ gridPatrols { edges { node { media { id contentType url thumbnailUrl urlExpiresAt } } } } }`,
      {},
      token,
    );
    return result<{ edges: { node: { media: Link[] } }[] }>(response, 'gridPatrols').edges.flatMap((e) => e.node.media);
  };
  const linkOf = async (kind: Kind, token = tokens.townA) => (await links(token)).find((m) => m.id === ids[kind]) as Link;
  const thumbnailRows = async () => Number((await hub.hub.db.query<{ n: number }>('SELECT count(*)::int AS n FROM grid_media_thumbnails'))[0]?.n);

  beforeAll(async () => {
    files.jpeg = await makeJpeg();
    files.png = await makePng();
    if (engine === 'pglite') dataDir = await mkdtemp(join(tmpdir(), 'envhub-thumbs-'));
    else server = await createServerDatabase(engine);
    await start();
    tokens.admin = await hub.token({ roles: ['admin'], sub: 'admin-1' });
    await standardGrid(hub, tokens.admin).build();
    tokens.townA = await hub.token({ roles: ['town'], sub: 'town-a' });
    tokens.a1 = await hub.token({ roles: ['assistant'], sub: 'asst-a1' });
    tokens.b1 = await hub.token({ roles: ['assistant'], sub: 'asst-b1' });
    tokens.enterprise = await hub.token({ roles: ['enterprise'], enterprise: '91510112MA61XXXX0A', sub: 'ent-1' });
    const form = new FormData();
    const kinds: Kind[] = ['jpeg', 'png', 'video', 'corrupt', 'bomb'];
    for (const kind of kinds) form.append('file', new Blob([files[kind]]), `${kind}.bin`);
    const uploaded = await fetch(`${base}/media`, { method: 'POST', headers: bearer(tokens.a1), body: form });
    expect(uploaded.status).toBe(201);
    const media = ((await uploaded.json()) as { media: { id: string }[] }).media;
    kinds.forEach((kind, index) => (ids[kind] = media[index]?.id as string));
    const recorded = await hub.graphql(
      `mutation($input: GridPatrolInput!) { recordGridPatrol(input: $input) { ${RESULT_FIELDS} } }`,
      {
        input: {
          cellCode: 'G01001001',
          patrolledAt: new Date(Date.now() - 600_000).toISOString(),
          longitude: 104.2,
          latitude: 30.5,
          checklist: { productionStatus: 'PRODUCING', dischargeStatus: 'NORMAL', treatmentFacility: 'RUNNING', hazardousWaste: 'COMPLIANT' },
          media: kinds.map((kind) => ids[kind]),
        },
      },
      tokens.a1,
    );
    expect(result(recorded, 'recordGridPatrol')).toMatchObject({ __typename: 'MutationRecordGridPatrolSuccess' });
  }, 180_000);

  afterAll(async () => {
    await hub?.stop();
    await server?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('gives each photo a signed thumbnailUrl that expires with its url, and a video none', async () => {
    const media = await links(tokens.townA);
    const kinds = Object.keys(ids) as Kind[];
    expect(Object.fromEntries(kinds.map((kind) => [kind, media.find((m) => m.id === ids[kind])?.thumbnailUrl === null]))).toEqual({
      jpeg: false,
      png: false,
      video: true,
      corrupt: false,
      bomb: false,
    });
    const photo = await linkOf('jpeg');
    expect(photo.thumbnailUrl).toMatch(new RegExp(`^/media/${ids.jpeg}/thumbnail\\?expires=\\d+&signature=[A-Za-z0-9_-]{43}$`));
    // one instant signs both: the same expiry, a different signature
    expect(photo.thumbnailUrl?.match(/expires=(\d+)/)?.[1]).toBe(String(new Date(photo.urlExpiresAt).getTime() / 1000));
    expect(photo.url.match(/expires=(\d+)/)?.[1]).toBe(String(new Date(photo.urlExpiresAt).getTime() / 1000));
  });

  it('serves a JPEG of at most 320 px on its longest side, with an ETag and private caching, made once', async () => {
    expect(await thumbnailRows()).toBe(0);
    // a list's first look asks for every photo at once, some twice
    const kinds = ['jpeg', 'png', 'jpeg', 'png', 'jpeg', 'png'] as const;
    const together = await Promise.all(kinds.map((kind) => get(`/media/${ids[kind]}/thumbnail`, bearer(tokens.a1))));
    expect(together.map((answer) => answer.status)).toEqual(kinds.map(() => 200));
    for (const kind of ['jpeg', 'png'] as const)
      expect(new Set(together.filter((_a, i) => kinds[i] === kind).map((answer) => answer.headers.get('etag'))).size).toBe(1);
    expect(await thumbnailRows()).toBe(2);
    for (const [kind, width, height] of [
      ['jpeg', 320, 213],
      ['png', 192, 320],
    ] as const) {
      const link = await linkOf(kind);
      const thumb = await get(link.thumbnailUrl as string);
      expect(thumb.status).toBe(200);
      expect(thumb.headers.get('content-type')).toBe('image/jpeg');
      const decoded = await sharp(thumb.bytes).metadata();
      expect([decoded.format, decoded.width, decoded.height]).toEqual(['jpeg', width, height]);
      expect(thumb.bytes.length).toBeLessThan(files[kind].length);
      expect(thumb.headers.get('etag')).toBe(`"${sha256(thumb.bytes)}"`);
      expect(thumb.headers.get('content-length')).toBe(String(thumb.bytes.length));
      expect(thumb.headers.get('cache-control')).toMatch(/^private, max-age=\d+$/);
      expect(Number(thumb.headers.get('cache-control')?.split('=')[1])).toBeLessThanOrEqual(960);
      const cached = await get(link.thumbnailUrl as string, { 'if-none-match': thumb.headers.get('etag') as string });
      expect([cached.status, cached.bytes.length]).toEqual([304, 0]);
      const again = await get(`/media/${ids[kind]}/thumbnail`, bearer(tokens.a1));
      expect([again.status, again.bytes.equals(thumb.bytes)]).toEqual([200, true]);
      const part = await get(link.thumbnailUrl as string, { range: 'bytes=0-99' });
      expect([part.status, part.bytes.equals(thumb.bytes.subarray(0, 100))]).toEqual([206, true]);
      // the original is untouched
      const original = await get(link.url);
      expect([original.status, original.bytes.equals(files[kind])]).toEqual([200, true]);
    }
    expect(await thumbnailRows()).toBe(2);
  });

  it('keeps a thumbnail across a restart instead of making it again', async () => {
    const before = await get(`/media/${ids.jpeg}/thumbnail`, bearer(tokens.a1));
    const [made] = await hub.hub.db.query<{ created_at: Date }>(`SELECT created_at FROM grid_media_thumbnails WHERE source_sha256 = $1`, [sha256(files.jpeg)]);
    await hub.hub.stop();
    await start();
    const after = await get(`/media/${ids.jpeg}/thumbnail`, bearer(tokens.a1));
    expect([after.status, after.headers.get('etag'), after.bytes.equals(before.bytes)]).toEqual([200, before.headers.get('etag'), true]);
    const [kept] = await hub.hub.db.query<{ created_at: Date }>(`SELECT created_at FROM grid_media_thumbnails WHERE source_sha256 = $1`, [sha256(files.jpeg)]);
    expect(new Date(kept?.created_at as Date).getTime()).toBe(new Date(made?.created_at as Date).getTime());
  }, 120_000);

  it('shows a thumbnail to exactly those who may see the original', async () => {
    for (const kind of ['jpeg', 'png'] as const) {
      for (const token of [tokens.b1, tokens.enterprise]) {
        const original = await get(`/media/${ids[kind]}`, bearer(token));
        const thumb = await get(`/media/${ids[kind]}/thumbnail`, bearer(token));
        expect([original.status, failure(original.bytes)?.extensions.code]).toEqual([404, 'NOT_FOUND']);
        expect([thumb.status, thumb.bytes.equals(original.bytes)]).toEqual([404, true]);
      }
      expect((await get(`/media/${ids[kind]}/thumbnail`, bearer(tokens.townA))).status).toBe(200);
      expect((await get(`/media/${ids[kind]}/thumbnail`)).status).toBe(401);
    }
    // an assistant of another town has no patrol with these files, so no link either
    expect(await links(tokens.b1)).toEqual([]);
    // the original's signature does not open its thumbnail, nor another file's
    const photo = await linkOf('jpeg');
    const borrowed = await get(photo.url.replace(`/media/${ids.jpeg}`, `/media/${ids.jpeg}/thumbnail`));
    expect([borrowed.status, failure(borrowed.bytes)?.extensions.code]).toEqual([403, 'MEDIA_URL_INVALID']);
    const moved = await get((photo.thumbnailUrl as string).replace(ids.jpeg, ids.png));
    expect([moved.status, failure(moved.bytes)?.extensions.code]).toEqual([403, 'MEDIA_URL_INVALID']);
  });

  it('makes none for a video and says so', async () => {
    const video = await get(`/media/${ids.video}/thumbnail`, bearer(tokens.townA));
    expect(video.status).toBe(404);
    expect(failure(video.bytes)).toMatchObject({ extensions: { code: 'NO_THUMBNAIL' }, message: expect.stringMatching(/video\/mp4 file has no thumbnail/) });
    // not found for one who may not see it, as any other file
    expect(failure((await get(`/media/${ids.video}/thumbnail`, bearer(tokens.b1))).bytes)?.extensions.code).toBe('NOT_FOUND');
  });

  it('refuses a corrupt photo and an image bomb with a reason, keeps serving their originals and everything else', async () => {
    for (const [kind, reason] of [
      ['corrupt', /could not be decoded/],
      ['bomb', /more than 100000000 pixels/],
    ] as const) {
      const link = await linkOf(kind);
      for (let attempt = 0; attempt < 2; attempt += 1) {
        const thumb = await get(link.thumbnailUrl as string);
        expect(thumb.status).toBe(422);
        expect(failure(thumb.bytes)).toMatchObject({ extensions: { code: 'THUMBNAIL_FAILED' }, message: expect.stringMatching(reason) });
        expect(thumb.headers.get('cache-control')).toBe('no-store');
      }
      const original = await get(link.url);
      expect([original.status, original.bytes.equals(files[kind])]).toEqual([200, true]);
    }
    // tried once each: the reason is kept with the file's hash
    const failed = await hub.hub.db.query<{ source_sha256: string; sha256: string | null; error: string }>(
      'SELECT source_sha256, sha256, error FROM grid_media_thumbnails WHERE error IS NOT NULL ORDER BY error',
    );
    expect(failed.map((row) => [row.source_sha256, row.sha256])).toEqual(
      expect.arrayContaining([
        [sha256(CORRUPT), null],
        [sha256(files.bomb), null],
      ]),
    );
    expect((await get(`/healthz`)).status).toBe(200);
    expect((await get(`/media/${ids.jpeg}/thumbnail`, bearer(tokens.townA))).status).toBe(200);
  });
});
