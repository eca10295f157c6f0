import dgram from 'node:dgram';
import dns from 'node:dns';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLoopback } from '../support/network-guard';

// TEST-NET-1 (RFC 5737): documentation addresses that route nowhere
const OUTSIDE = '192.0.2.1';

describe('the network guard of the test setup', () => {
  let server: net.Server;
  let port: number;
  beforeAll(async () => {
    server = net.createServer((socket) => socket.end('hello'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as net.AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('refuses a TCP connect beyond loopback before anything is sent, naming the caller', () => {
    let refused: unknown;
    try {
      net.connect(80, OUTSIDE);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).message).toContain(`TCP connect to ${OUTSIDE}:80 refused`);
    expect((refused as Error).message).toContain('network-guard.test.ts');
    expect(() => net.connect({ host: OUTSIDE, port: 443 })).toThrow(/network guard/);
    expect(() => new net.Socket().connect(5432, OUTSIDE)).toThrow(/network guard/);
  });

  it('refuses fetch and HTTP beyond loopback', async () => {
    await expect(fetch(`http://${OUTSIDE}/`)).rejects.toThrow();
    const error = await fetch(`http://${OUTSIDE}/`).catch((e: Error) => e);
    expect(String((error as Error & { cause?: unknown }).cause)).toMatch(/network guard/);
  });

  it('refuses UDP and DNS beyond loopback', async () => {
    const socket = dgram.createSocket('udp4');
    try {
      expect(() => socket.send('x', 53, OUTSIDE)).toThrow(/UDP send to 192\.0\.2\.1 refused/);
      expect(() => socket.connect(53, OUTSIDE)).toThrow(/UDP connect/);
    } finally {
      socket.close();
    }
    expect(() => dns.lookup('example.com', () => {})).toThrow(/DNS lookup of example\.com refused/);
    expect(() => dns.resolve4('localhost', () => {})).toThrow(/DNS query/);
    await expect(dns.promises.lookup('example.org')).rejects.toThrow(/DNS lookup of example\.org refused/);
    await expect(dns.promises.resolve('example.org')).rejects.toThrow(/DNS query/);
    await expect(dns.promises.lookup('localhost')).resolves.toBeDefined();
  });

  it('lets loopback through', async () => {
    const greeting = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1');
      let data = '';
      socket.on('data', (chunk) => (data += chunk.toString()));
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
    });
    expect(greeting).toBe('hello');
    const viaName = await new Promise<string>((resolve, reject) => {
      const socket = net.connect({ host: 'localhost', port, family: 4 });
      let data = '';
      socket.on('data', (chunk) => (data += chunk.toString()));
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
    });
    expect(viaName).toBe('hello');
  });

  it('knows loopback addresses', () => {
    for (const host of ['127.0.0.1', '127.255.0.9', '::1', '[::1]', '::ffff:127.0.0.1']) expect(isLoopback(host)).toBe(true);
    for (const host of [OUTSIDE, '10.0.0.1', '::2', '169.254.169.254', 'example.com', '128.0.0.1']) expect(isLoopback(host)).toBe(false);
  });

  it('switches the gateway telemetry off before any test constructs a gateway', () => {
    expect(process.env.APOLLO_TELEMETRY_DISABLED).toBe('true');
  });
});
