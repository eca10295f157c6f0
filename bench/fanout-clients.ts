/**
 * The subscriber side of bench/fanout.ts, in its own process so client work does not slow the hub:
 * opens N graphql-ws connections, subscribes each to exceedanceEvents, and records for every event
 * the delay from its commit (occurredAt) to arrival. Speaks the protocol directly over `ws`, and
 * parses every message as a dashboard would.
 */
import WebSocket from 'ws';

const [port, token, countText, expectedText] = process.argv.slice(2);
const count = Number(countText);
const expected = Number(expectedText);
const latencies: number[] = [];
/** per event (keyed by its commit time): the earliest and the latest arrival */
const arrivals = new Map<string, [number, number]>();
let ready = 0;
let received = 0;

function open(index: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/graphql`, 'graphql-transport-ws');
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { Authorization: `Bearer ${token}` } })));
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string; payload?: { data?: { exceedanceEvents?: { occurredAt: string } } } };
      if (message.type === 'connection_ack') {
        socket.send(JSON.stringify({ id: `s${index}`, type: 'subscribe', payload: { query: 'subscription { exceedanceEvents { eventId occurredAt } }' } }));
        ready += 1;
        resolve();
      } else if (message.type === 'next') {
        const at = message.payload?.data?.exceedanceEvents?.occurredAt;
        if (at) {
          const latency = Date.now() - Date.parse(at);
          latencies.push(latency);
          const seen = arrivals.get(at);
          if (seen) seen[1] = Math.max(seen[1], latency);
          else arrivals.set(at, [latency, latency]);
        }
        received += 1;
        if (received === expected * count) finish();
      } else if (message.type === 'ping') socket.send(JSON.stringify({ type: 'pong' }));
    });
    socket.on('error', reject);
  });
}

function finish(): void {
  const at = (list: number[], p: number) => list[Math.min(list.length - 1, Math.floor((p / 100) * list.length))];
  const sorted = (list: number[]) => list.sort((a, b) => a - b);
  latencies.sort((a, b) => a - b);
  // the first subscriber of an event shows the hub's path from commit to the wire; the spread from
  // the first to the last subscriber shows the cost of writing to every connection
  const first = sorted([...arrivals.values()].map(([earliest]) => earliest));
  const spread = sorted([...arrivals.values()].map(([earliest, latest]) => latest - earliest));
  process.stdout.write(
    `${JSON.stringify({ received, p50: at(latencies, 50), p99: at(latencies, 99), max: latencies.at(-1), firstP50: at(first, 50), firstP99: at(first, 99), spreadP50: at(spread, 50), spreadP99: at(spread, 99) })}\n`,
  );
  process.exit(0);
}

for (let i = 0; i < count; i += 50) await Promise.all(Array.from({ length: Math.min(50, count - i) }, (_, j) => open(i + j)));
process.stdout.write(`READY ${ready}\n`);
setTimeout(finish, 120_000).unref();
