import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDevicePassword } from '../../../src/demo/devices';
import { RESULT_FIELDS, data, noErrors, startSourceHub, uscc, type SourceHub } from './support';
import { ENGINES } from '../../support/hub';

const PLATER = uscc(301);
const NEIGHBOUR = uscc(302);
/** A well-formed code no enterprise has. */
const NOBODY = uscc(399);
/** PLATER with a wrong check character. */
const MISTYPED = `${PLATER.slice(0, 17)}${PLATER.endsWith('0') ? '1' : '0'}`;

type Outcome = { __typename?: string; message?: string; problems?: { path: string; message: string }[] } & Record<string, unknown>;

/** Each of the file's record mutations: its input type and the fields of what it returns. */
const MUTATIONS = {
  createFacility: { input: 'CreateFacilityInput', fields: 'name process outletId deviceCode runState { status }' },
  recordHazardousWaste: { input: 'RecordHazardousWasteInput', fields: 'wasteCode name quantityTonnes disposer recordedAt' },
  createRiskSource: { input: 'CreateRiskSourceInput', fields: 'name substance quantityTonnes riskLevel' },
  addEnterpriseDocument: { input: 'AddEnterpriseDocumentInput', fields: 'title kind mediaId url issuedAt' },
  createWaterSampler: { input: 'CreateWaterSamplerInput', fields: 'code bottles deviceMn' },
} as const;
type MutationName = keyof typeof MUTATIONS;

const document = (name: MutationName) => {
  const { input, fields } = MUTATIONS[name];
  const success = `Mutation${name.charAt(0).toUpperCase()}${name.slice(1)}Success`;
  return `mutation($input: ${input}!) { ${name}(input: $input) { ${RESULT_FIELDS} ... on ${success} { data { ${fields} } } } }`;
};

const VALID: Record<MutationName, Record<string, unknown>> = {
  createFacility: { enterpriseUscc: PLATER, outletCode: 'DW001', name: '含铬废水处理站', process: '还原+混凝沉淀', monitorMn: 'RC301W', deviceCode: 'SB1' },
  recordHazardousWaste: {
    enterpriseUscc: PLATER,
    wasteCode: 'HW17 336-054-17',
    name: '电镀污泥',
    quantityTonnes: 3.5,
    disposer: '四川省危险废物处置中心',
    recordedAt: '2024-06-30T08:00:00+08:00',
  },
  createRiskSource: { enterpriseUscc: PLATER, name: '铬酸储罐', substance: '铬酸', quantityTonnes: 12, riskLevel: 'LARGER' },
  addEnterpriseDocument: {
    enterpriseUscc: PLATER,
    title: '竣工环境保护验收意见',
    kind: 'ACCEPTANCE',
    url: 'https://example.org/acceptance.pdf',
    issuedAt: '2021-05-01T00:00:00Z',
  },
  createWaterSampler: { enterpriseUscc: PLATER, outletCode: 'DW001', code: 'LYR301', bottles: 12, deviceMn: 'RC301W' },
};

describe.each(ENGINES)('adding to an enterprise file through GraphQL on %s', (engine) => {
  let s: SourceHub;

  const run = async (name: MutationName, input: Record<string, unknown>, token = s.tokens.district): Promise<Outcome> =>
    data<Outcome>(await s.hub.graphql(document(name), { input }, token), name);

  beforeAll(async () => {
    s = await startSourceHub(engine);
    const { enterprises, registry } = s.source;
    for (const [code, serial, cell] of [
      [PLATER, 301, 'G01001001'],
      [NEIGHBOUR, 302, 'G01002001'],
    ] as const) {
      await enterprises.create({ uscc: code, name: `电镀企业${serial}`, industry: '金属表面处理及热处理加工', controlLevel: 'CITY', cellCode: cell });
      const mn = `RC${serial}W`;
      await registry.createOutlet({
        enterpriseUscc: code,
        code: 'DW001',
        name: '废水总排口',
        kind: 'WASTEWATER',
        monitors: [{ mn, password: demoDevicePassword(mn) }],
      });
      await registry.createOutlet({ enterpriseUscc: code, code: 'DA001', name: '酸雾排放口', kind: 'FLUE_GAS' });
    }
  }, 60_000);

  afterAll(async () => {
    await s?.hub.stop();
  });

  it('adds a facility, hazardous waste, a risk source, a document and a sampler, and the file shows them', async () => {
    expect(await run('createFacility', VALID.createFacility)).toMatchObject({
      name: '含铬废水处理站',
      process: '还原+混凝沉淀',
      deviceCode: 'SB1',
      runState: { status: 'UNKNOWN' },
    });
    expect(await run('recordHazardousWaste', VALID.recordHazardousWaste)).toEqual({
      wasteCode: 'HW17 336-054-17',
      name: '电镀污泥',
      quantityTonnes: 3.5,
      disposer: '四川省危险废物处置中心',
      recordedAt: '2024-06-30T00:00:00.000Z',
    });
    expect(await run('createRiskSource', VALID.createRiskSource)).toEqual({ name: '铬酸储罐', substance: '铬酸', quantityTonnes: 12, riskLevel: 'LARGER' });
    expect(await run('addEnterpriseDocument', VALID.addEnterpriseDocument)).toEqual({
      title: '竣工环境保护验收意见',
      kind: 'ACCEPTANCE',
      mediaId: null,
      url: 'https://example.org/acceptance.pdf',
      issuedAt: '2021-05-01T00:00:00.000Z',
    });
    expect(await run('createWaterSampler', VALID.createWaterSampler)).toEqual({ code: 'LYR301', bottles: 12, deviceMn: 'RC301W' });

    const file = `query($u: String!) { enterprise(uscc: $u) {
      outlets { code }
      facilities { name deviceCode } hazardousWaste { wasteCode quantityTonnes } riskSources { name riskLevel }
      documents { title kind } samplers { code bottles deviceMn retentions { bottleNumber } } } }`;
    for (const token of [s.tokens.district, await s.enterpriseToken(PLATER)]) {
      const response = await s.hub.graphql(file, { u: PLATER }, token);
      noErrors(response);
      expect(response.body.data).toEqual({
        enterprise: {
          outlets: [{ code: 'DA001' }, { code: 'DW001' }],
          facilities: [{ name: '含铬废水处理站', deviceCode: 'SB1' }],
          hazardousWaste: [{ wasteCode: 'HW17 336-054-17', quantityTonnes: 3.5 }],
          riskSources: [{ name: '铬酸储罐', riskLevel: 'LARGER' }],
          documents: [{ title: '竣工环境保护验收意见', kind: 'ACCEPTANCE' }],
          samplers: [{ code: 'LYR301', bottles: 12, deviceMn: 'RC301W', retentions: [] }],
        },
      });
    }
  });

  it('refuses a malformed USCC as a validation error and an unknown enterprise as not found, for every record', async () => {
    for (const name of Object.keys(MUTATIONS) as MutationName[]) {
      const mistyped = await run(name, { ...VALID[name], enterpriseUscc: MISTYPED, ...(name === 'createWaterSampler' ? { code: 'LYR-X' } : {}) });
      expect(mistyped, name).toEqual({
        __typename: 'ValidationError',
        message: expect.any(String),
        problems: [{ path: 'enterpriseUscc', message: 'not a valid unified social credit code: check character (18) does not match characters 1-17' }],
      });
      const unknown = await run(name, {
        ...VALID[name],
        enterpriseUscc: NOBODY,
        monitorMn: undefined,
        deviceMn: undefined,
        ...(name === 'createWaterSampler' ? { code: 'LYR-Y' } : {}),
      });
      expect(unknown, name).toEqual({ __typename: 'NotFoundError', message: `Enterprise ${NOBODY} not found` });
    }
  });

  it('names the field at fault: waste code, quantity, document source, device ids', async () => {
    expect(await run('recordHazardousWaste', { ...VALID.recordHazardousWaste, wasteCode: 'HW99-1', quantityTonnes: -1 })).toMatchObject({
      __typename: 'ValidationError',
      problems: [
        { path: 'wasteCode', message: 'a National Hazardous Waste List code, e.g. HW17 336-064-17' },
        { path: 'quantityTonnes', message: 'must be 0-1000000 t' },
      ],
    });
    expect(await run('addEnterpriseDocument', { ...VALID.addEnterpriseDocument, url: null })).toMatchObject({
      __typename: 'ValidationError',
      problems: [{ path: 'mediaId', message: 'give a media id or a URL' }],
    });
    expect(await run('addEnterpriseDocument', { ...VALID.addEnterpriseDocument, url: 'ftp://example.org/x.pdf' })).toMatchObject({
      problems: [{ path: 'url', message: 'must be an http(s) URL' }],
    });
    expect(await run('createFacility', { ...VALID.createFacility, deviceCode: 'PUMP1' })).toMatchObject({
      problems: [{ path: 'deviceCode', message: 'a 2021 facility id looks like SB1' }],
    });
    expect(await run('createFacility', { ...VALID.createFacility, monitorMn: 'RC302W' })).toMatchObject({
      __typename: 'ValidationError',
      problems: [{ path: 'monitorMn', message: "monitor RC302W is not one of this enterprise's" }],
    });
    expect(await run('createFacility', { ...VALID.createFacility, monitorMn: 'NOSUCHMN' })).toMatchObject({
      __typename: 'NotFoundError',
      message: 'Monitor NOSUCHMN not found',
    });
    expect(await run('createRiskSource', { ...VALID.createRiskSource, substance: ' ' })).toMatchObject({
      problems: [{ path: 'substance', message: 'must be 1-200 characters' }],
    });

    const sampler = { enterpriseUscc: NEIGHBOUR, outletCode: 'DW001', code: 'LYR302' };
    expect(await run('createWaterSampler', { ...sampler, deviceMn: 'NOSUCHMN' })).toMatchObject({
      __typename: 'ValidationError',
      problems: [{ path: 'deviceMn', message: 'no monitor NOSUCHMN is registered' }],
    });
    expect(await run('createWaterSampler', { ...sampler, deviceMn: 'RC301W' })).toMatchObject({
      __typename: 'ValidationError',
      problems: [{ path: 'deviceMn', message: "monitor RC301W is not one of this enterprise's" }],
    });
    expect(await run('createWaterSampler', { ...sampler, deviceMn: 'bad mn;' })).toMatchObject({
      problems: [{ path: 'deviceMn', message: 'MN must be 1-32 letters, digits, _ or -' }],
    });
    expect(await run('createWaterSampler', { ...sampler, outletCode: 'DA001' })).toMatchObject({
      problems: [{ path: 'outletCode', message: 'samplers stand at wastewater outlets' }],
    });
    expect(await run('createWaterSampler', { ...VALID.createWaterSampler, code: 'LYR-2' })).toMatchObject({ __typename: 'ConflictError' });
    // a sampler filed without its logger gets one later
    expect(await run('createWaterSampler', sampler)).toEqual({ code: 'LYR302', bottles: 24, deviceMn: null });
    const set = await s.hub.graphql(
      `mutation { setWaterSamplerDevice(code: "LYR302", deviceMn: "RC302W") { ${RESULT_FIELDS} ... on MutationSetWaterSamplerDeviceSuccess { data { code deviceMn } } } }`,
      {},
      s.tokens.district,
    );
    expect(data(set, 'setWaterSamplerDevice')).toEqual({ code: 'LYR302', deviceMn: 'RC302W' });
    const missing = await s.hub.graphql(`mutation { setWaterSamplerDevice(code: "LY-NONE", deviceMn: "RC302W") { ${RESULT_FIELDS} } }`, {}, s.tokens.district);
    expect(data(missing, 'setWaterSamplerDevice')).toMatchObject({ __typename: 'NotFoundError' });
  });

  it('refuses unknown outlets as not found', async () => {
    expect(await run('createFacility', { ...VALID.createFacility, outletCode: 'DW009' })).toEqual({
      __typename: 'NotFoundError',
      message: 'Outlet DW009 not found',
    });
    expect(await run('createWaterSampler', { ...VALID.createWaterSampler, outletCode: 'DW009', code: 'LYR-Z' })).toEqual({
      __typename: 'NotFoundError',
      message: 'Outlet DW009 not found',
    });
  });

  it('lets only the district keep the files: an enterprise, a town officer or an anonymous caller is refused', async () => {
    const before = await s.hub.hub.db.query<{ n: string | number }>('SELECT count(*) AS n FROM source_risk_sources');
    const enterprise = await s.enterpriseToken(PLATER);
    for (const name of Object.keys(MUTATIONS) as MutationName[]) {
      for (const [token, code] of [
        [enterprise, 'FORBIDDEN'],
        [s.tokens.townA, 'FORBIDDEN'],
        ['', 'UNAUTHENTICATED'],
      ] as const) {
        const response = await s.hub.graphql(document(name), { input: VALID[name] }, token);
        expect(response.body.errors?.[0]?.extensions?.code, `${name} ${code}`).toBe(code);
        expect(response.body.data ?? null).toBeNull();
      }
    }
    const after = await s.hub.hub.db.query<{ n: string | number }>('SELECT count(*) AS n FROM source_risk_sources');
    expect(Number(after[0]?.n)).toBe(Number(before[0]?.n));
  });
});
