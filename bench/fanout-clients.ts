/**
 * The subscriber side of bench/fanout.ts, in its own process so client work does not slow the hub:
 * opens N graphql-ws connections, subscribes each to exceedanceEvents, and records for every event
 * the delay from its commit (occurredAt) to arrival. Speaks the protocol directly over `ws`.
 */
import WebSocket from 'ws';

const [port, token, countText, expectedText] = process.argv.slice(2);
const count = Number(countText);
const expected = Number(expectedText);
const latencies: number[] = [];
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
        if (at) latencies.push(Date.now() - Date.parse(at));
        received += 1;
        if (received === expected * count) finish();
      } else if (message.type === 'ping') socket.send(JSON.stringify({ type: 'pong' }));
    });
    socket.on('error', reject);
  });
}

function finish(): void {
  latencies.sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
  process.stdout.write(`${JSON.stringify({ received, p50: at(50), p99: at(99), max: latencies.at(-1) })}\n`);
  process.exit(0);
}

for (let i = 0; i < count; i += 50) await Promise.all(Array.from({ length: Math.min(50, count - i) }, (_, j) => open(i + j)));
process.stdout.write(`READY ${ready}\n`);
setTimeout(finish, 120_000).unref();
