/**
 * Nothing leaves the machine during a test: every TCP or UDP connection and every name lookup is
 * checked before anything is sent, and one to anything but loopback or the test database servers' hosts
 * throws, naming the caller. Loaded by vitest as a setup file (vitest.config.ts), so running a
 * single test file is as safe as the whole suite.
 *
 * Libraries with a default phone-home are switched off here as well, before any test imports them.
 */
import dgram from 'node:dgram';
import dns from 'node:dns';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

// @apollo/gateway starts an OpenTelemetry exporter with cloud metadata probes unless this is set
process.env.APOLLO_TELEMETRY_DISABLED = 'true';

const GUARD_FILE = fileURLToPath(import.meta.url);

/** The variables naming the test database servers (see test/support/hub.ts). */
const DATABASE_URL_VARIABLES = ['TEST_TIMESCALEDB_URL', 'TEST_POSTGRESQL_URL'] as const;

/** Hosts a test may reach: loopback, and the hosts of the test database servers when they are named. */
function allowedHosts(): Set<string> {
  const hosts = new Set(['localhost', 'localhost.localdomain']);
  for (const variable of DATABASE_URL_VARIABLES) {
    const databaseUrl = process.env[variable];
    if (!databaseUrl) continue;
    try {
      hosts.add(new URL(databaseUrl).hostname.replace(/^\[|\]$/g, '').toLowerCase());
    } catch {
      // an unparsable URL names no host; the database connection itself will report it
    }
  }
  return hosts;
}

/** 127.0.0.0/8, ::1 and IPv4-mapped loopback; the empty host is Node's own default (localhost). */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === '' || bare === '::1' || bare === '0:0:0:0:0:0:0:1') return true;
  const v4 = bare.startsWith('::ffff:') ? bare.slice(7) : bare;
  return net.isIPv4(v4) && v4.startsWith('127.');
}

function isAllowed(host: string): boolean {
  return isLoopback(host) || allowedHosts().has(host.replace(/^\[|\]$/g, '').toLowerCase());
}

/** The first stack frame outside this file and Node's internals: the code that asked to connect. */
function caller(): string {
  const frames = (new Error().stack ?? '').split('\n').slice(1);
  for (const frame of frames) {
    if (frame.includes(GUARD_FILE) || /\(node:|at node:/.test(frame) || !frame.includes('/')) continue;
    return frame.trim().replace(/^at /, '');
  }
  return 'an unknown caller';
}

/**
 * Every refusal of this test file's process, also those a library made in the background and
 * swallowed: a test can assert that none happened.
 */
export const networkRefusals: string[] = [];

export class NetworkGuardError extends Error {
  constructor(what: string) {
    super(`network guard: ${what} refused: tests reach only loopback and the test database servers' hosts (called from ${caller()})`);
    this.name = 'NetworkGuardError';
    networkRefusals.push(this.message);
  }
}

type ConnectArgs = unknown[];

/** The host and port a Socket#connect call asks for, in any of its call forms; null for a path (Unix socket). */
function connectTarget(args: ConnectArgs): { host: string; port: unknown } | null {
  const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
  if (first !== null && typeof first === 'object') {
    const options = first as { path?: unknown; host?: unknown; port?: unknown };
    if (typeof options.path === 'string') return null;
    return { host: typeof options.host === 'string' ? options.host : 'localhost', port: options.port };
  }
  if (typeof first === 'string' && !/^\d+$/.test(first)) return null;
  return { host: typeof args[1] === 'string' ? args[1] : 'localhost', port: first };
}

const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: ConnectArgs) {
  const target = connectTarget(args);
  if (target && !isAllowed(target.host)) throw new NetworkGuardError(`TCP connect to ${target.host}:${String(target.port)}`);
  return (originalConnect as (...a: ConnectArgs) => net.Socket).apply(this, args);
} as typeof net.Socket.prototype.connect;

const originalSend = dgram.Socket.prototype.send;
dgram.Socket.prototype.send = function guardedSend(this: dgram.Socket, ...args: unknown[]) {
  // send(msg, [offset, length,] port, address, callback): the address is the first string after the message
  const address = args.slice(1).find((arg) => typeof arg === 'string');
  if (typeof address === 'string' && !isAllowed(address)) throw new NetworkGuardError(`UDP send to ${address}`);
  return (originalSend as (...a: unknown[]) => void).apply(this, args);
} as typeof dgram.Socket.prototype.send;

const originalUdpConnect = dgram.Socket.prototype.connect;
dgram.Socket.prototype.connect = function guardedUdpConnect(this: dgram.Socket, ...args: unknown[]) {
  const address = typeof args[1] === 'string' ? args[1] : 'localhost';
  if (!isAllowed(address)) throw new NetworkGuardError(`UDP connect to ${address}:${String(args[0])}`);
  return (originalUdpConnect as (...a: unknown[]) => void).apply(this, args);
} as typeof dgram.Socket.prototype.connect;

/** Name lookups: loopback names resolve from the hosts file; anything else would ask a DNS server. */
function guardLookup<T extends (...args: never[]) => unknown>(original: T, settle: 'throw' | 'reject'): T {
  return function guarded(this: unknown, hostname: unknown, ...rest: unknown[]) {
    if (typeof hostname === 'string' && !isAllowed(hostname)) {
      const refusal = new NetworkGuardError(`DNS lookup of ${hostname}`);
      if (settle === 'reject') return Promise.reject(refusal);
      throw refusal;
    }
    return (original as unknown as (...a: unknown[]) => unknown).call(this, hostname, ...rest);
  } as unknown as T;
}

dns.lookup = guardLookup(dns.lookup, 'throw');
dns.promises.lookup = guardLookup(dns.promises.lookup, 'reject');
// resolve* always asks a DNS server, whatever the name
const RESOLVERS = [
  'resolve',
  'resolve4',
  'resolve6',
  'resolveAny',
  'resolveCname',
  'resolveMx',
  'resolveNs',
  'resolveTxt',
  'resolveSrv',
  'resolvePtr',
  'resolveNaptr',
  'resolveSoa',
  'resolveCaa',
  'reverse',
] as const;
for (const name of RESOLVERS) {
  const refusal = (hostname: unknown) => new NetworkGuardError(`DNS query (${name}) for ${String(hostname)}`);
  const refuse = (hostname: unknown) => {
    throw refusal(hostname);
  };
  const reject = (hostname: unknown) => Promise.reject(refusal(hostname));
  (dns as unknown as Record<string, unknown>)[name] = refuse;
  (dns.Resolver.prototype as unknown as Record<string, unknown>)[name] = refuse;
  (dns.promises as unknown as Record<string, unknown>)[name] = reject;
  (dns.promises.Resolver.prototype as unknown as Record<string, unknown>)[name] = reject;
}

// ESM importers of node:net, node:dgram and node:dns see the guarded functions too
syncBuiltinESMExports();
