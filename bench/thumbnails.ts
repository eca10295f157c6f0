/**
 * How long a photo's thumbnail takes to make, and what the process's RSS reaches meanwhile: the
 * function the hub calls on a thumbnail's first request, on photos made here (noise, so they do not
 * compress to nothing) and on an image bomb. Prints figures; asserts nothing.
 *
 *   npm run bench:thumbnails -- [runs]
 */
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { makeThumbnail, ThumbnailFailedError } from '../modules/grid/service/thumbnails';

const RUNS = Number(process.argv[2] ?? 8);
const MiB = 1024 * 1024;
const noisy = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: '#4a7a3c', noise: { type: 'gaussian', mean: 120, sigma: 40 } } });

function pngBomb(side: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(4);
    head.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const tail = Buffer.alloc(4);
    tail.writeUInt32BE(crc32(body));
    return Buffer.concat([head, body, tail]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header[8] = 8;
  header[9] = 2;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.alloc(side * 3 + 1))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const photos: [string, Buffer][] = [
  ['JPEG 4000x3000 (12 MP)', await noisy(4000, 3000).jpeg({ quality: 85 }).toBuffer()],
  ['JPEG 1920x1080', await noisy(1920, 1080).jpeg({ quality: 85 }).toBuffer()],
  ['PNG 4000x3000 (12 MP)', await noisy(4000, 3000).png().toBuffer()],
  ['WebP 4000x3000 (12 MP)', await noisy(4000, 3000).webp({ quality: 80 }).toBuffer()],
  ['PNG bomb 30000x30000', pngBomb(30_000)],
];

for (const [name, photo] of photos) {
  const times: number[] = [];
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const before = process.memoryUsage().rss;
  let outcome = '';
  for (let run = 0; run <= RUNS; run += 1) {
    const started = performance.now();
    try {
      const thumbnail = await makeThumbnail(photo);
      outcome = `${thumbnail.width}x${thumbnail.height}, ${(thumbnail.bytes.length / 1024).toFixed(1)} KiB`;
    } catch (error) {
      if (!(error instanceof ThumbnailFailedError)) throw error;
      outcome = `refused: ${error.message}`;
    }
    // the first run loads libvips and warms up: not counted
    if (run > 0) times.push(performance.now() - started);
  }
  clearInterval(timer);
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)] ?? 0;
  console.log(
    `${name}, ${(photo.length / MiB).toFixed(1)} MiB: median ${median.toFixed(1)} ms, max ${(times.at(-1) ?? 0).toFixed(1)} ms over ${RUNS}; RSS +${Math.max(0, (peak - before) / MiB).toFixed(0)} MiB; ${outcome}`,
  );
}
