/**
 * Every example the standard gives (HJ 212-2017 text and appendix C, HJ/T 212-2005's worked
 * examples), decoded by the gateway's own decoder and parser: none is refused, and Flag is read
 * the same way in each (edition, acknowledgement, split).
 */
import { describe, expect, it } from 'vitest';
import { diagnoseFrame } from '../../../src/ingest/hj212/diagnose';
import { buildAck } from '../../../src/ingest/hj212/encode';
import { encodeFrame, FrameDecoder } from '../../../src/ingest/hj212/frame';
import { parseSegment } from '../../../src/ingest/hj212/message';

const MN = '010000A8900016F000169DC0';

type Example = { name: string; frame: string; cn: string; edition: '2005' | '2017'; ack: boolean; notes: boolean };

/** Frames as the standard prints them, CRC included (2017 text and appendix C). */
const FRAMES: Example[] = [
  {
    name: '1062 set real-time interval (2017 §6, CRC 1C80; its prose says 1C08)',
    frame: `##0101QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=${MN};Flag=5;CP=&&RtdInterval=30&&1C80`,
    cn: '1062',
    edition: '2017',
    ack: true,
    notes: false,
  },
  {
    name: '1000 timeout and retries',
    frame: `##0107QN=20160801085857223;ST=32;CN=1000;PW=123456;MN=${MN};Flag=5;CP=&&OverTime=5;ReCount=3&&CAC1`,
    cn: '1000',
    edition: '2017',
    ack: true,
    notes: false,
  },
  {
    name: '9011 request reply',
    frame: `##0094QN=20160801085857223;ST=91;CN=9011;PW=123456;MN=${MN};Flag=4;CP=&&QnRtn=1&&1B00`,
    cn: '9011',
    edition: '2017',
    ack: false,
    notes: false,
  },
  {
    name: '9014 data acknowledgement',
    frame: `##0087QN=20160801085857223;ST=91;CN=9014;PW=123456;MN=${MN};Flag=4;CP=&&&&3240`,
    cn: '9014',
    edition: '2017',
    ack: false,
    notes: false,
  },
  {
    name: '2061 history request',
    frame: `##0134QN=20160801085857223;ST=32;CN=2061;PW=123456;MN=${MN};Flag=5;CP=&&BeginTime=20160801080000;EndTime=20160801080000&&7EC0`,
    cn: '2061',
    edition: '2017',
    ack: true,
    notes: false,
  },
  {
    name: '2081 restart time',
    frame: `##0137QN=20160801085857223;ST=32;CN=2081;PW=123456;MN=${MN};Flag=5;CP=&&DataTime=20160801085857;RestartTime=20160801085624&&9AC1`,
    cn: '2081',
    edition: '2017',
    ack: true,
    notes: false,
  },
];

/** Segments the standards print without a frame: framed here with the gateway's own encoder. */
const SEGMENTS: Example[] = [
  {
    name: '9014 acknowledgement (2017 §acknowledgements)',
    frame: encodeFrame(`QN=20160801090000001;ST=91;CN=9014;PW=123456;MN=${MN};Flag=4;CP=&&&&`),
    cn: '9014',
    edition: '2017',
    ack: false,
    notes: false,
  },
  {
    name: '2005 acknowledgement, QN inside CP',
    frame: encodeFrame('ST=91;CN=9014;PW=123456;MN=88888880000001;CP=&&QN=20040516010101001;CN=2051&&'),
    cn: '9014',
    edition: '2005',
    ack: false,
    notes: false,
  },
  // HJ/T 212-2005's worked uploads carry Flag=3 on single messages: bit D without PNUM/PNO.
  {
    name: '2005 real-time upload with Flag=3',
    frame: encodeFrame(
      'QN=20040516010101001;ST=32;CN=2011;PW=123456;MN=88888880000001;Flag=3;CP=&&DataTime=20040516010101;B01-Rtd=50.0;011-Rtd=30.5,011-Flag=N&&',
    ),
    cn: '2011',
    edition: '2005',
    ack: true,
    notes: true,
  },
  {
    name: '2005 minute upload with Flag=3',
    frame: encodeFrame('ST=32;CN=2051;PW=123456;MN=88888880000001;Flag=3;CP=&&DataTime=20040516010000;011-Avg=30.5,011-Min=28.1,011-Max=33.0,011-Cou=12.4&&'),
    cn: '2051',
    edition: '2005',
    ack: true,
    notes: true,
  },
];

describe('the standard’s examples', () => {
  it.each([...FRAMES, ...SEGMENTS])('$name decodes, with Flag read as the standard means it', (example) => {
    const decoder = new FrameDecoder({ maxSegmentBytes: 4096 });
    const frames = [...decoder.push(Buffer.from(`${example.frame}\r\n`, 'utf8'))];
    expect(frames).toHaveLength(1);
    const frame = frames[0];
    if (!frame?.ok) throw new Error(`refused: ${frame?.reason} ${frame?.detail}`);
    const parsed = parseSegment(frame.segment);
    if (!parsed.ok) throw new Error(`not parsed: ${parsed.reason} ${parsed.detail}`);
    const m = parsed.message;
    expect(m.cn).toBe(example.cn);
    expect(m.edition).toBe(example.edition);
    expect(m.ackRequested).toBe(example.ack);
    expect(m.split).toBeUndefined();
    expect(m.notes !== undefined).toBe(example.notes);

    const diagnosis = diagnoseFrame(example.frame);
    expect(diagnosis.valid).toBe(true);
    expect(diagnosis.crcKind).toBe('hj212');
    if (example.notes) expect(diagnosis.detail).toMatch(/taken as a single message/);
    else expect(diagnosis.detail).toBeUndefined();
  });

  it('answers a Flag=3 upload in the 2005 dialect, as a single message', () => {
    const parsed = parseSegment('ST=32;CN=2051;PW=123456;MN=88888880000001;Flag=3;CP=&&DataTime=20040516010000;011-Avg=30.5&&');
    if (!parsed.ok) throw new Error(parsed.detail);
    expect(buildAck(parsed.message)).toBe('ST=91;CN=9014;PW=123456;MN=88888880000001;CP=&&CN=2051&&');
  });
});
