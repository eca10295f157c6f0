import { BlockList, isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';

/** The address a request comes from, as far as the hub can trust it. */
export type ClientAddressOf = (request: IncomingMessage) => string;

/** `::ffff:10.0.0.1` -> `10.0.0.1`; `[::1]:443` and `10.0.0.1:80` lose their port; anything else: undefined. */
export function normaliseAddress(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  let text = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  if (bracketed) text = bracketed[1] as string;
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(text)) text = text.slice(0, text.lastIndexOf(':'));
  if (text.toLowerCase().startsWith('::ffff:') && isIP(text.slice(7)) === 4) text = text.slice(7);
  return isIP(text) === 0 ? undefined : text.toLowerCase();
}

/**
 * Behind the bureau's reverse proxies every citizen would be the proxy's address: a request whose
 * peer is a trusted proxy is attributed to the nearest address in `X-Forwarded-For` that is not
 * one (read from the right, since a client can write anything on the left). An entry that is not
 * an address stops the walk at the proxy that added it. Without trusted proxies the header is
 * ignored, so nobody can pick their own address.
 */
export function createClientAddress(trustedProxies: readonly string[]): ClientAddressOf {
  const trusted = new BlockList();
  for (const entry of trustedProxies) {
    const [address = '', prefix] = entry.split('/');
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) trusted.addAddress(address, family);
    else trusted.addSubnet(address, Number(prefix), family);
  }
  const isTrusted = (address: string): boolean => trusted.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
  return (request) => {
    let client = normaliseAddress(request.socket.remoteAddress) ?? 'unknown';
    if (trustedProxies.length === 0 || client === 'unknown' || !isTrusted(client)) return client;
    const header = request.headers['x-forwarded-for'];
    const hops = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',');
    for (let index = hops.length - 1; index >= 0; index -= 1) {
      const hop = normaliseAddress(hops[index]);
      if (!hop) return client;
      client = hop;
      if (!isTrusted(hop)) return hop;
    }
    return client;
  };
}
