import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/errors';
import { computeAqi } from '../../../modules/air/service/quality';
import { bucketWindows } from '../../../modules/reports/exports/readings';
import { dayWindows } from '../../../modules/reports/exports/water';
import { ExportParams } from '../../../modules/reports/exports/params';
import { csvField, csvLine } from '../../../modules/reports/format/csv';
import { createCsvWriter, createXlsxWriter } from '../../../modules/reports/format/writers';
import { airMonthOf, districtDays } from '../../../modules/reports/monthly/air';
import { parseMonth, shiftMonth } from '../../../modules/reports/monthly/period';
import { ExportJobs, ExportsBusyError } from '../../../modules/reports/service/jobs';
import { createViewer, type Viewer } from '../../../src/auth/viewer';
import { parseCsv, readXlsx } from './support';

const text = { header: 't', type: 'text' as const };
const num = { header: 'n', type: 'number' as const };
const time = { header: 'time', type: 'time' as const };
const day = { header: 'd', type: 'day' as const };
const params = (query: string, allowed: string[]) => new ExportParams(new URLSearchParams(query), allowed);

describe('CSV cells', () => {
  it('quotes what RFC 4180 needs quoted and writes CRLF records', () => {
    expect(csvLine(['a,b', 'say "hi"', 'two\nlines', 'plain'], [text, text, text, text])).toBe('"a,b","say ""hi""","two\nlines",plain\r\n');
  });

  it('keeps a text from running as a formula, and leaves numbers alone', () => {
    expect(csvField('=HYPERLINK("x")', text)).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('+1', text)).toBe("'+1");
    expect(csvField('@SUM(A1)', text)).toBe("'@SUM(A1)");
    expect(csvField(-5.5, num)).toBe('-5.5');
    expect(csvField(Number.NaN, num)).toBe('');
  });

  it('writes instants on the Asia/Shanghai clock, days as days, yes/no in Chinese, null as empty', () => {
    expect(csvField(new Date('2025-06-30T16:30:05Z'), time)).toBe('2025-07-01 00:30:05');
    expect(csvField(new Date('2025-06-30T16:00:00Z'), day)).toBe('2025-07-01');
    expect(csvField(true, text)).toBe('是');
    expect(csvField(null, num)).toBe('');
  });
});

describe('table writers', () => {
  const columns = [text, num, time];
  const rows = [
    ['甲', 1.5, new Date('2025-06-01T00:00:00Z')],
    ['=1+1', null, null],
  ];

  it('a CSV starts with the byte-order mark and a header, even with no rows', async () => {
    const sink = new PassThrough();
    const chunks: Buffer[] = [];
    sink.on('data', (c: Buffer) => chunks.push(c));
    const writer = createCsvWriter(sink, columns);
    await writer.rows(rows);
    await writer.end();
    expect(parseCsv(Buffer.concat(chunks))).toEqual([
      ['t', 'n', 'time'],
      ['甲', '1.5', '2025-06-01 08:00:00'],
      ["'=1+1", '', ''],
    ]);
    const empty = new PassThrough();
    const emptyChunks: Buffer[] = [];
    empty.on('data', (c: Buffer) => emptyChunks.push(c));
    await createCsvWriter(empty, columns).end();
    expect(parseCsv(Buffer.concat(emptyChunks))).toEqual([['t', 'n', 'time']]);
  });

  it('an XLSX holds typed cells: numbers, and times on the Shanghai wall clock', async () => {
    const sink = new PassThrough();
    const chunks: Buffer[] = [];
    sink.on('data', (c: Buffer) => chunks.push(c));
    const writer = createXlsxWriter(sink, columns, '测试');
    await writer.rows(rows);
    await writer.end();
    const sheet = (await readXlsx(Buffer.concat(chunks))).get('测试');
    expect(sheet).toEqual([['t', 'n', 'time'], ['甲', 1.5, new Date('2025-06-01T08:00:00Z')], ['=1+1']]);
  });
});

describe('export parameters', () => {
  it('refuses unknown and repeated parameters, and over-long values', () => {
    expect(() => params('form=2025-06-01', ['from'])).toThrow(/form: unknown parameter/);
    expect(() => params('from=1&from=2', ['from'])).toThrow(/given more than once/);
    expect(() => params(`from=${'x'.repeat(201)}`, ['from'])).toThrow(ValidationError);
  });

  it('reads a day as its Asia/Shanghai midnight and a time with its offset; refuses dates that do not exist', () => {
    expect(params('from=2025-06-01', ['from']).time('from', true).toISOString()).toBe('2025-05-31T16:00:00.000Z');
    expect(params('from=2025-06-01T08:00:00%2B08:00', ['from']).time('from', true).toISOString()).toBe('2025-06-01T00:00:00.000Z');
    expect(() => params('from=2025-02-30', ['from']).time('from', true)).toThrow(/not a real date/);
    expect(() => params('from=yesterday', ['from']).time('from', true)).toThrow(ValidationError);
  });

  it('bounds a range and checks its order', () => {
    expect(() => params('from=2025-06-02&to=2025-06-01', ['from', 'to']).range(31)).toThrow(/must be after from/);
    expect(() => params('from=2025-01-01&to=2025-03-01', ['from', 'to']).range(31)).toThrow(/at most 31 days/);
    expect(params('from=2025-06-01&to=2025-07-01', ['from', 'to']).range(30)).toEqual({
      from: new Date('2025-05-31T16:00:00Z'),
      to: new Date('2025-06-30T16:00:00Z'),
    });
  });

  it('takes enumerations in any case and lists of them', () => {
    expect(params('bucket=hour', ['bucket']).choice('bucket', ['RAW', 'HOUR'] as const, 'RAW')).toBe('HOUR');
    expect(params('status=verified,returned', ['status']).choices('status', ['VERIFIED', 'RETURNED', 'OVERDUE'] as const)).toEqual(['VERIFIED', 'RETURNED']);
    expect(() => params('status=DONE', ['status']).choices('status', ['VERIFIED'] as const)).toThrow(ValidationError);
  });
});

describe('reading windows', () => {
  const range = (from: string, to: string) => ({ from: new Date(from), to: new Date(to) });

  it('splits bucketed reads on whole hours after the first, so no bucket is read twice', () => {
    const windows = bucketWindows(range('2025-01-01T00:30:00Z', '2025-03-15T00:00:00Z'), 31);
    expect(windows[0]?.[0]).toBe(Date.parse('2025-01-01T00:30:00Z'));
    for (const [start] of windows.slice(1)) expect(start % 3_600_000).toBe(0);
    expect(windows.at(-1)?.[1]).toBe(Date.parse('2025-03-15T00:00:00Z'));
    windows.slice(1).forEach(([start], i) => expect(start).toBe(windows[i]?.[1]));
  });

  it('splits daily water reads on Asia/Shanghai midnights', () => {
    const windows = dayWindows(range('2025-01-01T05:00:00Z', '2025-12-31T16:00:00Z'));
    expect(windows).toHaveLength(5);
    for (const [start] of windows.slice(1)) expect((start.getTime() + 8 * 3_600_000) % 86_400_000).toBe(0);
  });
});

describe('monthly report arithmetic', () => {
  it('parses a month that has begun and shifts by a year', () => {
    const june = parseMonth('2025-06', new Date('2025-07-01T00:00:00Z'));
    expect(june.days).toHaveLength(30);
    expect(june.from.toISOString()).toBe('2025-05-31T16:00:00.000Z');
    expect(shiftMonth(june, -12).month).toBe('2024-06');
    expect(() => parseMonth('2025-13', new Date())).toThrow(ValidationError);
    expect(() => parseMonth('2025-08', new Date('2025-07-31T00:00:00Z'))).toThrow(/has not begun/);
  });

  it('counts days by level, good days and primary pollutants; a day without an AQI counts apart', () => {
    const days = ['2025-06-01', '2025-06-02', '2025-06-03'];
    const day = (d: string, pm25: number) =>
      computeAqi({ granularity: 'DAY', time: new Date(`${d}T00:00:00+08:00`), concentrations: [{ pollutant: 'PM2_5', averaging: '24h', value: pm25 }] });
    const month = airMonthOf('X', '站', days, [day('2025-06-01', 20), day('2025-06-02', 120)]);
    // PM2.5 alone: 20 is not above 100 (no AQI under the missing-pollutant rule), 120 is (level 4)
    expect(month).toMatchObject({ daysWithAqi: 1, daysWithoutAqi: 2, byLevel: [0, 0, 0, 1, 0, 0], goodDays: 0, goodRate: 0, primary: { PM2_5: 1 } });
  });

  it('scores the district from the mean of the stations’ concentrations', () => {
    const time = new Date('2025-06-01T00:00:00+08:00');
    const station = (pm25: number) => [
      computeAqi({
        granularity: 'DAY',
        time,
        concentrations: [
          { pollutant: 'PM2_5', averaging: '24h', value: pm25 },
          { pollutant: 'PM10', averaging: '24h', value: 50 },
        ],
      }),
    ];
    const [district] = districtDays({ computeAqi }, ['2025-06-01'], [station(100), station(200)]);
    const expected = computeAqi({
      granularity: 'DAY',
      time,
      concentrations: [
        { pollutant: 'PM2_5', averaging: '24h', value: 150 },
        { pollutant: 'PM10', averaging: '24h', value: 50 },
      ],
    });
    expect(district?.aqi).toBe(expected.aqi);
    expect(district?.aqi).toBe(200);
  });
});

describe('export jobs', () => {
  const person = (subject: string, roles: Viewer['roles'] = ['district']): Viewer => createViewer({ subject, roles });
  const what = { kind: 'readings', format: 'csv', fileName: 'r' };

  it('bounds exports per account and per instance', () => {
    const jobs = new ExportJobs({ maxRunning: 3, now: () => new Date() });
    jobs.start(person('a'), what);
    jobs.start(person('a'), what);
    expect(() => jobs.start(person('a'), what)).toThrow(ExportsBusyError);
    jobs.start(person('b'), what);
    expect(() => jobs.start(person('c'), what)).toThrow(/3 exports are running/);
  });

  it('shows an export to its owner and administrators only; cancelling trips its signal once', () => {
    const jobs = new ExportJobs({ maxRunning: 3, now: () => new Date() });
    const running = jobs.start(person('a'), what);
    expect(jobs.get(person('b'), running.job.id)).toBeUndefined();
    expect(jobs.cancel(person('b'), running.job.id)).toBeUndefined();
    expect(jobs.list(person('root', ['admin']))).toHaveLength(1);
    expect(jobs.cancel(person('a'), running.job.id)?.state).toBe('CANCELLED');
    expect(running.signal.aborted).toBe(true);
    running.finish('DONE');
    expect(jobs.get(person('a'), running.job.id)?.state).toBe('CANCELLED');
    // a cancelled export no longer counts against the account
    jobs.start(person('a'), what);
    jobs.start(person('a'), what);
  });
});
