import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { planHub } from '../../src/hub';
import { buildSubgraphSchema, DEFAULT_SUBGRAPH_OPTIONS } from '../../src/graphql/federation';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}.graphql`, import.meta.url), 'utf8');
const PROVINCES = ['province-relay', 'province-registry', 'province-lookup'] as const;
const hubSdl = readFileSync(new URL('../../schema/subgraph.graphql', import.meta.url), 'utf8');
const service = (name: string, sdl: string) => ({ name, url: `http://127.0.0.1:1/${name}`, typeDefs: parse(sdl) });

describe('the subgraph composes with province and city platforms', () => {
  it('composes with a Relay province (own node and PageInfo), a registry holding Enterprise.name and address, and one with its own Query.enterprise', () => {
    const composed = composeServices([service('envhub', hubSdl), ...PROVINCES.map((name) => service(name, fixture(name)))]);
    expect((composed.errors ?? []).map((error) => error.message)).toEqual([]);
    const supergraph = composed.supergraphSdl as string;
    // the province keeps its root fields, the district's sit under its own
    const query = /\ntype Query\b[^{]*\{([^}]*)\}/.exec(supergraph)?.[1] ?? '';
    for (const field of ['enterprise(uscc: String!): Enterprise', 'node(id: ID!): Node', 'district_510112: District510112Query!'])
      expect(query).toContain(`  ${field}`);
    // the hub's own Relay lookup stays inside its district, beside the province's at the root
    expect(supergraph).toMatch(/type District510112Query[^{]*\{[^}]*\n  node\(id: ID!\): Node/);
  });

  it.each(PROVINCES)('composes with %s alone', (name) => {
    const composed = composeServices([service('envhub', hubSdl), service(name, fixture(name))]);
    expect((composed.errors ?? []).map((error) => error.message)).toEqual([]);
  });

  it('composes two district hubs side by side, each under its own root field', () => {
    const { modules } = planHub({ modules: undefined });
    const other = buildSubgraphSchema(modules, { ...DEFAULT_SUBGRAPH_OPTIONS, districtCode: '510116' }).sdl;
    const composed = composeServices([service('longquanyi', hubSdl), service('shuangliu', other), ...PROVINCES.map((name) => service(name, fixture(name)))]);
    expect((composed.errors ?? []).map((error) => error.message)).toEqual([]);
    expect(composed.supergraphSdl).toMatch(/district_510112: District510112Query!/);
    expect(composed.supergraphSdl).toMatch(/district_510116: District510116Query!/);
  });

  it('publishes no mutation and no staff-only query unless told to, and tags what contracts need', () => {
    expect(hubSdl).not.toMatch(/^type Mutation/m);
    const district = /type District510112Query \{(.*?)\n\}/s.exec(hubSdl)?.[1] ?? '';
    for (const staffOnly of ['dutySummary', 'dutyMap', 'gridTasks', 'hj212GatewayStats']) expect(district).not.toContain(`  ${staffOnly}`);
    for (const published of ['enterprise(uscc: String!)', 'monitor(', 'airStation(code: String!)', 'publicAirQuality', 'gridCell(code: String!)'])
      expect(district).toContain(`  ${published}`);
    expect(district).toMatch(/publicAirQuality\([^)]*\): [^\n]*@tag\(name: "upstream"\) @tag\(name: "public"\)/);
    expect(district).toMatch(/enterprise\(uscc: String!\): Enterprise @tag\(name: "upstream"\)\n/);
    expect(hubSdl).toMatch(/type PageInfo\s+@shareable\s+@tag\(name: "upstream"\)\s+@tag\(name: "public"\)/);
    expect(hubSdl).toMatch(/type Enterprise implements Node\s+@key\(fields: "uscc"\)\s+@shareable\s+@tag\(name: "upstream"\)\s*\{/);

    const { modules } = planHub({ modules: undefined });
    const writable = buildSubgraphSchema(modules, { ...DEFAULT_SUBGRAPH_OPTIONS, mutations: true }).sdl;
    expect(writable).toMatch(/type Mutation \{\s+"""[^"]*"""\s+district_510112: District510112Mutation! @tag\(name: "upstream"\)\s+\}/);
    expect(composeServices([service('envhub', writable), ...PROVINCES.map((name) => service(name, fixture(name)))]).errors ?? []).toEqual([]);
  });
});
