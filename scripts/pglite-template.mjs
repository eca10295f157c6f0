/**
 * Builds the embedded database's migrated template (src/db/template.ts) after every install, so
 * that `npm start` on a new data directory copies it instead of running initdb and the migrations.
 * Never fails the install: without a template a new data directory is created the long way.
 */
import { register } from 'tsx/esm/api';

const started = Date.now();
try {
  register();
  const { buildTemplate } = await import('../src/db/template-build.ts');
  const { path, built } = await buildTemplate();
  process.stderr.write(`envhub: embedded database template ${built ? `built in ${((Date.now() - started) / 1000).toFixed(1)} s` : 'up to date'}: ${path}\n`);
} catch (error) {
  process.stderr.write(
    `envhub: no embedded database template (${error instanceof Error ? error.message : String(error)}); a new data directory is created without it\n`,
  );
}
