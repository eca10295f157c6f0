import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The demo's signing secret: generated once into the data directory (mode 0600) so tokens minted
 * by `npm run token` keep working across restarts. Production configures JWT_SECRET or a JWKS.
 */
export function demoSecret(dataDir: string): { secret: string; path: string; created: boolean } {
  const inMemory = dataDir.startsWith('memory://');
  if (inMemory) return { secret: randomBytes(32).toString('base64url'), path: '(memory)', created: true };
  const path = join(dataDir, 'jwt-secret');
  if (existsSync(path)) return { secret: readFileSync(path, 'utf8').trim(), path, created: false };
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(path, `${secret}\n`, { mode: 0o600 });
  return { secret, path, created: true };
}
