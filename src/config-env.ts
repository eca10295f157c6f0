/**
 * Reading one environment variable: unset or empty means the default, anything else is checked
 * and refused with a ConfigError naming the variable.
 */
import { isIP } from 'node:net';

export type Env = Record<string, string | undefined>;

/** One documented setting: `default` is what applies when the variable is unset. */
export interface Setting {
  name: string;
  default: string;
  description: string;
}

/** A setting the hub refuses to start with; the message names the variable at fault. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function readInt(env: Env, name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(
      max === Number.MAX_SAFE_INTEGER ? `${name} must be an integer >= ${min}, got "${raw}"` : `${name} must be an integer from ${min} to ${max}, got "${raw}"`,
    );
  }
  return value;
}

export function readFraction(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) throw new ConfigError(`${name} must be a number from ${min} to ${max}, got "${raw}"`);
  return value;
}

export function readBool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

export function readString(env: Env, name: string): string | undefined {
  const raw = env[name]?.trim();
  return raw ? raw : undefined;
}

/** Addresses and CIDR ranges (`10.0.0.0/8`, `::1`), each checked. */
export function readProxies(env: Env, name: string): string[] {
  const entries = (readString(env, name) ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  for (const entry of entries) {
    const [address = '', prefix, extra] = entry.split('/');
    const family = isIP(address);
    const bits = family === 4 ? 32 : 128;
    const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits);
    if (family === 0 || !prefixOk || extra !== undefined) throw new ConfigError(`${name}: "${entry}" is not an IP address or CIDR range`);
  }
  return entries;
}
