import { describe, expect, it } from 'vitest';
import { parseForwardTargets } from '../../../src/ingest/hj212/forward/targets';

const target = (extra: Record<string, unknown> = {}) => JSON.stringify({ targets: [{ name: 'city', host: '10.1.2.3', port: 2120, pw: '123456', monitors: [{ mn: 'A1' }], ...extra }] });

describe('the forwarding targets file', () => {
  it('fills in the defaults: 2017 edition, acknowledged, every data upload, the device’s own MN', () => {
    expect(parseForwardTargets(target())).toEqual([
      { name: 'city', host: '10.1.2.3', port: 2120, edition: '2017', ack: true, intervals: ['RTD', 'DAY', 'MINUTE', 'HOUR'], monitors: [{ mn: 'A1', upstreamMn: 'A1', upstreamPw: '123456' }] },
    ]);
  });

  it('takes the MN and PW the platform registered, and the commands asked for', () => {
    const [parsed] = parseForwardTargets(target({ edition: '2005', ack: false, commands: ['2061', '2031'], monitors: [{ mn: 'A1', upstreamMn: 'X9', upstreamPw: '999' }] }));
    expect(parsed).toMatchObject({ edition: '2005', ack: false, intervals: ['HOUR', 'DAY'], monitors: [{ mn: 'A1', upstreamMn: 'X9', upstreamPw: '999' }] });
  });

  it.each([
    ['not JSON', '{', /not JSON/],
    ['no targets list', '{}', /expected \{ "targets"/],
    ['a bad port', target({ port: 70000 }), /targets\[0\]\.port/],
    ['an unknown command', target({ commands: ['2011', '9999'] }), /targets\[0\]\.commands/],
    ['no PW for a monitor', target({ pw: undefined }), /monitors\[0\]\.upstreamPw: needed/],
    ['a PW that would break the frame', target({ pw: 'a;b' }), /targets\[0\]\.pw/],
    ['a monitor twice', target({ monitors: [{ mn: 'A1' }, { mn: 'A1' }] }), /listed twice/],
    ['a name twice', JSON.stringify({ targets: [JSON.parse(target()).targets[0], JSON.parse(target()).targets[0]] }), /used twice/],
  ])('refuses %s, naming the field', (_what, text, message) => {
    expect(() => parseForwardTargets(text, 'targets.json')).toThrow(message);
  });
});
