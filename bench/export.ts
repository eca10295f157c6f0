/**
 * A readings export streamed over HTTP, as a client downloads it: rows per second and the hub
 * process's peak RSS above its level before the export, for CSV and XLSX, at two sizes (a tenth,
 * then the whole). Peak RSS that does not grow with the rows is the point: the export holds one
 * page at a time, and a client reading slowly holds the export back. Prints figures; asserts nothing.
 *
 * Runs on the server engine by default: the embedded engine would count the database's own memory
 * in the same process. `npm run bench:export` caps V8's old space at 128 MB: without a cap V8
 * leaves garbage uncollected while the heap may grow, and RSS then says more about the collector
 * than about what the export keeps.
 *
 *   npm run bench:export -- [rows]   env: BENCH_ENGINES (postgres), BENCH_FORMATS (csv,xlsx)
 */
import { monitoringServiceRef } from '../src/monitoring/public';
import { benchHub, type Engine } from './support';

const ROWS = Number(process.argv[2] ?? 1_000_000);
const ENGINES = (process.env.BENCH_ENGINES ?? 'postgres').split(',') as Engine[];
const FORMATS = (process.env.BENCH_FORMATS ?? 'csv,xlsx').split(',');
const START = Date.UTC(2025, 0, 1);
const MB = 1024 * 1024;

async function run(engine: Engine): Promise<void> {
  const { hub, token, stop } = await benchHub(engine, { HUB_MODULES: 'reports', EXPORT_MAX_ROWS: String(ROWS), EXPORT_MAX_RANGE_DAYS: '3660' });
  try {
    const monitor = await hub.services
      .get(monitoringServiceRef)
      .createMonitor({ mn: 'BENCHEXPORT', password: 'bench-password', name: '导出基准', kind: 'OTHER', intervalSeconds: 60 });
    // a minute's value for ROWS minutes, written in one statement: the fixture, not what is measured
    await hub.db.query(
      `INSERT INTO monitoring_readings (time, monitor_id, factor, interval, value, flag)
       SELECT to_timestamp($1::double precision / 1000) + make_interval(mins => g), $2, 'w01018', 'RTD', 40 + (g % 170) / 10.0, CASE WHEN g % 97 = 0 THEN 'D' ELSE 'N' END
         FROM generate_series(0, $3::int - 1) AS g`,
      [START, monitor.id, ROWS],
    );
    await hub.db.query('ANALYZE monitoring_readings');
    const district = await token(['district']);
    const end = new Date(START + ROWS * 60_000 + 60_000).toISOString();
    console.log(`${engine}: ${ROWS.toLocaleString('en')} readings of one monitor and factor`);
    for (const format of FORMATS) {
      for (const rows of [Math.round(ROWS / 10), ROWS]) {
        const to = rows === ROWS ? end : new Date(START + rows * 60_000).toISOString();
        global.gc?.();
        const baseline = process.memoryUsage().rss;
        let peak = baseline;
        let peakHeap = 0;
        const sampler = setInterval(() => {
          const memory = process.memoryUsage();
          peak = Math.max(peak, memory.rss);
          peakHeap = Math.max(peakHeap, memory.heapUsed + memory.arrayBuffers);
        }, 20);
        const started = performance.now();
        const response = await fetch(
          `http://127.0.0.1:${hub.port}/export/readings?mn=BENCHEXPORT&factor=w01018&interval=RTD&from=${new Date(START).toISOString()}&to=${to}&format=${format}`,
          {
            headers: { authorization: `Bearer ${district}` },
          },
        );
        if (response.status !== 200) throw new Error(`export answered ${response.status}: ${await response.text()}`);
        let bytes = 0;
        let lines = 0;
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          bytes += chunk.length;
          if (format === 'csv') for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines += 1;
        }
        const seconds = (performance.now() - started) / 1000;
        clearInterval(sampler);
        peak = Math.max(peak, process.memoryUsage().rss);
        const counted = format === 'csv' ? `${(lines - 1).toLocaleString('en')} rows read back` : 'rows not counted (zip)';
        console.log(
          `  ${format.padEnd(4)} ${rows.toLocaleString('en').padStart(9)} rows: ${(rows / seconds).toFixed(0).padStart(7)} rows/s, ${(bytes / MB).toFixed(1)} MB in ${seconds.toFixed(1)} s, peak RSS +${((peak - baseline) / MB).toFixed(0)} MB over ${(baseline / MB).toFixed(0)} MB, peak heap ${(peakHeap / MB).toFixed(0)} MB (${counted})`,
        );
      }
    }
  } finally {
    await stop();
  }
}

for (const engine of ENGINES) await run(engine);
