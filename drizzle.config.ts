import { defineConfig } from 'drizzle-kit';

// One migration stream for the core and every module: turning a module off keeps its tables.
export default defineConfig({
  dialect: 'postgresql',
  schema: ['./src/**/tables.ts', './modules/*/tables.ts'],
  out: './migrations',
});
