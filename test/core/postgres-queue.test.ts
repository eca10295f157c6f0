import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

// The driver's pool queue as scripts/patch-postgres.mjs leaves it after install: a queue whose
// holes are dropped as it shifts (the unmended one grew by a slot per query under steady load).
const root = dirname(dirname(dirname(createRequire(import.meta.url).resolve('postgres'))));
const file = join(root, 'src', 'queue.js');

interface Queue<T> {
  readonly length: number;
  push(x: T): T;
  shift(): T | undefined;
  remove(x: T): T | null;
}

type Op = { op: 'push' } | { op: 'shift' } | { op: 'remove'; pick: number };

describe('the driver’s pool queue, mended', () => {
  it('is the mended one in every variant the package ships', () => {
    for (const variant of ['src', 'cjs/src', 'cf/src']) expect(readFileSync(join(root, variant, 'queue.js'), 'utf8')).toContain('envhub: queue without holes');
  });

  it('keeps first-in first-out order with removals, as a plain list does', async () => {
    const { default: Queue } = (await import(pathToFileURL(file).href)) as { default: <T>(initial?: T[]) => Queue<T> };
    // runs of pushes and of shifts, with removals between: the queue fills, drains part way and
    // stays busy long enough to drop its holes many times without emptying
    const block: fc.Arbitrary<Op[]> = fc
      .tuple(fc.nat(60), fc.nat(60), fc.array(fc.nat(200), { maxLength: 3 }))
      .map(([pushes, shifts, picks]) => [
        ...Array.from({ length: pushes }, () => ({ op: 'push' as const })),
        ...picks.map((pick) => ({ op: 'remove' as const, pick })),
        ...Array.from({ length: shifts }, () => ({ op: 'shift' as const })),
      ]);
    const op = fc.array(block, { maxLength: 40 }).map((blocks) => blocks.flat());
    fc.assert(
      fc.property(op, (ops) => {
        const queue = Queue<{ id: number }>();
        const model: { id: number }[] = [];
        let next = 0;
        for (const step of ops) {
          if (step.op === 'push') {
            const item = { id: next++ };
            queue.push(item);
            model.push(item);
          } else if (step.op === 'shift') {
            expect(queue.shift()).toBe(model.shift());
          } else {
            // an item still queued, or one that left already (the pool removes connections either way)
            const item = step.pick % 2 === 0 && model.length > 0 ? model[step.pick % model.length] : { id: -1 };
            const at = model.indexOf(item as { id: number });
            if (at >= 0) model.splice(at, 1);
            expect(queue.remove(item as { id: number })).toBe(at >= 0 ? item : null);
          }
          expect(queue.length).toBe(model.length);
        }
      }),
      { numRuns: 300 },
    );
  });
});
