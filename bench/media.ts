/**
 * A 200 MiB video through the resumable upload (8 MiB chunks) and back through `GET /media/<id>`:
 * MiB/s each way and the process's peak RSS above its level before, per store. Peak RSS that does
 * not grow with the file is the point: neither direction holds the file. Prints figures; asserts
 * nothing.
 *
 * Runs on the server engine by default: the embedded engine keeps its database in this process,
 * so the file itself would count in RSS.
 *
 *   npm run bench:media -- [MiB]   env: BENCH_ENGINES (postgres), BENCH_STORES (database,filesystem)
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchHub, type Engine } from './support';

const MiB = 1024 * 1024;
const SIZE = Number(process.argv[2] ?? 200) * MiB;
const CHUNK = 8 * MiB;
const ENGINES = (process.env.BENCH_ENGINES ?? 'postgres').split(',') as Engine[];
const STORES = (process.env.BENCH_STORES ?? 'database,filesystem').split(',');

/** The file's bytes at `offset`: an MP4 header, then one random block repeated, so the client holds one chunk. */
const BLOCK = randomBytes(CHUNK);
function chunkAt(offset: number): Buffer {
  const bytes = Buffer.from(BLOCK.subarray(0, Math.min(CHUNK, SIZE - offset)));
  bytes.writeUInt32BE(offset / CHUNK, 24);
  if (offset === 0) Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypmp42')]).copy(bytes);
  return bytes;
}

function sampleRss() {
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  return () => {
    clearInterval(timer);
    return (peak - baseline) / MiB;
  };
}

async function run(engine: Engine, store: string): Promise<void> {
  const dir = store === 'filesystem' ? await mkdtemp(join(tmpdir(), 'envhub-bench-media-')) : '';
  const { hub, token, stop } = await benchHub(engine, { HUB_MODULES: 'grid', MEDIA_STORE: store, ...(dir ? { MEDIA_DIR: dir } : {}) });
  try {
    const auth = { authorization: `Bearer ${await token(['district'])}` };
    const base = `http://127.0.0.1:${hub.port}`;
    global.gc?.();
    let rss = sampleRss();
    let started = performance.now();
    const created = await fetch(`${base}/media/uploads`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ size: SIZE, fileName: 'bench.mp4' }),
    });
    const { upload } = (await created.json()) as { upload: { id: string } };
    const sent = createHash('sha256');
    for (let offset = 0; offset < SIZE; offset += CHUNK) {
      const bytes = chunkAt(offset);
      sent.update(bytes);
      const response = await fetch(`${base}/media/uploads/${upload.id}`, {
        method: 'PATCH',
        headers: { ...auth, 'upload-offset': String(offset) },
        body: bytes,
      });
      if (response.status !== 200) throw new Error(`chunk at ${offset}: ${response.status} ${await response.text()}`);
    }
    const completed = await fetch(`${base}/media/uploads/${upload.id}/complete`, { method: 'POST', headers: auth });
    const { media } = (await completed.json()) as { media: { id: string; sha256: string } };
    const uploadSeconds = (performance.now() - started) / 1000;
    const uploadRss = rss();
    global.gc?.();
    rss = sampleRss();
    started = performance.now();
    const download = await fetch(`${base}/media/${media.id}`, { headers: auth });
    const received = createHash('sha256');
    let bytes = 0;
    for await (const piece of download.body as unknown as AsyncIterable<Uint8Array>) {
      received.update(piece);
      bytes += piece.length;
    }
    const downloadSeconds = (performance.now() - started) / 1000;
    const downloadRss = rss();
    const same = received.digest('hex') === media.sha256 && media.sha256 === sent.digest('hex') && bytes === SIZE;
    console.log(
      `${engine}, ${store} store, ${SIZE / MiB} MiB in ${CHUNK / MiB} MiB chunks: upload ${(SIZE / MiB / uploadSeconds).toFixed(1)} MiB/s (complete included), peak RSS +${uploadRss.toFixed(0)} MiB; ` +
        `download ${(SIZE / MiB / downloadSeconds).toFixed(1)} MiB/s, peak RSS +${downloadRss.toFixed(0)} MiB; bytes identical: ${same}`,
    );
  } finally {
    await stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}

for (const engine of ENGINES) for (const store of STORES) await run(engine, store);
