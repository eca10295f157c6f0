/**
 * The client side of bench/reads.ts, in its own process so its work is not counted as the hub's:
 * keeps CONNS keep-alive connections busy with one request each for SECONDS, and prints the number
 * of answers, failures and latency percentiles as one JSON line.
 */
import http from 'node:http';

const [port, path, token, body, connsText, secondsText] = process.argv.slice(2) as [string, string, string, string, string, string];
const pool = new http.Agent({ keepAlive: true, maxSockets: Number(connsText) });
const deadline = Date.now() + Number(secondsText) * 1000;
const latencies: number[] = [];
let failures = 0;

function once(): Promise<void> {
  const started = performance.now();
  return new Promise((resolve) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port: Number(port),
        path,
        method: 'POST',
        agent: pool,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'content-length': Buffer.byteLength(body) },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => {
          if (response.statusCode !== 200 || text.includes('"errors"')) failures += 1;
          else latencies.push(performance.now() - started);
          resolve();
        });
      },
    );
    request.on('error', () => {
      failures += 1;
      resolve();
    });
    request.end(body);
  });
}

async function connection(): Promise<void> {
  while (Date.now() < deadline) await once();
}

await Promise.all(Array.from({ length: Number(connsText) }, connection));
latencies.sort((a, b) => a - b);
const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? Number.NaN;
process.stdout.write(`${JSON.stringify({ answers: latencies.length, failures, p50: at(0.5), p99: at(0.99) })}\n`);
pool.destroy();
