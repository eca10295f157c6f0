import { describe, expect, it } from 'vitest';
import { buildAck, buildCommand, buildDataUpload, buildRequestReply, encodeSegment, formatHj212Number, QN_RTN } from '../../../src/ingest/hj212/encode';
import { encodeFrame } from '../../../src/ingest/hj212/frame';
import type { Hj212Message, ParseResult } from '../../../src/ingest/hj212/message';
import { formatHj212Time, formatQn, parseHj212Time, parseSegment } from '../../../src/ingest/hj212/message';

const MN = '010000A8900016F000169DC0';

function parsed(segment: string): Hj212Message {
  const result = parseSegment(segment);
  if (!result.ok) throw new Error(`expected ${segment} to parse: ${result.reason} ${result.detail}`);
  return result.message;
}

function failure(segment: string): Extract<ParseResult, { ok: false }> {
  const result = parseSegment(segment);
  if (result.ok) throw new Error(`expected ${segment} to be rejected`);
  return result;
}

describe('parseSegment: header', () => {
  it('reads a 2017 real-time upload', () => {
    const m = parsed(
      `QN=20160801085857223;ST=32;CN=2011;PW=123456;MN=${MN};Flag=5;CP=&&DataTime=20160801085857;w01018-Rtd=50.2,w01018-Flag=N;w21003-Rtd=1.25,w21003-Flag=N&&`,
    );
    expect(m).toMatchObject({ qn: '20160801085857223', st: '32', cn: '2011', pw: '123456', mn: MN, flag: 5 });
    expect(m.edition).toBe('2017');
    expect(m.ackRequested).toBe(true);
    expect(m.split).toBeUndefined();
    expect(m.cp).toBe('DataTime=20160801085857;w01018-Rtd=50.2,w01018-Flag=N;w21003-Rtd=1.25,w21003-Flag=N');
    expect(m.items).toEqual([
      { code: 'w01018', factor: 'w01018', known: true, values: { Rtd: 50.2 }, flag: 'N' },
      { code: 'w21003', factor: 'w21003', known: true, values: { Rtd: 1.25 }, flag: 'N' },
    ]);
    expect(m.unknownKeys).toEqual({});
  });

  it('reads fields by key, whatever their order', () => {
    const m = parsed('MN=A1;CN=2051;PW=9;ST=31;QN=20240101000000000;Flag=4;CP=&&&&');
    expect(m).toMatchObject({ qn: '20240101000000000', st: '31', cn: '2051', pw: '9', mn: 'A1', flag: 4 });
  });

  it('reads a 2005 upload without QN or Flag and maps its factor codes', () => {
    const m = parsed('ST=32;CN=2011;PW=123456;MN=88888880000001;CP=&&DataTime=20040516020111;B01-Rtd=60.0;011-Rtd=30.5,011-Flag=N;060-Rtd=1.2;S01-Rtd=8.4&&');
    expect(m.qn).toBeUndefined();
    expect(m.flag).toBeUndefined();
    expect(m.edition).toBe('2005');
    expect(m.ackRequested).toBe(false);
    expect(m.items.map((i) => [i.code, i.factor, i.known])).toEqual([
      ['B01', 'w00000', true],
      ['011', 'w01018', true],
      ['060', 'w21003', true],
      ['S01', 'a19001', true],
    ]);
    expect(m.items[1]).toMatchObject({ values: { Rtd: 30.5 }, flag: 'N' });
  });

  it.each([
    [0, '2005', false],
    [1, '2005', true],
    [4, '2017', false],
    [5, '2017', true],
    [8, '2025', false],
    [9, '2025', true],
  ] as const)('Flag=%i means edition %s, acknowledgement %s', (flag, edition, ack) => {
    const m = parsed(`QN=1;ST=32;CN=2011;PW=1;MN=2;Flag=${flag};CP=&&&&`);
    expect(m.edition).toBe(edition);
    expect(m.ackRequested).toBe(ack);
    expect(m.flag).toBe(flag);
  });

  it('accepts FLAG in upper case', () => {
    expect(parsed('ST=32;CN=2011;PW=1;MN=2;FLAG=5;CP=&&&&')).toMatchObject({ flag: 5, edition: '2017', ackRequested: true });
  });

  it('rejects a Flag naming an unknown edition or not a number', () => {
    expect(failure('ST=32;CN=2011;PW=1;MN=2;Flag=12;CP=&&&&').reason).toBe('bad-field');
    expect(failure('ST=32;CN=2011;PW=1;MN=2;Flag=x;CP=&&&&').reason).toBe('bad-field');
  });

  it('reads PNUM/PNO in either order and with leading zeros', () => {
    expect(parsed('ST=32;CN=2011;PW=1;MN=2;Flag=7;PNO=002;PNUM=0003;CP=&&&&').split).toEqual({ pnum: 3, pno: 2 });
    expect(parsed('ST=32;CN=2011;PW=1;MN=2;Flag=6;PNUM=3;PNO=1;CP=&&&&').split).toEqual({ pnum: 3, pno: 1 });
  });

  it('takes bit D without PNUM/PNO as a single message, and notes it', () => {
    for (const flag of [2, 3, 6, 7]) {
      const m = parsed(`ST=32;CN=2011;PW=1;MN=2;Flag=${flag};CP=&&DataTime=20240501080000;w01018-Rtd=1&&`);
      expect(m.split).toBeUndefined();
      expect(m.ackRequested).toBe((flag & 1) === 1);
      expect(m.items).toHaveLength(1);
      expect(m.notes?.[0]).toMatch(/split message \(bit D\) but PNUM\/PNO are missing: taken as a single message/);
    }
    expect(parsed('ST=32;CN=2011;PW=1;MN=2;Flag=5;CP=&&&&').notes).toBeUndefined();
  });

  it('rejects half a PNUM/PNO pair, and PNO beyond PNUM', () => {
    expect(failure('ST=32;CN=2011;PW=1;MN=2;Flag=6;PNUM=2;CP=&&&&')).toMatchObject({ reason: 'missing-field' });
    expect(failure('ST=32;CN=2011;PW=1;MN=2;Flag=6;PNUM=2;PNO=3;CP=&&&&')).toMatchObject({ reason: 'bad-field' });
    expect(failure('ST=32;CN=2011;PW=1;MN=2;Flag=6;PNUM=2;PNO=0;CP=&&&&')).toMatchObject({ reason: 'bad-field' });
  });

  it('accepts an empty PW and an empty data area', () => {
    const m = parsed('QN=1;ST=32;CN=2011;PW=;MN=2;Flag=4;CP=&&&&');
    expect(m.pw).toBe('');
    expect(m.cp).toBe('');
    expect(m.items).toEqual([]);
    expect(m.cpFields).toEqual({});
  });

  it('accepts unusual system codes and records them', () => {
    expect(parsed('ST=101;CN=2011;PW=1;MN=2;CP=&&&&').st).toBe('101');
  });

  it.each([
    ['CN=2011;PW=1;MN=2;CP=&&&&', 'missing-field', 'ST is missing'],
    ['ST=32;PW=1;MN=2;CP=&&&&', 'missing-field', 'CN is missing'],
    ['ST=32;CN=2011;PW=1;CP=&&&&', 'missing-field', 'MN is missing'],
    ['ST=32;CN=2011;PW=1;MN=;CP=&&&&', 'missing-field', 'MN is missing'],
    ['ST=32;CN=2011;PW=1;MN=2', 'missing-field', 'no CP=&& data area'],
    ['ST=32;CN=2011;PW=1;MN=2;CP=&&w01018-Rtd=1', 'bad-cp', 'data area is not closed by &&'],
    ['ST=ab;CN=2011;PW=1;MN=2;CP=&&&&', 'bad-field', "ST 'ab' is not a number"],
    ['ST=32;CN=20x1;PW=1;MN=2;CP=&&&&', 'bad-field', "CN '20x1' is not a number"],
    ['ST=32;CN=2011;PW=1;MN=2;CP=&&DataTime=20160231000000&&', 'bad-field', "DataTime '20160231000000' is not YYYYMMDDhhmmss"],
  ])('rejects %s', (segment, reason, detail) => {
    expect(parseSegment(segment)).toEqual({ ok: false, reason, detail });
  });

  it('keeps unknown header fields', () => {
    expect(parsed('ST=32;CN=2011;PW=1;MN=2;Vendor=acme;junk;CP=&&&&').unknownKeys).toEqual({ Vendor: 'acme', junk: '' });
  });
});

describe('parseSegment: data area', () => {
  const head = 'QN=20240101000000000;ST=31;CN=2051;PW=123456;MN=A1;Flag=4;';

  it('tolerates a trailing ; before && and ; between values of one factor', () => {
    const m = parsed(`${head}CP=&&DataTime=20240101000000;a21026-Avg=12.5;a21026-Min=10;a21026-Max=15;a21026-Flag=N;&&`);
    expect(m.items).toEqual([{ code: 'a21026', factor: 'a21026', known: true, values: { Avg: 12.5, Min: 10, Max: 15 }, flag: 'N' }]);
    expect(m.unknownKeys).toEqual({});
  });

  it('reads converted (-Zs) values, -Cou, -EFlag and -SampleTime', () => {
    const m = parsed(
      `${head}CP=&&DataTime=20240101000000;a21026-Avg=50,a21026-ZsAvg=72.5,a21026-ZsMin=60,a21026-ZsMax=80,a21026-Cou=1.5e2,a21026-EFlag=A01,a21026-SampleTime=20240101000500&&`,
    );
    expect(m.items[0]).toEqual({
      code: 'a21026',
      factor: 'a21026',
      known: true,
      values: { Avg: 50, ZsAvg: 72.5, ZsMin: 60, ZsMax: 80, Cou: 150 },
      eflag: 'A01',
      sampleTime: '20240101000500',
    });
  });

  it('reads facility status SB<n>-RS and run hours SB<n>-RT', () => {
    const m = parsed(`${head}CP=&&DataTime=20240101000000;SB1-RS=1;SB1-RT=23.5;SB2-RS=4&&`);
    expect(m.facilities).toEqual([
      { id: 'SB1', runStatus: 1, runHours: 23.5 },
      { id: 'SB2', runStatus: 4 },
    ]);
    expect(m.items).toEqual([]);
  });

  it('keeps unknown factor codes and unknown keys', () => {
    const m = parsed(`${head}CP=&&DataTime=20240101000000;x99001-Rtd=1.5;w01018-Info=abc;Foo=bar;SB1-RS=on&&`);
    expect(m.items).toEqual([{ code: 'x99001', factor: 'x99001', known: false, values: { Rtd: 1.5 } }]);
    expect(m.unknownKeys).toEqual({ 'w01018-Info': 'abc', Foo: 'bar', 'SB1-RS': 'on' });
  });

  it('keeps keys that are names on Object.prototype as plain data', () => {
    const m = parsed(`${head}CP=&&toString=1;__proto__=2;constructor=3;toString=4&&`);
    expect(Object.keys(m.unknownKeys)).toEqual(['toString', '__proto__', 'constructor']);
    expect(m.unknownKeys.toString).toBe('1,4');
    expect(Object.getOwnPropertyDescriptor(m.unknownKeys, '__proto__')?.value).toBe('2');
    expect(Object.getPrototypeOf(m.unknownKeys)).toBe(Object.prototype);
  });

  it('puts values that are not numbers in unparsed instead of failing', () => {
    const m = parsed(`${head}CP=&&w01018-Rtd=--,w01018-Avg=,w01018-Max=1.2.3,w01018-Min=007,w01018-Flag=D&&`);
    expect(m.items[0]).toEqual({
      code: 'w01018',
      factor: 'w01018',
      known: true,
      values: { Min: 7 },
      flag: 'D',
      unparsed: { Rtd: '--', Avg: '', Max: '1.2.3' },
    });
  });

  it('keeps a repeated value instead of overwriting the first', () => {
    const m = parsed(`${head}CP=&&w01018-Rtd=1;w01018-Rtd=2;DataTime=20240101000000;DataTime=20240101000100&&`);
    expect(m.items[0]?.values).toEqual({ Rtd: 1 });
    expect(m.unknownKeys).toEqual({ 'w01018-Rtd': '2', DataTime: '20240101000100' });
    expect(m.cpFields.DataTime).toBe('20240101000000');
  });

  it('collects non-factor keys in cpFields', () => {
    const m = parsed(`${head}CP=&&DataTime=20160801085857;RestartTime=20160801085624;QnRtn=1;ExeRtn=1;RtdInterval=30&&`);
    expect(m.cpFields).toEqual({
      DataTime: '20160801085857',
      RestartTime: '20160801085624',
      QnRtn: '1',
      ExeRtn: '1',
      RtdInterval: '30',
    });
  });

  it('reads the QN and CN a 2005 acknowledgement carries inside CP', () => {
    const m = parsed('ST=91;CN=9014;PW=123456;MN=88888880000001;CP=&&QN=20040516010101001;CN=2051&&');
    expect(m.cn).toBe('9014');
    expect(m.cpFields).toEqual({ QN: '20040516010101001', CN: '2051' });
  });

  it('reads DataTime as Asia/Shanghai time (UTC+8)', () => {
    const m = parsed(`${head}CP=&&DataTime=20160801085857&&`);
    expect(m.dataTime?.toISOString()).toBe('2016-08-01T00:58:57.000Z');
  });

  it('accepts a 17-digit DataTime', () => {
    const m = parsed(`${head}CP=&&DataTime=20160801085857223&&`);
    expect(m.dataTime?.toISOString()).toBe('2016-08-01T00:58:57.223Z');
  });

  it('moves to the previous UTC day before 08:00 local time', () => {
    expect(parsed(`${head}CP=&&DataTime=20240301003000&&`).dataTime?.toISOString()).toBe('2024-02-29T16:30:00.000Z');
  });
});

describe('HJ 212 time', () => {
  it.each(['2016080108585', '201608010858571', '20161301000000', '20160230000000', '20160101240000', '20160101006000', '20160101000060', '2016010100000a', ''])(
    'rejects %j',
    (text) => expect(parseHj212Time(text)).toBeUndefined(),
  );

  it('accepts 29 February in a leap year only', () => {
    expect(parseHj212Time('20240229120000')?.toISOString()).toBe('2024-02-29T04:00:00.000Z');
    expect(parseHj212Time('20230229120000')).toBeUndefined();
  });

  it('formats in Asia/Shanghai time', () => {
    const d = new Date('2016-08-01T00:58:57.223Z');
    expect(formatHj212Time(d)).toBe('20160801085857');
    expect(formatQn(d)).toBe('20160801085857223');
    expect(formatHj212Time(new Date('2024-12-31T16:00:00Z'))).toBe('20250101000000');
  });

  it('round-trips through parse and format', () => {
    for (const text of ['20000101000000', '20241231235959', '20160801085857']) {
      expect(formatHj212Time(parseHj212Time(text)!)).toBe(text);
    }
    expect(formatQn(parseHj212Time('20160801085857009')!)).toBe('20160801085857009');
  });

  it('refuses an invalid date', () => {
    expect(() => formatHj212Time(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe('encoding segments', () => {
  const QN = '20160801085857223';
  const upload2017 = `QN=${QN};ST=32;CN=2011;PW=123456;MN=${MN};Flag=5;CP=&&DataTime=20160801085857;w01018-Rtd=50.2&&`;

  it('builds the standard 1062 command, which frames with CRC 1C80', () => {
    const segment = buildCommand({ qn: QN, st: '32', pw: '100000', mn: MN }, { cn: '1062', rtdIntervalSeconds: 30 });
    expect(segment).toBe(`QN=${QN};ST=32;CN=1062;PW=100000;MN=${MN};Flag=5;CP=&&RtdInterval=30&&`);
    expect(encodeFrame(segment)).toBe(`##0101${segment}1C80\r\n`);
  });

  it('builds the other commands under the device ST', () => {
    const target = { qn: QN, st: '31', pw: '1', mn: 'A1', flag: 4 };
    expect(buildCommand(target, { cn: '1011' })).toBe(`QN=${QN};ST=31;CN=1011;PW=1;MN=A1;Flag=4;CP=&&&&`);
    expect(buildCommand(target, { cn: '1061' })).toBe(`QN=${QN};ST=31;CN=1061;PW=1;MN=A1;Flag=4;CP=&&&&`);
    expect(buildCommand(target, { cn: '1012', systemTime: new Date('2016-08-01T00:58:57Z') })).toBe(
      `QN=${QN};ST=31;CN=1012;PW=1;MN=A1;Flag=4;CP=&&SystemTime=20160801085857&&`,
    );
    expect(buildCommand(target, { cn: '3015', polId: 'w01018' })).toBe(`QN=${QN};ST=31;CN=3015;PW=1;MN=A1;Flag=4;CP=&&PolId=w01018&&`);
    expect(() => buildCommand(target, { cn: '1062', rtdIntervalSeconds: 0 })).toThrow(RangeError);
  });

  it('acknowledges a 2017 upload asking for it with the standard 9014 segment', () => {
    const ack = buildAck(parsed(upload2017));
    expect(ack).toBe(`QN=${QN};ST=91;CN=9014;PW=123456;MN=${MN};Flag=4;CP=&&&&`);
    expect(encodeFrame(ack!)).toBe(`##0087${ack}3240\r\n`);
  });

  it('acknowledges a 2025 upload in the same form', () => {
    expect(buildAck(parsed(upload2017.replace('Flag=5', 'Flag=9')))).toBe(`QN=${QN};ST=91;CN=9014;PW=123456;MN=${MN};Flag=4;CP=&&&&`);
  });

  it('acknowledges each packet of a split message with its own QN', () => {
    const packet = parsed(`QN=20240101000000002;ST=32;CN=2061;PW=1;MN=A1;Flag=7;PNUM=2;PNO=2;CP=&&&&`);
    expect(buildAck(packet)).toBe('QN=20240101000000002;ST=91;CN=9014;PW=1;MN=A1;Flag=4;CP=&&&&');
  });

  it('answers a 2005 device in its own dialect, QN inside CP', () => {
    const m = parsed('QN=20040516010101001;ST=32;CN=2051;PW=123456;MN=88888880000001;Flag=1;CP=&&DataTime=20040516010000&&');
    expect(buildAck(m)).toBe('ST=91;CN=9014;PW=123456;MN=88888880000001;CP=&&QN=20040516010101001;CN=2051&&');
    const noQn = parsed('ST=32;CN=2051;PW=123456;MN=88888880000001;Flag=1;CP=&&&&');
    expect(buildAck(noQn)).toBe('ST=91;CN=9014;PW=123456;MN=88888880000001;CP=&&CN=2051&&');
  });

  it('sends no acknowledgement when none is asked for or the message is not a data upload', () => {
    expect(buildAck(parsed(upload2017.replace('Flag=5', 'Flag=4')))).toBeUndefined();
    expect(buildAck(parsed('ST=32;CN=2011;PW=1;MN=2;CP=&&&&'))).toBeUndefined();
    expect(buildAck(parsed(`QN=${QN};ST=32;CN=1062;PW=1;MN=2;Flag=5;CP=&&RtdInterval=30&&`))).toBeUndefined();
  });

  it('builds 9011 request replies, e.g. the standard QnRtn=1 example', () => {
    const command = parsed(`QN=${QN};ST=32;CN=1062;PW=123456;MN=${MN};Flag=5;CP=&&RtdInterval=30&&`);
    const ready = buildRequestReply(command, QN_RTN.ready);
    expect(encodeFrame(ready)).toBe(`##0094QN=${QN};ST=91;CN=9011;PW=123456;MN=${MN};Flag=4;CP=&&QnRtn=1&&1B00\r\n`);
    expect(buildRequestReply(parsed(upload2017), QN_RTN.badPassword)).toBe(`QN=${QN};ST=91;CN=9011;PW=123456;MN=${MN};Flag=4;CP=&&QnRtn=3&&`);
    expect(buildRequestReply(parsed('QN=7;ST=32;CN=2011;PW=1;MN=2;CP=&&&&'), QN_RTN.badMn)).toBe('ST=91;CN=9011;PW=1;MN=2;CP=&&QN=7;QnRtn=4&&');
  });

  it('builds data uploads that parse back to the same values', () => {
    const segment = buildDataUpload({
      qn: '20240101000500000',
      st: '31',
      cn: '2061',
      pw: '123456',
      mn: 'A1',
      dataTime: new Date('2023-12-31T16:00:00Z'),
      items: [
        { code: 'a21026', values: { Avg: 12.5, Min: 1e-7, Max: 20, ZsAvg: 30 }, flag: 'N' },
        { code: 'a19001', values: { Avg: 8 } },
      ],
      facilities: [{ id: 'SB1', runStatus: 1, runHours: 1 }],
    });
    expect(segment).toBe(
      'QN=20240101000500000;ST=31;CN=2061;PW=123456;MN=A1;Flag=5;CP=&&DataTime=20240101000000;' +
        'a21026-Avg=12.5,a21026-Min=0.0000001,a21026-Max=20,a21026-ZsAvg=30,a21026-Flag=N;a19001-Avg=8;SB1-RS=1,SB1-RT=1&&',
    );
    const m = parsed(segment);
    expect(m.items[0]?.values).toEqual({ Avg: 12.5, Min: 1e-7, Max: 20, ZsAvg: 30 });
    expect(m.facilities).toEqual([{ id: 'SB1', runStatus: 1, runHours: 1 }]);
    expect(m.dataTime?.toISOString()).toBe('2023-12-31T16:00:00.000Z');
  });

  it('writes numbers in plain decimal', () => {
    expect(formatHj212Number(1e-7)).toBe('0.0000001');
    expect(formatHj212Number(-2.5e-8)).toBe('-0.000000025');
    expect(formatHj212Number(1.5e21)).toBe('1500000000000000000000');
    expect(formatHj212Number(123.456)).toBe('123.456');
    expect(() => formatHj212Number(Number.NaN)).toThrow(RangeError);
  });

  it('refuses field values that would break the segment', () => {
    expect(() => encodeSegment({ st: '32', cn: '2011', pw: '1', mn: 'A;B', cp: '' })).toThrow(RangeError);
    expect(() => encodeSegment({ st: '32', cn: '2011', pw: '1', mn: 'A', cp: 'a=1&&' })).toThrow(RangeError);
  });
});
