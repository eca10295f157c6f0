import { createCipheriv, createHash } from 'node:crypto';
import { request } from 'node:http';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestHub, type TestHub } from '../support/hub';
import { startWebhookReceiver, until } from '../support/webhook';
import { result, standardGrid } from '../modules/grid/support';

const HOUR = 3_600_000;
const MiB = 1024 * 1024;
/** What the app sends per PATCH: small enough for a weak connection to carry in one go. */
const CHUNK = 8 * MiB;

/**
 * The one-minute site video, 50 MiB: an MP4 header, then a keystream of AES-128-CTR under a fixed
 * key, so every run sends the same bytes and no two chunks look alike.
 */
function siteVideo(): Buffer {
  const header = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypmp42'), Buffer.alloc(12)]);
  const cipher = createCipheriv('aes-128-ctr', Buffer.from('envhub-site-clip'), Buffer.alloc(16));
  return Buffer.concat([header, cipher.update(Buffer.alloc(50 * MiB - header.length)), cipher.final()]);
}
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** A day of a grid assistant, over the public surface only: what the app does, in order. */
describe.each(ENGINES)('a day of a grid assistant on %s', (engine) => {
  let hub: TestHub;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  const tokens = { admin: '', town: '', assistant: '' };
  let taskId = '';
  let base = '';
  const video = siteVideo();

  /** The app's side of a resumable upload: the requests it makes, with the assistant's token. */
  const app = {
    call: async (method: string, path: string, body?: Buffer | string, headers: Record<string, string> = {}) => {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${tokens.assistant}`, ...headers },
        ...(body === undefined ? {} : { body }),
      });
      const text = await response.text();
      return {
        status: response.status,
        headers: response.headers,
        body: (text ? JSON.parse(text) : {}) as {
          upload?: { id: string; offset: number };
          media?: { id: string; sha256: string; contentType: string; size: number };
        },
      };
    },
    /** asks the hub how far an upload got, as after any dropped connection */
    offset: async (id: string) => {
      const response = await fetch(`${base}/media/uploads/${id}`, { method: 'HEAD', headers: { authorization: `Bearer ${tokens.assistant}` } });
      expect(response.status).toBe(200);
      return Number(response.headers.get('upload-offset'));
    },
    patch: (id: string, offset: number) =>
      app.call('PATCH', `/media/uploads/${id}`, video.subarray(offset, Math.min(offset + CHUNK, video.length)), {
        'upload-offset': String(offset),
        'content-type': 'application/offset+octet-stream',
      }),
    /** sends part of a chunk and loses the connection in the middle of it, as a phone going into a lift */
    cutMidChunk: (id: string, offset: number, sent: number) =>
      new Promise<void>((resolve) => {
        const chunk = video.subarray(offset, offset + CHUNK);
        const req = request(`${base}/media/uploads/${id}`, {
          method: 'PATCH',
          headers: {
            authorization: `Bearer ${tokens.assistant}`,
            'upload-offset': String(offset),
            'content-length': String(chunk.length),
            'content-type': 'application/offset+octet-stream',
          },
        });
        req.on('error', () => resolve());
        req.on('close', () => resolve());
        req.write(chunk.subarray(0, sent), () => req.socket?.destroy());
      }),
  };

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    hub = await startTestHub({
      engine,
      env: { HUB_MODULES: 'grid,notify', NOTIFY_WEBHOOK_URL: receiver.url, NOTIFY_WEBHOOK_SECRET: 'gateway-secret-0123456789' },
    });
    base = `http://127.0.0.1:${hub.hub.port}`;
    tokens.admin = await hub.token({ roles: ['admin'], sub: 'admin-1' });
    await standardGrid(hub, tokens.admin).build();
    tokens.town = await hub.token({ roles: ['town'], sub: 'town-a' });
    tokens.assistant = await hub.token({ roles: ['assistant'], sub: 'asst-a1' });
  }, 120_000);
  afterAll(async () => {
    await hub?.stop();
    await receiver?.close();
  });

  it('gets the task through the gateway, accepts, patrols, submits, is verified and reads the score', async () => {
    const act = async (field: string, token: string, key?: string) => {
      const response = await hub.graphql(
        `mutation($id: ID!, $key: String) { ${field}(id: $id, idempotencyKey: $key) { __typename } }`,
        { id: taskId, key },
        token,
      );
      return result<{ __typename: string }>(response, field).__typename;
    };
    // 08:30 the town officer dispatches; the phone in the pocket gets it through the gateway
    const dispatched = await hub.graphql(
      `mutation($input: GridDispatchTaskInput!) { dispatchGridTask(input: $input) { ... on MutationDispatchGridTaskSuccess { data { id } } } }`,
      {
        input: {
          type: 'ROUTINE_PATROL',
          title: '甲一村日常巡查',
          target: { kind: 'PLACE', longitude: 104.2, latitude: 30.5 },
          deadline: new Date(Date.now() + 8 * HOUR).toISOString(),
        },
      },
      tokens.town,
    );
    taskId = result<{ data: { id: string } }>(dispatched, 'dispatchGridTask').data.id;
    await until(() => receiver.calls.some((c) => c.body.includes('甲一村日常巡查')), 'the SMS/push gateway call');
    const inbox = await hub.graphql(`{ myNotifications(first: 5, unreadOnly: true) { edges { node { id kind subjectId } } } }`, {}, tokens.assistant);
    const note = result<{ edges: { node: { id: string; kind: string; subjectId: string } }[] }>(inbox, 'myNotifications').edges[0]?.node;
    expect(note).toMatchObject({ kind: 'TASK_ASSIGNED', subjectId: taskId });
    expect(
      result<number>(
        await hub.graphql(`mutation($ids: [ID!]) { markNotificationsRead(ids: $ids) }`, { ids: [note?.id] }, tokens.assistant),
        'markNotificationsRead',
      ),
    ).toBe(1);

    // accept and start
    expect(await act('acceptGridTask', tokens.assistant, 'day-accept-0001')).toBe('MutationAcceptGridTaskSuccess');
    expect(await act('startGridTask', tokens.assistant, 'day-start-00001')).toBe('MutationStartGridTaskSuccess');

    // the site video, 50 MiB, in chunks over a connection that drops in the middle of one
    const created = await app.call('POST', '/media/uploads', JSON.stringify({ size: video.length, fileName: '甲一村排口.mp4', sha256: sha256(video) }), {
      'content-type': 'application/json',
      'idempotency-key': 'day-video-00001',
    });
    expect(created.status).toBe(201);
    const uploadId = created.body.upload?.id as string;
    const first = await app.patch(uploadId, 0);
    expect([first.status, first.body.upload?.offset]).toEqual([200, CHUNK]);
    await app.cutMidChunk(uploadId, CHUNK, 5 * MiB + 4321);
    let offset = await app.offset(uploadId);
    // what arrived before the cut is kept (up to the last piece stored), nothing past what was sent
    expect(offset).toBeGreaterThanOrEqual(CHUNK);
    expect(offset).toBeLessThanOrEqual(CHUNK + 5 * MiB + 4321);
    let requests = 0;
    while (offset < video.length) {
      const sent = await app.patch(uploadId, offset);
      // a conflict means the hub was still storing the cut chunk: ask again and go on from there
      offset = sent.status === 200 ? (sent.body.upload?.offset as number) : await app.offset(uploadId);
      requests += 1;
      expect(requests).toBeLessThan(20);
    }
    const completed = await app.call('POST', `/media/uploads/${uploadId}/complete`);
    expect(completed.status).toBe(200);
    expect(completed.body.media).toMatchObject({ sha256: sha256(video), contentType: 'video/mp4', size: video.length });
    const videoId = completed.body.media?.id as string;
    // and a photo of the outlet, sent whole
    const photo = await sharp({ create: { width: 1600, height: 1200, channels: 3, background: '#3b6e8f', noise: { type: 'gaussian', mean: 110, sigma: 35 } } })
      .jpeg({ quality: 85 })
      .toBuffer();
    const form = new FormData();
    form.append('file', new Blob([photo]), '排口.jpg');
    const posted = await fetch(`${base}/media`, { method: 'POST', headers: { authorization: `Bearer ${tokens.assistant}` }, body: form });
    expect(posted.status).toBe(201);
    const photoId = ((await posted.json()) as { media: { id: string }[] }).media[0]?.id as string;

    // the patrol, sent again after the network dropped
    const patrol = {
      task: taskId,
      patrolledAt: new Date(Date.now() - 10 * 60_000).toISOString(),
      longitude: 104.2,
      latitude: 30.5,
      checklist: { productionStatus: 'PRODUCING', dischargeStatus: 'NORMAL', treatmentFacility: 'RUNNING', hazardousWaste: 'COMPLIANT' },
      media: [videoId, photoId],
      idempotencyKey: 'day-patrol-00001',
    };
    const send = async () =>
      result<{ data: { id: string } }>(
        await hub.graphql(
          `mutation($input: GridPatrolInput!) { recordGridPatrol(input: $input) { ... on MutationRecordGridPatrolSuccess { data { id } } } }`,
          { input: patrol },
          tokens.assistant,
        ),
        'recordGridPatrol',
      ).data.id;
    const patrolId = await send();
    expect(await send()).toBe(patrolId);

    // the patrol's list shows the photo's thumbnail and plays the video from its signed url, seeking
    const shown = await hub.graphql(
      `query($id: ID!) { node(id: $id) { ... on GridPatrol { media { id contentType url thumbnailUrl } } } }`,
      { id: patrolId },
      tokens.assistant,
    );
    const media = result<{ media: { id: string; contentType: string; url: string; thumbnailUrl: string | null }[] }>(shown, 'node').media;
    const clip = media.find((m) => m.id === videoId);
    const still = media.find((m) => m.id === photoId);
    expect([clip?.contentType, clip?.thumbnailUrl, still?.contentType]).toEqual(['video/mp4', null, 'image/jpeg']);
    const thumbnail = await fetch(`${base}${still?.thumbnailUrl}`);
    expect(thumbnail.status).toBe(200);
    const { width, height } = await sharp(Buffer.from(await thumbnail.arrayBuffer())).metadata();
    expect([width, height]).toEqual([320, 240]);
    const received = createHash('sha256');
    const half = Math.floor(video.length / 2);
    for (const [from, to] of [
      [0, half - 1],
      [half, video.length - 1],
    ] as const) {
      const part = await fetch(`${base}${clip?.url}`, { headers: { range: `bytes=${from}-${to}` } });
      expect([part.status, part.headers.get('content-range'), part.headers.get('content-type')]).toEqual([
        206,
        `bytes ${from}-${to}/${video.length}`,
        'video/mp4',
      ]);
      for await (const piece of part.body as unknown as AsyncIterable<Uint8Array>) received.update(piece);
    }
    expect(received.digest('hex')).toBe(sha256(video));

    // submit, retried twice
    expect([
      await act('submitGridTask', tokens.assistant, 'day-submit-0001'),
      await act('submitGridTask', tokens.assistant, 'day-submit-0001'),
      await act('submitGridTask', tokens.assistant, 'day-submit-0001'),
    ]).toEqual(Array(3).fill('MutationSubmitGridTaskSuccess'));
    // the town officer verifies
    expect(await act('verifyGridTask', tokens.town)).toBe('MutationVerifyGridTaskSuccess');

    // the score, read back by the assistant
    const from = new Date(Date.now() - 24 * HOUR).toISOString();
    const to = new Date(Date.now() + HOUR).toISOString();
    const score = await hub.graphql(
      `query($period: GridPeriodInput!) { gridAssessment(period: $period, groupBy: ASSISTANT) { edges { node { name rank unranked assignedTasks completedTasks patrols score lines { part points } } } } }`,
      { period: { from, to } },
      tokens.assistant,
    );
    const [row] = result<{
      edges: { node: { name: string; rank: number; unranked: string | null; assignedTasks: number; completedTasks: number; patrols: number; score: number } }[];
    }>(score, 'gridAssessment').edges.map((e) => e.node);
    expect(row).toMatchObject({ name: '张伟', rank: 1, unranked: null, assignedTasks: 1, completedTasks: 1, patrols: 1 });
    expect(row?.score).toBeGreaterThan(0);
  }, 600_000);
});
