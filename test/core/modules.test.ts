import { describe, expect, it } from 'vitest';
import { GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { resolveModules, ModuleLoadError, type HubModule } from '../../src/modules';
import { planHub, createHub } from '../../src/hub';
import { MODULE_REGISTRY } from '../../src/registry';
import { loadConfig } from '../../src/config';
import pino from 'pino';

const mod = (name: string, dependsOn: string[] = [], extra: Partial<HubModule> = {}): HubModule => ({
  name,
  description: `${name} module`,
  dependsOn,
  ...extra,
});

describe('resolveModules', () => {
  it('orders modules after their dependencies', () => {
    const order = resolveModules([mod('emergency', ['grid', 'source']), mod('source', ['grid']), mod('grid')]).map((m) => m.name);
    expect(order).toEqual(['grid', 'source', 'emergency']);
  });

  it('enables only the listed modules plus core ones', () => {
    const order = resolveModules([mod('core'), mod('grid'), mod('source', ['grid']), mod('oa')], { core: ['core'], enabled: ['grid'] }).map((m) => m.name);
    expect(order).toEqual(['core', 'grid']);
  });

  it('refuses a missing dependency with a clear message', () => {
    expect(() => resolveModules([mod('grid'), mod('source', ['grid'])], { enabled: ['source'] })).toThrow(
      /module "source" needs "grid": add it to HUB_MODULES/,
    );
    expect(() => resolveModules([mod('source', ['grid'])])).toThrow(/depends on "grid", which does not exist/);
  });

  it('refuses a cycle and names it', () => {
    expect(() => resolveModules([mod('alpha', ['beta']), mod('beta', ['gamma']), mod('gamma', ['alpha'])])).toThrow(/cycle: alpha -> beta -> gamma -> alpha/);
  });

  it('refuses unknown, duplicate and badly named modules', () => {
    expect(() => resolveModules([mod('grid')], { enabled: ['gird'] })).toThrow(ModuleLoadError);
    expect(() => resolveModules([mod('grid'), mod('grid')])).toThrow(/registered twice/);
    expect(() => resolveModules([mod('Grid-Module')])).toThrow(/short lower-case word/);
  });
});

/** Type names and root field names a schema has, for comparing what a module adds. */
function surface(schema: GraphQLSchema): Set<string> {
  const names = new Set<string>();
  for (const [name, type] of Object.entries(schema.getTypeMap())) {
    if (name.startsWith('__')) continue;
    names.add(name);
    if (type instanceof GraphQLObjectType) for (const field of Object.keys(type.getFields())) names.add(`${name}.${field}`);
  }
  return names;
}

describe('switching a module off', () => {
  const widgets = mod('widgets', [], {
    register: (builder) => {
      const Widget = builder.objectRef<{ name: string }>('Widget').implement({ fields: (t) => ({ name: t.exposeString('name') }) });
      builder.queryField('widgets', (t) => t.field({ type: [Widget], resolve: () => [{ name: 'w' }] }));
    },
  });
  const registry = [...MODULE_REGISTRY, widgets];

  it('removes exactly its types and fields from the schema', () => {
    const on = surface(planHub({ modules: undefined }, registry).schema);
    const off = surface(planHub({ modules: MODULE_REGISTRY.map((m) => m.name) }, registry).schema);
    const added = [...on].filter((name) => !off.has(name)).sort();
    expect(added).toEqual(['Query.widgets', 'Widget', 'Widget.name']);
    expect([...off].filter((name) => !on.has(name))).toEqual([]);
  });

  it('runs its workers only when enabled, and stops them with the hub', async () => {
    const events: string[] = [];
    const worker = mod('worker', [], {
      start: () => {
        events.push('started');
        return () => {
          events.push('stopped');
        };
      },
    });
    const config = loadConfig(
      {
        HUB_PORT: '0',
        HUB_HOST: '127.0.0.1',
        HUB_DATA_DIR: 'memory://',
        HJ212_ENABLED: 'false',
        LOG_LEVEL: 'silent',
        JWT_SECRET: 's3cret-for-tests-padded-to-32-bytes',
      },
      'serve',
    );
    const withWorker = await createHub(config, { registry: [...MODULE_REGISTRY, worker], logger: pino({ level: 'silent' }) });
    expect(withWorker.modules).toContain('worker');
    await withWorker.stop();
    expect(events).toEqual(['started', 'stopped']);

    const without = await createHub({ ...config, modules: [] }, { registry: [...MODULE_REGISTRY, worker], logger: pino({ level: 'silent' }) });
    expect(without.modules).not.toContain('worker');
    await without.stop();
    expect(events).toEqual(['started', 'stopped']);
  });
});
