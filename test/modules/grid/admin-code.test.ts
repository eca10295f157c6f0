import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCells } from '../../../src/demo/district';
import { ENGINES, startTestHub, type TestHub } from '../../support/hub';
import { GRID_ONLY, RESULT_FIELDS } from './support';

/*
 * Province platforms name towns and villages by the national division code (统计用区划代码), not by
 * the bureau's own cell codes: a town or village carries it, the district keeps it, and it is
 * unique.
 */
const UPSERT = `mutation($input: GridCellInput!) { upsertGridCell(input: $input) { ${RESULT_FIELDS} ... on MutationUpsertGridCellSuccess { data { code adminCode } } } }`;

describe.each(ENGINES)('national division codes of grid cells (%s)', (engine) => {
  let hub: TestHub;
  let district: string;

  const upsert = async (input: Record<string, unknown>) =>
    ((await hub.graphql(UPSERT, { input }, district)).body.data as { upsertGridCell: Record<string, unknown> }).upsertGridCell;

  beforeAll(async () => {
    hub = await startTestHub({ engine, env: GRID_ONLY });
    district = await hub.token({ roles: ['district'], sub: 'district-1' });
    await upsert({ code: 'A01', name: '片区' });
    await upsert({ code: 'A01001', name: '甲街道', parentCode: 'A01' });
  });
  afterAll(async () => hub?.stop());

  it('keeps a town’s and a village’s code, leaves it when omitted, and removes it on null', async () => {
    expect(await upsert({ code: 'A01001', name: '甲街道', parentCode: 'A01', adminCode: '510112001000' })).toMatchObject({
      data: { code: 'A01001', adminCode: '510112001000' },
    });
    expect(await upsert({ code: 'A01001001', name: '甲一村', parentCode: 'A01001', adminCode: '510112001201' })).toMatchObject({
      data: { adminCode: '510112001201' },
    });
    expect(await upsert({ code: 'A01001001', name: '甲一村（更名）', parentCode: 'A01001' })).toMatchObject({ data: { adminCode: '510112001201' } });
    const read = await hub.graphql(`{ gridCell(code: "A01001001") { adminCode parent { adminCode } } }`);
    expect(read.body.data).toEqual({ gridCell: { adminCode: '510112001201', parent: { adminCode: '510112001000' } } });
    expect(await upsert({ code: 'A01001001', name: '甲一村', parentCode: 'A01001', adminCode: null })).toMatchObject({ data: { adminCode: null } });
  });

  it('refuses a code that is not twelve digits, one on a district area, and one another cell holds', async () => {
    const problems = (outcome: Record<string, unknown>) => (outcome as { problems?: { path: string; message: string }[] }).problems;
    expect(problems(await upsert({ code: 'A01001002', name: '甲二村', parentCode: 'A01001', adminCode: '51011200100' }))).toEqual([
      { path: 'adminCode', message: expect.stringContaining('12 digits') },
    ]);
    expect(problems(await upsert({ code: 'A01', name: '片区', adminCode: '510112000000' }))).toEqual([
      { path: 'adminCode', message: expect.stringContaining('towns and villages') },
    ]);
    expect(problems(await upsert({ code: 'A01001002', name: '甲二村', parentCode: 'A01001', adminCode: '510112001000' }))).toEqual([
      { path: 'adminCode', message: 'already names cell A01001' },
    ]);
    const absent = await hub.graphql(`{ gridCell(code: "A01001002") { code } }`);
    expect(absent.body.data).toEqual({ gridCell: null });
  });
});

describe('the demo district’s division codes', () => {
  it('gives every town and village a distinct twelve-digit code under its town’s, and none to a district area', () => {
    const cells = demoCells();
    const byCode = new Map(cells.map((cell) => [cell.code, cell]));
    for (const cell of cells) {
      if (cell.level === 1) expect(cell.adminCode).toBeNull();
      else expect(cell.adminCode).toMatch(/^510112\d{6}$/);
      if (cell.level === 2) expect(cell.adminCode?.endsWith('000')).toBe(true);
      if (cell.level === 3) expect(cell.adminCode?.slice(0, 9)).toBe(byCode.get(cell.parentCode as string)?.adminCode?.slice(0, 9));
    }
    const codes = cells.flatMap((cell) => (cell.adminCode ? [cell.adminCode] : []));
    expect(new Set(codes).size).toBe(codes.length);
  });
});
