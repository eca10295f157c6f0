import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;

describe('typed test documents', () => {
  it('are what codegen makes from schema/schema.graphql and test/operations (run `npm run codegen`)', async () => {
    const run = promisify(execFile)(process.execPath, ['node_modules/@graphql-codegen/cli/cjs/bin.js', '--config', 'codegen.ts', '--check'], { cwd: ROOT });
    await expect(run).resolves.toBeDefined();
  });
});
