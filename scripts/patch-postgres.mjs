/**
 * Mends a crash in the PostgreSQL driver (postgres 3.4.9, the version package.json pins) until a
 * release carries a fix (porsager/postgres issues 1066, 1154, 1208).
 *
 * The driver buffers small writes and flushes them on the next turn of the event loop. When the
 * server drops a connection (a restart, pg_terminate_backend) and something still writes to it,
 * such as the ROLLBACK of a transaction the drop interrupted, the flush finds no socket and throws
 * a TypeError from a timer: nothing can catch it and the process stops. Its teardown also leaves
 * the buffer and its timer behind, so a reconnected socket could be sent stale bytes first.
 *
 * Here a flush without a socket fails what waits on the connection (the caller sees
 * CONNECTION_CLOSED, as for any dropped connection) instead of throwing, and teardown empties the
 * buffer. Runs after every install; does nothing to files it has mended already, and stops the
 * install if the driver's code is not what it expects (a new version: check whether this is still
 * needed, and update or remove it).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const MARK = '/* envhub: write guard */';
// the package's directory: three levels above its CommonJS entry (cjs/src/index.js)
const root = dirname(dirname(dirname(createRequire(import.meta.url).resolve('postgres'))));
const files = ['src/connection.js', 'cjs/src/connection.js', 'cf/src/connection.js'].map((file) => join(root, file));

const edits = [
  {
    what: 'flush without a socket',
    from: '  function nextWrite(fn) {\n    const x = socket.write(chunk, fn)\n',
    to:
      `  function nextWrite(fn) {\n    ${MARK}\n` +
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
];

let mended = 0;
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  if (text.includes(MARK)) continue;
  let next = text;
  for (const edit of edits) {
    const found = next.split(edit.from).length - 1;
    if (found !== edit.count) {
      console.error(`scripts/patch-postgres.mjs: ${file} is not the postgres 3.4.9 this mends (${edit.what}: found ${found} places, expected ${edit.count}).`);
      process.exit(1);
    }
    next = next.split(edit.from).join(edit.to);
  }
  writeFileSync(file, next);
  mended += 1;
}
if (mended > 0) console.log(`postgres driver: write guard applied to ${mended} file(s)`);
