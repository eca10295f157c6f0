import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, SETTINGS } from '../../src/config';

describe('configuration', () => {
  it('has documented defaults for demo and serve', () => {
    const demo = loadConfig({}, 'demo');
    const serve = loadConfig({}, 'serve');
    expect(demo.port).toBe(4000);
    expect(demo.databaseUrl).toBeUndefined();
    expect(demo.dataDir).toBe('./data');
    expect(demo.seed).toBe(true);
    expect(serve.seed).toBe(false);
    expect(demo.graphql.introspection).toBe(true);
    expect(serve.graphql.introspection).toBe(false);
    expect(serve.simulator).toBe(false);
  });

  it('names the variable at fault', () => {
    expect(() => loadConfig({ HUB_PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ HUB_PORT: 'eighty' })).toThrow(/HUB_PORT/);
    expect(() => loadConfig({ HUB_SEED: 'maybe' })).toThrow(/HUB_SEED/);
    expect(() => loadConfig({ HJ212_COMMAND_TIMEOUT_SECONDS: '121' })).toThrow('HJ212_COMMAND_TIMEOUT_SECONDS must be an integer from 1 to 120, got "121"');
    expect(loadConfig({ HJ212_COMMAND_TIMEOUT_SECONDS: '120' }).hj212.commandTimeoutSeconds).toBe(120);
    expect(() => loadConfig({ HJ212_AUTH_TIMEOUT_SECONDS: '0' })).toThrow('HJ212_AUTH_TIMEOUT_SECONDS must be an integer from 1 to 3600, got "0"');
    expect(() => loadConfig({ HJ212_AUTH_LOCKOUT_SECONDS: '90000' })).toThrow(/HJ212_AUTH_LOCKOUT_SECONDS/);
    expect(loadConfig({}).hj212).toMatchObject({
      authTimeoutSeconds: 60,
      maxUnauthenticatedPerAddress: 50,
      authMaxFailuresPerMn: 5,
      authMaxFailuresPerAddress: 20,
      authLockoutSeconds: 300,
    });
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
    expect(() => loadConfig({ GRAPHQL_MAX_DEPTH: '0' })).toThrow(/GRAPHQL_MAX_DEPTH/);
    // below the daily aggregate's refresh window a refresh would empty buckets of dropped chunks
    expect(() => loadConfig({ READINGS_RETENTION_DAYS: '41' })).toThrow('READINGS_RETENTION_DAYS must be an integer >= 42, got "41"');
    expect(loadConfig({ READINGS_RETENTION_DAYS: '42' }).monitoring.retentionDays).toBe(42);
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN must be at least 16 characters/);
    expect(() => loadConfig({ TRACING_OTLP_URL: 'collector:4318' })).toThrow(/TRACING_OTLP_URL/);
    expect(() => loadConfig({ TRACING_SAMPLE_PERCENT: '101' })).toThrow(/TRACING_SAMPLE_PERCENT/);
  });

  it('keeps metrics and traces off unless a setting turns them on', () => {
    const config = loadConfig({});
    expect(config.metrics).toEqual({ token: undefined, host: '127.0.0.1', port: undefined });
    expect(config.tracing).toEqual({ otlpUrl: undefined, samplePercent: 100 });
  });

  it('reads modules as a list', () => {
    expect(loadConfig({ HUB_MODULES: ' grid, source ,' }).modules).toEqual(['grid', 'source']);
  });

  it('is documented in the README, every variable', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const missing = SETTINGS.filter((setting) => !readme.includes(`\`${setting.name}\``)).map((s) => s.name);
    expect(missing).toEqual([]);
  });
});
