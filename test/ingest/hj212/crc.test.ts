import { describe, expect, it } from 'vitest';
import { hj212Crc, hj212CrcHex, modbusCrcLowFirstHex } from '../../../src/ingest/hj212/crc';

const MN = '010000A8900016F000169DC0';
const QN = '20160801085857223';

// The standard's worked example and frames built from its appendix C segments.
const EXAMPLES: [string, string][] = [
  [`QN=${QN};ST=32;CN=1062;PW=100000;MN=${MN};Flag=5;CP=&&RtdInterval=30&&`, '1C80'],
  [`QN=${QN};ST=32;CN=1000;PW=123456;MN=${MN};Flag=5;CP=&&OverTime=5;ReCount=3&&`, 'CAC1'],
  [`QN=${QN};ST=91;CN=9011;PW=123456;MN=${MN};Flag=4;CP=&&QnRtn=1&&`, '1B00'],
  [`QN=${QN};ST=91;CN=9014;PW=123456;MN=${MN};Flag=4;CP=&&&&`, '3240'],
  [`QN=${QN};ST=32;CN=2061;PW=123456;MN=${MN};Flag=5;CP=&&BeginTime=20160801080000;EndTime=20160801080000&&`, '7EC0'],
  [`QN=${QN};ST=32;CN=2081;PW=123456;MN=${MN};Flag=5;CP=&&DataTime=20160801085857;RestartTime=20160801085624&&`, '9AC1'],
];

describe('hj212CrcHex', () => {
  it.each(EXAMPLES)('signs the standard example %# as the standard does', (segment, crc) => {
    expect(hj212CrcHex(segment)).toBe(crc);
  });

  it('is not the prose typo 1C08 for the worked example', () => {
    expect(hj212CrcHex(EXAMPLES[0]![0])).not.toBe('1C08');
  });

  it('starts from 0xFFFF: the empty segment signs as FFFF', () => {
    expect(hj212CrcHex('')).toBe('FFFF');
    expect(hj212Crc(new Uint8Array())).toBe(0xffff);
  });

  it('pads to four upper-case hex digits', () => {
    for (const segment of ['a', 'ST=32', 'CN=2011', '中文', 'x'.repeat(50)]) {
      expect(hj212CrcHex(segment)).toMatch(/^[0-9A-F]{4}$/);
    }
  });

  it('signs the UTF-8 bytes of Chinese text', () => {
    const text = 'MN=站点一';
    expect(hj212CrcHex(text)).toBe(hj212Crc(Buffer.from(text, 'utf8')).toString(16).toUpperCase().padStart(4, '0'));
    expect(hj212CrcHex(text)).not.toBe(hj212Crc(Buffer.from(text, 'latin1')).toString(16).toUpperCase().padStart(4, '0'));
  });

  it('takes at most 256 values, as the standard procedure implies', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i++) seen.add(hj212CrcHex(`QN=${i};ST=32;CN=2011;CP=&&w01018-Rtd=${i * 7}&&`));
    expect(seen.size).toBeLessThanOrEqual(256);
    expect(seen.size).toBeGreaterThan(100);
  });
});

describe('modbusCrcLowFirstHex', () => {
  it('computes CRC-16/MODBUS printed low byte first', () => {
    // CRC-16/MODBUS check value for "123456789" is 0x4B37.
    expect(modbusCrcLowFirstHex('123456789')).toBe('374B');
  });

  it('differs from the HJ 212 CRC on every standard example', () => {
    for (const [segment, crc] of EXAMPLES) expect(modbusCrcLowFirstHex(segment)).not.toBe(crc);
  });

  it('gives the value a MODBUS-signing device would put on the worked example', () => {
    expect(modbusCrcLowFirstHex(EXAMPLES[0]![0])).toBe('5907');
  });
});
