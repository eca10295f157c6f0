import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // One graphql instance: the project's files would otherwise get the package's ESM build while
    // Pothos and Apollo (loaded by Node) get the CommonJS one, and graphql refuses mixed realms.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // no test reaches beyond loopback and the test database: see the file
    setupFiles: ['test/support/network-guard.ts'],
    // Each file opens its own database (an in-memory PGlite, or a uniquely named one on the server);
    // two cores, so two files at a time keeps the machine responsive.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
