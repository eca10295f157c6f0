/**
 * Mends two faults of the PostgreSQL driver (postgres 3.4.9, the version package.json pins) until a
 * release carries fixes.
 *
 * 1. A crash (porsager/postgres issues 1066, 1154, 1208).
 * The driver buffers small writes and flushes them on the next turn of the event loop. When the
 * server drops a connection (a restart, pg_terminate_backend) and something still writes to it,
 * such as the ROLLBACK of a transaction the drop interrupted, the flush finds no socket and throws
 * a TypeError from a timer: nothing can catch it and the process stops. Its teardown also leaves
 * the buffer and its timer behind, so a reconnected socket could be sent stale bytes first.
 *
 * Here a flush without a socket fails what waits on the connection (the caller sees
 * CONNECTION_CLOSED, as for any dropped connection) instead of throwing, and teardown empties the
 * buffer.
 *
 * 2. A pool that slows down the longer it is busy. The pool keeps its connections in queues whose
 * `shift` leaves a hole at the front and only starts afresh when the queue empties; a query sent
 * along on a busy connection shifts it from the busy queue and pushes it back, so while every
 * connection stays busy (a hub under steady load) that queue grows by one slot per query, and each
 * move of a connection searches it from the start. After a minute and a half of load, a read
 * took a third more CPU (the search was 14 % of it). Here `shift` drops the holes once they are
 * half the queue, and `remove` searches from the first live slot.
 *
 * Runs after every install; does nothing to files it has mended already, and stops the
 * install if the driver's code is not what it expects (a new version: check whether this is still
 * needed, and update or remove it).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

// the package's directory: three levels above its CommonJS entry (cjs/src/index.js)
const root = dirname(dirname(dirname(createRequire(import.meta.url).resolve('postgres'))));
const inVariants = (file) => [`src/${file}`, `cjs/src/${file}`, `cf/src/${file}`].map((path) => join(root, path));

const WRITE_GUARD = '/* envhub: write guard */';
const QUEUE = '/* envhub: queue without holes */';

const mends = [
  {
    name: 'write guard',
    mark: WRITE_GUARD,
    files: inVariants('connection.js'),
    edits: [
      {
        what: 'flush without a socket',
        from: '  function nextWrite(fn) {\n    const x = socket.write(chunk, fn)\n',
        to:
          `  function nextWrite(fn) {\n    ${WRITE_GUARD}\n` +
          '    if (!socket) {\n' +
          '      chunk = nextWriteTimer = null\n' +
          "      error(Errors.connection('CONNECTION_CLOSED', options))\n" +
          '      return false\n' +
          '    }\n' +
          '    const x = socket.write(chunk, fn)\n',
        count: 1,
      },
      {
        what: 'teardown leaving the buffer behind',
        from: '    clearImmediate(nextWriteTimer)\n',
        to: '    clearImmediate(nextWriteTimer)\n    chunk = nextWriteTimer = null\n',
        count: 2,
      },
    ],
  },
  {
    name: 'queue without holes',
    mark: QUEUE,
    files: inVariants('queue.js'),
    edits: [
      {
        what: 'remove searching the holes',
        from: '    remove: (x) => {\n      const index = xs.indexOf(x)\n',
        to: `    remove: (x) => {\n      ${QUEUE}\n      const index = xs.indexOf(x, start())\n`,
        count: 1,
      },
      {
        what: 'shift keeping the holes',
        from: '      } else {\n        xs[index - 1] = undefined\n      }\n',
        to:
          '      } else {\n' +
          '        xs[index - 1] = undefined\n' +
          '        if (index >= 32 && index * 2 >= xs.length) {\n' +
          '          xs = xs.slice(index)\n' +
          '          index = 0\n' +
          '        }\n' +
          '      }\n',
        count: 1,
      },
      {
        what: 'the first live slot',
        from: '  let index = 0\n\n  return {\n',
        to: '  let index = 0\n  const start = () => index\n\n  return {\n',
        count: 1,
      },
    ],
  },
];

for (const mend of mends) {
  let mended = 0;
  for (const file of mend.files) {
    const text = readFileSync(file, 'utf8');
    if (text.includes(mend.mark)) continue;
    let next = text;
    for (const edit of mend.edits) {
      const found = next.split(edit.from).length - 1;
      if (found !== edit.count) {
        console.error(
          `scripts/patch-postgres.mjs: ${file} is not the postgres 3.4.9 this mends (${edit.what}: found ${found} places, expected ${edit.count}).`,
        );
        process.exit(1);
      }
      next = next.split(edit.from).join(edit.to);
    }
    writeFileSync(file, next);
    mended += 1;
  }
  if (mended > 0) console.log(`postgres driver: ${mend.name} applied to ${mended} file(s)`);
}
