import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/*
 * The house's boundaries, checked on every import (type-only and dynamic ones too):
 * - a module reaches another module only through that module's public.ts;
 * - the two core modules in src/ (the monitoring core and the HJ 212 gateway) are reached from
 *   outside only through their public.ts;
 * - src/ never imports a module, except the one module list (src/registry.ts) and the module
 *   objects it names;
 * - no import loops, so each file can be read from its imports down.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const CORE_MODULES = ['src/monitoring', 'src/ingest/hj212'];
const REGISTRY = 'src/registry.ts';

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = `${dir}/${name}`;
    if (statSync(join(ROOT, path)).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

/** Project-relative paths of the files a file imports (relative specifiers only). */
function importsOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(join(ROOT, file), 'utf8'), true, true);
  return info.importedFiles
    .map((ref) => ref.fileName)
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => {
      const base = relative(ROOT, resolve(ROOT, dirname(file), spec));
      const candidates = [`${base}.ts`, base, `${base}/index.ts`];
      return candidates.find((candidate) => candidate.endsWith('.ts') && safeIsFile(candidate)) ?? `${base}.ts`;
    });
}

function safeIsFile(path: string): boolean {
  try {
    return statSync(join(ROOT, path)).isFile();
  } catch {
    return false;
  }
}

const moduleOf = (file: string): string | undefined => /^modules\/([^/]+)\//.exec(file)?.[1];
const coreOf = (file: string): string | undefined => CORE_MODULES.find((core) => file.startsWith(`${core}/`));

/** Why an import crosses a boundary, or undefined when it may. */
function crossing(from: string, to: string): string | undefined {
  const fromModule = moduleOf(from);
  const toModule = moduleOf(to);
  if (toModule !== undefined && toModule !== fromModule) {
    if (from.startsWith('src/')) {
      return from === REGISTRY && to === `modules/${toModule}/index.ts` ? undefined : 'src/ imports a module outside the registry';
    }
    return to === `modules/${toModule}/public.ts` ? undefined : `reaches module ${toModule} past its public.ts`;
  }
  const toCore = coreOf(to);
  if (toCore !== undefined && toCore !== coreOf(from)) {
    if (from === REGISTRY && to === `${toCore}/module.ts`) return undefined;
    return to === `${toCore}/public.ts` ? undefined : `reaches ${toCore} past its public.ts`;
  }
  return undefined;
}

function importLoops(graph: Map<string, string[]>): string[][] {
  const loops: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') loops.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file);
  return loops;
}

const FILES = [...sourceFiles('src'), ...sourceFiles('modules')];
const GRAPH = new Map(FILES.map((file) => [file, importsOf(file)]));

describe("the house's boundaries", () => {
  it('reads the imports of every source file', () => {
    expect(FILES.length).toBeGreaterThan(100);
    expect(GRAPH.get('src/hub.ts')).toContain('src/registry.ts');
  });

  it('modules meet only through public.ts, and src/ reaches modules only through the registry', () => {
    const crossings = [...GRAPH].flatMap(([from, targets]) =>
      targets.flatMap((to) => {
        const why = crossing(from, to);
        return why ? [`${from} -> ${to}: ${why}`] : [];
      }),
    );
    expect(crossings).toEqual([]);
  });

  it('has no import loops', () => {
    expect(importLoops(GRAPH).map((loop) => loop.join(' -> '))).toEqual([]);
  });

  it('names what crosses a boundary', () => {
    expect(crossing('modules/source/service/x.ts', 'modules/grid/service/scope.ts')).toMatch(/past its public\.ts/);
    expect(crossing('modules/source/service/x.ts', 'modules/grid/public.ts')).toBeUndefined();
    expect(crossing('modules/source/service/x.ts', 'src/ingest/hj212/service.ts')).toMatch(/hj212 past its public/);
    expect(crossing('src/http.ts', 'modules/grid/public.ts')).toMatch(/outside the registry/);
    expect(crossing(REGISTRY, 'modules/grid/index.ts')).toBeUndefined();
    expect(crossing('src/ingest/hj212/auth.ts', 'src/monitoring/password.ts')).toMatch(/monitoring past its public/);
    expect(
      importLoops(
        new Map([
          ['a', ['b']],
          ['b', ['c']],
          ['c', ['a']],
        ]),
      ),
    ).toEqual([['a', 'b', 'c', 'a']]);
  });
});
