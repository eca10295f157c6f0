import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The browser the screen tests drive is held to loopback the way the test process is (network-guard.ts):
 * `native/loopback-only.c`, preloaded into every Chromium process, fails connect(), sendto() and
 * sendmsg() to any address outside loopback before the system call is made and writes each refusal to
 * a file. Built with the system C compiler once per version of the source, into node_modules/.cache.
 */
const SOURCE = join(import.meta.dirname, 'native', 'loopback-only.c');
const CACHE = join(process.cwd(), 'node_modules', '.cache', 'envhub');

export function loopbackOnlyLibrary(): string {
  const source = readFileSync(SOURCE);
  const digest = createHash('sha256').update(source).digest('hex').slice(0, 16);
  const library = join(CACHE, `loopback-only-${digest}.so`);
  if (existsSync(library)) return library;
  mkdirSync(CACHE, { recursive: true });
  // built beside its final name and renamed: test files start browsers in parallel
  const partial = `${library}.${process.pid}.partial`;
  try {
    execFileSync('cc', ['-shared', '-fPIC', '-O2', '-o', partial, SOURCE, '-ldl'], { stdio: 'pipe' });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`the browser's loopback guard could not be built with cc (apt-get install gcc): ${reason}`);
  }
  renameSync(partial, library);
  return library;
}

/**
 * Chromium's host resolver checks whether IPv6 is reachable before each resolution (a UDP connect()
 * to this address, which sends nothing); the guard refuses it, and Chromium takes IPv6 as unreachable.
 * Anything else refused is a request beyond loopback, and the test that made it fails.
 */
const IPV6_REACHABILITY_CHECK = 'connect udp 2001:4860:4860::8888 443';

export function refusedBeyondLoopback(log: string): string[] {
  if (!existsSync(log)) return [];
  return readFileSync(log, 'utf8')
    .split('\n')
    .filter((line) => line !== '' && line !== IPV6_REACHABILITY_CHECK);
}
