import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { IncomingMessage } from 'node:http';
import { createClientAddress, normaliseAddress } from '../../src/client-address';
import { loadConfig, ConfigError } from '../../src/config';

const request = (remote: string, forwardedFor?: string): IncomingMessage =>
  ({ socket: { remoteAddress: remote }, headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor } }) as unknown as IncomingMessage;

describe('the client address', () => {
  it('normalises IPv4-mapped IPv6, ports and brackets, and refuses what is not an address', () => {
    expect(normaliseAddress('::ffff:10.1.2.3')).toBe('10.1.2.3');
    expect(normaliseAddress(' 10.1.2.3:8080 ')).toBe('10.1.2.3');
    expect(normaliseAddress('[2001:db8::1]:443')).toBe('2001:db8::1');
    expect(normaliseAddress('2001:DB8::1')).toBe('2001:db8::1');
    expect(normaliseAddress('unknown')).toBeUndefined();
    expect(normaliseAddress('')).toBeUndefined();
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', () => {
    const of = createClientAddress(['10.0.0.0/8']);
    expect(of(request('192.0.2.9', '203.0.113.1'))).toBe('192.0.2.9');
    expect(createClientAddress([])(request('::ffff:127.0.0.1', '203.0.113.1'))).toBe('127.0.0.1');
  });

  it('takes the nearest untrusted hop behind trusted proxies, and stops at a hop that is not an address', () => {
    const of = createClientAddress(['10.0.0.0/8', '2001:db8::/32']);
    expect(of(request('10.0.0.1', '203.0.113.1'))).toBe('203.0.113.1');
    expect(of(request('10.0.0.1', 'spoofed, 203.0.113.1, 10.9.9.9'))).toBe('203.0.113.1');
    expect(of(request('2001:db8::5', '198.51.100.4, 2001:db8::6'))).toBe('198.51.100.4');
    expect(of(request('10.0.0.1', 'garbage'))).toBe('10.0.0.1');
    expect(of(request('10.0.0.1'))).toBe('10.0.0.1');
    // every hop trusted: the farthest one is the client
    expect(of(request('10.0.0.1', '10.0.0.3, 10.0.0.2'))).toBe('10.0.0.3');
  });

  it('is never a hop a client wrote to the left of the last untrusted one', () => {
    const of = createClientAddress(['10.0.0.0/8']);
    const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((parts) => parts.join('.'));
    const outside = ipv4.filter((address) => !address.startsWith('10.'));
    fc.assert(
      fc.property(
        fc.array(fc.oneof(ipv4, fc.string()), { maxLength: 5 }),
        outside,
        fc.array(
          ipv4.map((a) => `10.${a.split('.').slice(1).join('.')}`),
          { maxLength: 3 },
        ),
        (written, real, proxies) => {
          const header = [...written, real, ...proxies].join(', ');
          expect(of(request('10.0.0.1', header))).toBe(real);
        },
      ),
    );
  });

  it('is configured from HTTP_TRUSTED_PROXIES, each entry checked', () => {
    expect(loadConfig({ HTTP_TRUSTED_PROXIES: '10.0.0.0/8, ::1' }).graphql.trustedProxies).toEqual(['10.0.0.0/8', '::1']);
    expect(() => loadConfig({ HTTP_TRUSTED_PROXIES: '10.0.0.0/33' })).toThrow(ConfigError);
    expect(() => loadConfig({ HTTP_TRUSTED_PROXIES: 'proxy.local' })).toThrow(/HTTP_TRUSTED_PROXIES/);
  });
});
