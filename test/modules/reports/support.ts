import ExcelJS from 'exceljs';
import { expect } from 'vitest';
import { createViewer, type Viewer } from '../../../src/auth/viewer';
import { demoDevicePassword } from '../../../src/demo/devices';
import { monitoringServiceRef, type ReadingInput } from '../../../src/monitoring/public';
import { airServiceRef } from '../../../modules/air/public';
import { gridServiceRef } from '../../../modules/grid/public';
import { sourceServiceRef } from '../../../modules/source/public';
import { waterServiceRef } from '../../../modules/water/public';
import { startTestHub, type EngineName, type TestHub } from '../../support/hub';
import { standardGrid } from '../grid/support';
import { uscc } from '../source/support';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
/** Asia/Shanghai wall time: `at('2025-06-01 00:00')`. */
export const at = (local: string): Date => new Date(`${local.replace(' ', 'T')}:00+08:00`);

/** The month the fixtures fill, the same month a year before (air only), and the hub's clock after both. */
export const MONTH = '2025-06';
export const MONTH_START = at('2025-06-01 00:00');
export const MONTH_END = at('2025-07-01 00:00');
export const LAST_YEAR_START = at('2024-06-01 00:00');
export const AFTER = at('2025-07-05 12:00');

export const ENTERPRISE_A = uscc(41);
export const ENTERPRISE_B = uscc(42);
export const AIR_STATIONS = ['510112D81', '510112D82'] as const;
export const WATER_STATION = 'R-RIV-01';

const viewer = (roles: Viewer['roles'], extra: Partial<Viewer> = {}): Viewer =>
  createViewer({ subject: `seed-${roles.join('-')}`, roles, name: '种子', ...extra });
const DISTRICT: Viewer = viewer(['district']);

export interface ReportsHub {
  th: TestHub;
  clock: { now: Date };
  tokens: { admin: string; district: string; townA: string; assistantA1: string; assistantB1: string; enterpriseA: string; upstream: string };
}

/** A hub with the modules reports read, on a clock the fixtures move through the month. */
export async function startReportsHub(engine: EngineName, env: Record<string, string> = {}): Promise<ReportsHub> {
  const clock = { now: AFTER };
  const th = await startTestHub({
    engine,
    now: () => clock.now,
    env: { HUB_MODULES: 'grid,source,air,water,reports', INTERRUPTION_CHECK_SECONDS: '86400', ...env },
  });
  const admin = await th.token({ roles: ['admin'], sub: 'admin-1' });
  return {
    th,
    clock,
    tokens: {
      admin,
      district: await th.token({ roles: ['district'], sub: 'district-1', name: '区局' }),
      townA: await th.token({ roles: ['town'], sub: 'town-a', cells: ['G01001'] }),
      assistantA1: await th.token({ roles: ['assistant'], sub: 'asst-a1', cells: ['G01001001'] }),
      assistantB1: await th.token({ roles: ['assistant'], sub: 'asst-b1', cells: ['G01002001'] }),
      enterpriseA: await th.token({ roles: ['enterprise'], sub: 'ent-a', enterprise: ENTERPRISE_A }),
      upstream: await th.token({ roles: ['upstream'], sub: 'province' }),
    },
  };
}

/** Daily PM2.5 means that walk through every AQI level (ug/m3), and the O3 1h value. */
const PM25_BY_DAY = [20, 45, 80, 130, 200, 300, 30, 60];

/** An air station's hours over `days` days from `start`: PM2.5 per the day's level, the others low. */
function airHours(mn: string, start: Date, days: number, shift: number): ReadingInput[] {
  const readings: ReadingInput[] = [];
  for (let h = 0; h < days * 24; h += 1) {
    const day = Math.floor(h / 24);
    // the 4 a.m. calibration hour is invalid; day 9 of each month has too few hours for a daily value
    if (day === 9 && h % 24 >= 4) continue;
    const time = new Date(start.getTime() + h * HOUR);
    const flag = h % 24 === 4 ? 'C' : 'N';
    const pm25 = PM25_BY_DAY[(day + shift) % PM25_BY_DAY.length] as number;
    for (const [factor, value] of [
      ['a34004', pm25],
      ['a34002', Math.round(pm25 * 1.4)],
      ['a21026', 12],
      ['a21004', 30],
      ['a21005', 0.8],
      ['a05024', 70],
    ] as const) {
      readings.push({ mn, factor, interval: 'HOUR', time, value, flag });
    }
  }
  return readings;
}

/** A river source (target II) whose NH3-N breaks class II on the 3rd and 17th. */
function waterHours(mn: string, start: Date, days: number): ReadingInput[] {
  const readings: ReadingInput[] = [];
  for (let h = 0; h < days * 24; h += 1) {
    const day = Math.floor(h / 24);
    const time = new Date(start.getTime() + h * HOUR);
    const nh3 = day === 2 || day === 16 ? 0.75 : 0.3;
    for (const [factor, value] of [
      ['w01001', 7.5],
      ['w01009', 7.0],
      ['w01019', 3.0],
      ['w21003', nh3],
      ['w21011', 0.08],
    ] as const) {
      readings.push({ mn, factor, interval: 'HOUR', time, value, flag: 'N' });
    }
  }
  return readings;
}

/**
 * The district's month: the standard grid; two enterprises (city- and state-controlled) with a
 * COD-limited wastewater outlet each, hourly values with exceedances and a few days of minute
 * values; two air stations over the month and the same month a year before; a drinking-water
 * station; tasks, patrols and enforcement cases dated inside the month.
 */
export async function seedMonth(r: ReportsHub): Promise<void> {
  const { th, clock } = r;
  await standardGrid(th, r.tokens.admin).build();
  const services = th.hub.services;
  const monitoring = services.get(monitoringServiceRef);
  const source = services.get(sourceServiceRef);
  const grid = services.get(gridServiceRef);

  for (const [code, name, level, cell, mn] of [
    [ENTERPRISE_A, '甲化工有限公司', 'CITY', 'G01001001', 'RPTW1'],
    [ENTERPRISE_B, '乙制药有限公司', 'STATE', 'G01002001', 'RPTW2'],
  ] as const) {
    await source.enterprises.create({ uscc: code, name, industry: '化学原料', controlLevel: level, cellCode: cell });
    const permit = await source.registry.createPermit({
      enterpriseUscc: code,
      number: `${code}001P`,
      validFrom: new Date('2020-01-01T00:00:00Z'),
      validTo: new Date('2030-01-01T00:00:00Z'),
    });
    await source.registry.createOutlet({
      enterpriseUscc: code,
      code: 'DW001',
      name: '废水总排口',
      kind: 'WASTEWATER',
      monitors: [{ mn, password: demoDevicePassword(mn) }],
    });
    await source.registry.setPermitLimit({
      permitNumber: permit.number,
      outletCode: 'DW001',
      factor: 'w01018',
      upper: 100,
      validFrom: new Date('2020-01-01T00:00:00Z'),
    });
  }
  const outletHours: ReadingInput[] = [];
  for (let h = 0; h < 10 * 24; h += 1) {
    const time = new Date(MONTH_START.getTime() + h * HOUR);
    // two episodes at A (day 2 and day 6), one at B (day 4); flagged maintenance hours are not valid
    const a = h === 30 || h === 31 || h === 140 ? 130 : 40 + (h % 7);
    const b = h === 100 ? 150 : 55;
    outletHours.push({ mn: 'RPTW1', factor: 'w01018', interval: 'HOUR', time, value: a, flag: h % 24 === 5 ? 'M' : 'N' });
    outletHours.push({ mn: 'RPTW2', factor: 'w01018', interval: 'HOUR', time, value: b, flag: 'N' });
  }
  await monitoring.ingest(outletHours);
  const minutes: ReadingInput[] = [];
  for (let m = 0; m < 4 * 1440 + 300; m += 1) {
    minutes.push({
      mn: 'RPTW1',
      factor: 'w01018',
      interval: 'RTD',
      time: new Date(MONTH_START.getTime() + 12 * DAY + m * 60_000),
      value: 40 + (m % 13) / 4,
      converted: null,
      flag: m % 97 === 0 ? 'D' : 'N',
    });
  }
  for (let i = 0; i < minutes.length; i += 2000) await monitoring.ingest(minutes.slice(i, i + 2000));

  const air = services.get(airServiceRef);
  for (const code of AIR_STATIONS) {
    const station = await air.createStation({ code, name: code === AIR_STATIONS[0] ? '东城站' : '西城站', level: 'DISTRICT', devicePassword: '123456' });
    const shift = code === AIR_STATIONS[0] ? 0 : 3;
    const hours = [...airHours(station.mn, MONTH_START, 30, shift), ...airHours(station.mn, LAST_YEAR_START, 30, shift + 1)];
    for (let i = 0; i < hours.length; i += 5000) await monitoring.ingest(hours.slice(i, i + 5000));
  }

  const water = services.get(waterServiceRef);
  await water.createWaterSource({ code: 'R-RIV', name: '东河水源', waterbody: 'RIVER', protectionZone: 'FIRST' });
  await water.createWaterSource({ code: 'R-LAKE', name: '乙镇水库', waterbody: 'LAKE', targetClass: 'III' });
  await water.createWaterStation({
    code: WATER_STATION,
    name: '东河取水口站',
    sourceCode: 'R-RIV',
    cellCode: 'G01001002',
    mn: 'RPTWQ1',
    devicePassword: '123456',
  });
  await water.createWaterStation({
    code: 'R-LAKE-01',
    name: '乙镇水库站',
    sourceCode: 'R-LAKE',
    cellCode: 'G01002001',
    mn: 'RPTWQ2',
    devicePassword: '123456',
  });
  const waterReadings = waterHours('RPTWQ1', MONTH_START, 20);
  for (let i = 0; i < waterReadings.length; i += 5000) await monitoring.ingest(waterReadings.slice(i, i + 5000));

  // grid work inside the month, on the hub clock the services stamp it with
  const [a1] = await grid.staff.list(DISTRICT, { search: '张伟' }, { limit: 1, afterId: undefined });
  const assistantA1 = viewer(['assistant'], { subject: 'asst-a1', cells: ['G01001001'], name: '张伟' });
  for (let k = 0; k < 4; k += 1) {
    clock.now = new Date(MONTH_START.getTime() + (3 + k * 5) * DAY + 2 * HOUR);
    const task = await grid.tasks.dispatch(DISTRICT, {
      type: k % 2 === 0 ? 'ROUTINE_PATROL' : 'COMPLAINT',
      title: `六月任务${k + 1}`,
      target: { kind: 'SOURCE', uscc: ENTERPRISE_A },
      cellCode: 'G01001001',
      assigneeId: a1?.id ?? null,
      deadline: new Date(clock.now.getTime() + 2 * DAY),
    });
    if (k < 3) {
      clock.now = new Date(clock.now.getTime() + HOUR);
      await grid.tasks.transition(assistantA1, task.id, 'ACCEPT', null);
      await grid.tasks.transition(assistantA1, task.id, 'START', null);
      await grid.patrols.record(assistantA1, {
        taskId: task.id,
        patrolledAt: clock.now,
        longitude: 104.2,
        latitude: 30.5,
        targetUscc: ENTERPRISE_A,
        productionStatus: 'PRODUCING',
        dischargeStatus: 'NORMAL',
        treatmentFacility: 'RUNNING',
        hazardousWaste: 'COMPLIANT',
        findings: '正常',
      });
      await grid.tasks.transition(assistantA1, task.id, 'SUBMIT', '已巡查');
      if (k < 2) await grid.tasks.transition(DISTRICT, task.id, 'VERIFY', null);
    }
  }
  // enforcement: one case opened and decided in June, one opened in May and decided in June, one opened in June
  clock.now = at('2025-06-20 10:00');
  const first = await source.enforcement.openCase(DISTRICT, {
    enterpriseUscc: ENTERPRISE_A,
    caseNumber: '龙环罚〔2025〕21号',
    findings: '超标排放化学需氧量',
    openedAt: at('2025-06-03 09:00'),
  });
  await source.enforcement.decideCase(DISTRICT, first.id, { decision: '罚款并责令改正', penaltyYuan: 120000, decidedAt: at('2025-06-18 15:00') });
  const earlier = await source.enforcement.openCase(DISTRICT, {
    enterpriseUscc: ENTERPRISE_B,
    caseNumber: '龙环罚〔2025〕15号',
    findings: '未按规定运行治理设施',
    openedAt: at('2025-05-12 09:00'),
  });
  await source.enforcement.decideCase(DISTRICT, earlier.id, { decision: '责令改正', penaltyYuan: null, decidedAt: at('2025-06-05 11:00') });
  await source.enforcement.closeCase(DISTRICT, earlier.id);
  await source.enforcement.openCase(DISTRICT, {
    enterpriseUscc: ENTERPRISE_B,
    caseNumber: '龙环罚〔2025〕30号',
    findings: '危险废物贮存不规范',
    openedAt: at('2025-06-25 14:00'),
  });
  clock.now = AFTER;
}

export interface Download {
  status: number;
  headers: Headers;
  body: Buffer;
}

export async function download(th: TestHub, path: string, token: string | undefined): Promise<Download> {
  const response = await fetch(`http://127.0.0.1:${th.hub.port}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
}

/** An RFC 4180 reader for the tests: the file must start with the UTF-8 byte-order mark. */
export function parseCsv(body: Buffer): string[][] {
  expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = body.subarray(3).toString('utf8');
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 1;
    } else field += c;
  }
  expect(field, 'the file ends with CRLF').toBe('');
  return rows;
}

export type SheetValue = string | number | boolean | Date | null;

/** Every sheet of a workbook as rows of plain values (dates on the Shanghai wall clock, as written). */
export async function readXlsx(body: Buffer): Promise<Map<string, SheetValue[][]>> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(body as unknown as ArrayBuffer);
  const sheets = new Map<string, SheetValue[][]>();
  workbook.eachSheet((sheet) => {
    const rows: SheetValue[][] = [];
    // both counts are worked out over the whole sheet on every read: once is enough
    const rowCount = sheet.rowCount;
    const columnCount = sheet.columnCount;
    for (let r = 1; r <= rowCount; r += 1) {
      const row = sheet.getRow(r);
      const values: SheetValue[] = [];
      for (let c = 1; c <= Math.max(row.cellCount, columnCount); c += 1) {
        const v = row.getCell(c).value;
        values.push(
          v === undefined
            ? null
            : v instanceof Date || typeof v !== 'object' || v === null
              ? (v as SheetValue)
              : String((v as { text?: string }).text ?? JSON.stringify(v)),
        );
      }
      while (values.length > 0 && values.at(-1) === null) values.pop();
      rows.push(values);
    }
    sheets.set(sheet.name, rows);
  });
  return sheets;
}

/** A cell as the tests expect it, before it is written as CSV text or an XLSX value. */
export type Expected = string | number | boolean | null | { time: string | null } | { day: string };

const pad = (n: number) => String(n).padStart(2, '0');
function localText(iso: string): string {
  const t = new Date(new Date(iso).getTime() + 8 * HOUR);
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())} ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}`;
}

/** The CSV text of an expected cell: numbers as JavaScript prints them, instants on the Shanghai clock. */
export function asCsv(cell: Expected): string {
  if (cell === null) return '';
  if (typeof cell === 'number') return String(cell);
  if (typeof cell === 'boolean') return cell ? '是' : '否';
  if (typeof cell === 'string') return cell;
  if ('day' in cell) return cell.day;
  return cell.time === null ? '' : localText(cell.time);
}

/** The XLSX value of an expected cell: instants as Shanghai wall-clock dates. */
export function asXlsx(cell: Expected): SheetValue {
  if (cell === null || typeof cell === 'number' || typeof cell === 'string') return cell;
  if (typeof cell === 'boolean') return cell ? '是' : '否';
  if ('day' in cell) return new Date(`${cell.day}T00:00:00Z`);
  return cell.time === null ? null : new Date(new Date(cell.time).getTime() + 8 * HOUR);
}

/** Rows of an XLSX sheet padded to the header's width (trailing empty cells are not stored). */
export function padRows(rows: SheetValue[][]): SheetValue[][] {
  const width = rows[0]?.length ?? 0;
  return rows.map((row) => [...row, ...Array(Math.max(0, width - row.length)).fill(null)]);
}

/** Downloads an export as CSV and XLSX and checks both against the same expected rows (header excluded). */
export async function expectExport(r: ReportsHub, path: string, token: string, expected: Expected[][]): Promise<{ csv: string[][]; xlsx: SheetValue[][] }> {
  const join = path.includes('?') ? '&' : '?';
  const csvFile = await download(r.th, `${path}${join}format=csv`, token);
  expect(csvFile.status, csvFile.body.toString().slice(0, 300)).toBe(200);
  expect(csvFile.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  const csv = parseCsv(csvFile.body);
  expect(csv.slice(1)).toEqual(expected.map((row) => row.map(asCsv)));
  const xlsxFile = await download(r.th, `${path}${join}format=xlsx`, token);
  expect(xlsxFile.status).toBe(200);
  expect(xlsxFile.headers.get('content-disposition')).toMatch(/^attachment; filename=".+\.xlsx"/);
  const sheets = await readXlsx(xlsxFile.body);
  expect(sheets.size).toBe(1);
  const xlsx = padRows([...sheets.values()][0] ?? []);
  expect(xlsx[0]).toEqual(csv[0]);
  expect(xlsx.slice(1)).toEqual(expected.map((row) => row.map(asXlsx)));
  return { csv, xlsx };
}
