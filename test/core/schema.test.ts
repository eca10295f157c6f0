import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { planHub } from '../../src/hub';
import { printHubSchema } from '../../src/graphql/schema';

describe('schema artifact', () => {
  it('schema/schema.graphql matches the code (run `npm run schema` after a change)', () => {
    const committed = readFileSync(new URL('../../schema/schema.graphql', import.meta.url), 'utf8');
    expect(printHubSchema(planHub({ modules: undefined }).schema)).toBe(committed);
  });
});
