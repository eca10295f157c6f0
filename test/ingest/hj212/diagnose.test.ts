import { describe, expect, it } from 'vitest';
import { modbusCrcLowFirstHex } from '../../../src/ingest/hj212/crc';
import { diagnoseFrame, maskPassword } from '../../../src/ingest/hj212/diagnose';
import { encodeFrame } from '../../../src/ingest/hj212/frame';

const MN = '010000A8900016F000169DC0';
const SEG = `QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=${MN};Flag=5;CP=&&RtdInterval=30&&`;
const FRAME = `##0101${SEG}1C80`;

describe('diagnoseFrame', () => {
  it('explains the standard example', () => {
    expect(diagnoseFrame(`${FRAME}\r\n`)).toEqual({
      valid: true,
      declaredLength: 101,
      actualLength: 101,
      crcFound: '1C80',
      crcExpected: '1C80',
      crcKind: 'hj212',
      edition: '2017',
      header: {
        qn: '20160801085857223',
        st: '32',
        cn: '1062',
        pwMasked: '10****',
        mn: MN,
        flag: 5,
        ackRequested: true,
      },
      cpFields: { RtdInterval: '30' },
      items: [],
      facilities: [],
      unknownKeys: {},
    });
  });

  it('tolerates a missing \\r\\n, surrounding whitespace, a lower-case CRC and a log prefix', () => {
    for (const text of [FRAME, `  \t${FRAME}\n `, FRAME.replace(/1C80$/, '1c80'), `2024-05-01 08:00:01 RECV ${FRAME}`]) {
      const d = diagnoseFrame(text);
      expect(d.valid).toBe(true);
      expect(d.crcFound).toBe('1C80');
      expect(d.header?.cn).toBe('1062');
    }
  });

  it('still decodes a frame with a wrong CRC, and says which CRC was expected', () => {
    const d = diagnoseFrame(`##0101${SEG}ABCD`);
    expect(d).toMatchObject({
      valid: false,
      reason: 'bad-crc',
      detail: 'CRC ABCD does not match 1C80',
      crcFound: 'ABCD',
      crcExpected: '1C80',
      crcKind: 'mismatch',
    });
    expect(d.header?.mn).toBe(MN);
    expect(d.cpFields).toEqual({ RtdInterval: '30' });
  });

  it('recognises a MODBUS CRC', () => {
    const d = diagnoseFrame(`##0101${SEG}${modbusCrcLowFirstHex(SEG)}`);
    expect(d).toMatchObject({ valid: false, reason: 'modbus-crc', crcKind: 'modbus-low-first', crcExpected: '1C80' });
  });

  it('points at a length counted in characters instead of UTF-8 bytes', () => {
    const segment = 'QN=20240101000000000;ST=32;CN=3020;PW=123456;MN=A1;Flag=4;CP=&&PolId=w01018;i13004-Info=在线监测仪&&';
    const good = encodeFrame(segment).trimEnd();
    const d = diagnoseFrame(`##${String(segment.length).padStart(4, '0')}${good.slice(6)}`);
    expect(d).toMatchObject({
      valid: false,
      reason: 'bad-length',
      declaredLength: segment.length,
      actualLength: segment.length + 10,
      crcKind: 'hj212',
    });
    expect(d.detail).toContain('counted characters');
    expect(d.unknownKeys).toEqual({ 'i13004-Info': '在线监测仪' });
  });

  it('names the factors, with unit, 2005 codes mapped and unknown codes kept', () => {
    const segment =
      'QN=20240101000000000;ST=32;CN=2011;PW=123456;MN=A1;Flag=7;PNUM=2;PNO=1;CP=&&DataTime=20240101080000;' +
      'w01018-Rtd=50.5,w01018-Flag=N;060-Rtd=1.2;x99001-Rtd=3;SB1-RS=1;Foo=bar&&';
    const d = diagnoseFrame(encodeFrame(segment));
    expect(d.valid).toBe(true);
    expect(d.header).toMatchObject({ pwMasked: '12****', flag: 7, ackRequested: true, split: { pnum: 2, pno: 1 } });
    expect(d.dataTime?.toISOString()).toBe('2024-01-01T00:00:00.000Z');
    expect(d.items).toEqual([
      { code: 'w01018', factor: 'w01018', known: true, name: '化学需氧量', unit: 'mg/L', values: { Rtd: 50.5 }, flag: 'N' },
      { code: '060', factor: 'w21003', known: true, name: '氨氮', unit: 'mg/L', values: { Rtd: 1.2 } },
      { code: 'x99001', factor: 'x99001', known: false, values: { Rtd: 3 } },
    ]);
    expect(d.facilities).toEqual([{ id: 'SB1', runStatus: 1 }]);
    expect(d.unknownKeys).toEqual({ Foo: 'bar' });
  });

  it('reads a 2005 frame', () => {
    const d = diagnoseFrame(encodeFrame('ST=32;CN=2011;PW=123456;MN=88888880000001;CP=&&DataTime=20040516020111;011-Rtd=30.5&&'));
    expect(d).toMatchObject({ valid: true, edition: '2005', header: { ackRequested: false } });
    expect(d.header?.qn).toBeUndefined();
    expect(d.items[0]).toMatchObject({ factor: 'w01018', name: '化学需氧量' });
  });

  it('reports a frame whose segment does not parse', () => {
    expect(diagnoseFrame(encodeFrame('ST=32;CN=2011;PW=1;CP=&&&&'))).toMatchObject({
      valid: false,
      reason: 'missing-field',
      detail: 'MN is missing',
      crcKind: 'hj212',
    });
  });

  it('reads a pasted bare data segment but does not call it valid', () => {
    const d = diagnoseFrame(SEG);
    expect(d).toMatchObject({ valid: false, reason: 'bad-header' });
    expect(d.header?.cn).toBe('1062');
  });

  it('rejects text that is no frame at all', () => {
    expect(diagnoseFrame('hello')).toEqual({
      valid: false,
      reason: 'bad-header',
      detail: 'no ## frame start found',
      cpFields: {},
      items: [],
      facilities: [],
      unknownKeys: {},
    });
    expect(diagnoseFrame('##01')).toMatchObject({ valid: false, reason: 'bad-length', items: [] });
  });

  it('masks all but the first two characters of the password', () => {
    expect(maskPassword('123456')).toBe('12****');
    expect(maskPassword('12')).toBe('**');
    expect(maskPassword('')).toBe('');
  });
});
