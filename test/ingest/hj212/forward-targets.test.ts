import { describe, expect, it } from 'vitest';
import { parseForwardTargets } from '../../../src/ingest/hj212/forward/targets';

const target = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({ targets: [{ name: 'city', host: '10.1.2.3', port: 2120, pw: '123456', monitors: [{ mn: 'A1' }], ...extra }] });

describe('the forwarding targets file', () => {
  it('fills in the defaults: 2017 edition, acknowledged, the four readings uploads, from the first run, the device’s own MN', () => {
    expect(parseForwardTargets(target())).toEqual([
      {
        name: 'city',
        host: '10.1.2.3',
        port: 2120,
        edition: '2017',
        ack: true,
        commands: ['2011', '2051', '2061', '2031'],
        intervals: ['RTD', 'MINUTE', 'HOUR', 'DAY'],
        runTimes: false,
        facilityStatus: false,
        restarts: false,
        since: undefined,
        monitors: [{ mn: 'A1', upstreamMn: 'A1', upstreamPw: '123456' }],
      },
    ]);
  });

  it('takes 2041 run times alone, and a since with its offset', () => {
    const [parsed] = parseForwardTargets(target({ commands: ['2041'], since: '2024-05-01T00:00:00+08:00' }));
    expect(parsed).toMatchObject({
      commands: ['2041'],
      intervals: [],
      runTimes: true,
      facilityStatus: false,
      restarts: false,
      since: new Date('2024-04-30T16:00:00Z'),
    });
  });

  it('takes every upload the hub stores when listed: 2041 run times, the 2021 status and 2081 restarts', () => {
    const [parsed] = parseForwardTargets(target({ commands: ['2081', '2011', '2021'] }));
    expect(parsed).toMatchObject({ commands: ['2011', '2021', '2081'], intervals: ['RTD'], runTimes: false, facilityStatus: true, restarts: true });
    const [all] = parseForwardTargets(target({ commands: ['2011', '2051', '2061', '2031', '2041', '2021', '2081'] }));
    expect(all).toMatchObject({ intervals: ['RTD', 'MINUTE', 'HOUR', 'DAY'], runTimes: true, facilityStatus: true, restarts: true });
  });

  it('takes the MN and PW the platform registered, and the commands asked for', () => {
    const [parsed] = parseForwardTargets(
      target({ edition: '2005', ack: false, commands: ['2061', '2031'], monitors: [{ mn: 'A1', upstreamMn: 'X9', upstreamPw: '999' }] }),
    );
    expect(parsed).toMatchObject({
      edition: '2005',
      ack: false,
      commands: ['2061', '2031'],
      intervals: ['HOUR', 'DAY'],
      runTimes: false,
      monitors: [{ mn: 'A1', upstreamMn: 'X9', upstreamPw: '999' }],
    });
  });

  it.each([
    ['not JSON', '{', /not JSON/],
    ['no targets list', '{}', /expected \{ "targets"/],
    ['a bad port', target({ port: 70000 }), /targets\[0\]\.port/],
    ['an unknown command', target({ commands: ['2011', '9999'] }), /targets\[0\]\.commands\[1\]: '9999' is not a data upload the hub forwards/],
    ['a command that is no upload', target({ commands: ['1011'] }), /targets\[0\]\.commands\[0\]: '1011' is not a data upload/],
    ['no commands', target({ commands: [] }), /targets\[0\]\.commands: a non-empty list/],
    ['a since without its offset', target({ since: '2024-05-01T00:00:00' }), /targets\[0\]\.since: a date and time with its offset/],
    ['a since that is no date', target({ since: '2024-13-45T00:00:00Z' }), /targets\[0\]\.since/],
    ['no PW for a monitor', target({ pw: undefined }), /monitors\[0\]\.upstreamPw: needed/],
    ['a PW that would break the frame', target({ pw: 'a;b' }), /targets\[0\]\.pw/],
    ['a monitor twice', target({ monitors: [{ mn: 'A1' }, { mn: 'A1' }] }), /listed twice/],
    ['a name twice', JSON.stringify({ targets: [JSON.parse(target()).targets[0], JSON.parse(target()).targets[0]] }), /used twice/],
  ])('refuses %s, naming the field', (_what, text, message) => {
    expect(() => parseForwardTargets(text, 'targets.json')).toThrow(message);
  });
});
