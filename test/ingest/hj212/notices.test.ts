import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { Notices } from '../../../src/ingest/hj212/notices';

describe('Notices', () => {
  it('logs the first of a kind each minute at its level, with how many went to debug since, the rest at debug', () => {
    const lines: { level: number; msg: string; moreSinceLastLogged?: number }[] = [];
    const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line) as (typeof lines)[number]) });
    let now = 0;
    const notices = new Notices(logger, 60_000, () => now);
    for (let i = 0; i < 5; i++) notices.note('refused', 'warn', { i }, 'refused');
    notices.note('evicted', 'info', {}, 'evicted');
    now = 60_000;
    notices.note('refused', 'warn', {}, 'refused');
    const levels = lines.map((l) => `${l.msg}:${pino.levels.labels[l.level]}`);
    expect(levels).toEqual(['refused:warn', 'refused:debug', 'refused:debug', 'refused:debug', 'refused:debug', 'evicted:info', 'refused:warn']);
    expect(lines.at(-1)?.moreSinceLastLogged).toBe(4);
    expect(lines[0]?.moreSinceLastLogged).toBeUndefined();
  });
});
