/**
 * The upper platforms (city, province) stored uploads are forwarded to, read from the JSON file
 * HJ212_FORWARD_TARGETS_FILE names. A mistake stops the hub at start with the file and the field
 * at fault: a forwarding set-up that is half read would lose data quietly.
 *
 * ```json
 * { "targets": [ { "name": "city", "host": "10.1.2.3", "port": 2120, "edition": "2017", "ack": true,
 *     "pw": "123456", "commands": ["2011", "2051", "2061", "2031", "2041", "2021", "2081"], "since": "2024-05-01T00:00:00+08:00",
 *     "monitors": [ { "mn": "SRC5101120001W" }, { "mn": "SRC5101120001G", "upstreamMn": "5101A0G", "upstreamPw": "654321" } ] } ] }
 * ```
 */
import { readFileSync } from 'node:fs';
import type { ReadingInterval } from '../../../monitoring/public';

export type ForwardEdition = '2005' | '2017' | '2025';

/** The data uploads rebuilt from readings, by the interval of the readings they carry. */
export const READING_CNS = { '2011': 'RTD', '2051': 'MINUTE', '2061': 'HOUR', '2031': 'DAY' } as const satisfies Record<string, ReadingInterval>;
export const CN_OF_INTERVAL: Readonly<Record<ReadingInterval, keyof typeof READING_CNS>> = { RTD: '2011', MINUTE: '2051', HOUR: '2061', DAY: '2031' };
/**
 * Every upload the hub stores: readings and 2041 run times are history, each sent once in order;
 * 2021 facility status and 2081 restart time are kept as the monitor's latest state, sent when it
 * changes.
 */
export const FORWARD_CNS = ['2011', '2051', '2061', '2031', '2041', '2021', '2081'] as const;
export type ForwardCn = (typeof FORWARD_CNS)[number];
/**
 * A target that lists no commands gets the readings' four: what it got before 2041, 2021 and 2081
 * could go up, so a platform that answers those with 9011 (and so stops the monitor) is not sent
 * them unasked.
 */
const DEFAULT_CNS: readonly ForwardCn[] = ['2011', '2051', '2061', '2031'];

export interface ForwardMonitor {
  /** the device's own MN in this hub */
  mn: string;
  /** the MN the upper platform registered; the device's own when absent */
  upstreamMn: string;
  upstreamPw: string;
}

export interface ForwardTarget {
  name: string;
  host: string;
  port: number;
  edition: ForwardEdition;
  /** ask for 9014 (Flag bit A) and wait for it before the next upload */
  ack: boolean;
  /** the uploads forwarded, in the order of FORWARD_CNS */
  commands: ForwardCn[];
  /** the readings' intervals among them */
  intervals: ReadingInterval[];
  /** 2041 run times are among them */
  runTimes: boolean;
  /** 2021: the monitor's latest facility status, when it changes */
  facilityStatus: boolean;
  /** 2081: the monitor's latest restart time, when it changes */
  restarts: boolean;
  /**
   * what a monitor without a cursor starts with: uploads the hub stored from this time on; absent,
   * from when the hub first ran with this target
   */
  since: Date | undefined;
  monitors: ForwardMonitor[];
}

const MAX_TARGETS = 20;
const MAX_MONITORS = 10_000;
const NAME = /^[a-z0-9][a-z0-9_-]{0,31}$/;
const TOKEN = /^[A-Za-z0-9_-]{1,32}$/;
const PW = /^[^;,&=\r\n]{0,32}$/;
/** an ISO 8601 date and time with its offset: a bare local time would be read in the server's zone */
const SINCE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

export class ForwardTargetsError extends Error {}

type Json = Record<string, unknown>;

function field<T>(object: Json, key: string, where: string, check: (value: unknown) => value is T, what: string, fallback?: T): T {
  const value = object[key];
  if (value === undefined && fallback !== undefined) return fallback;
  if (!check(value)) throw new ForwardTargetsError(`${where}.${key}: ${what}`);
  return value;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function parseForwardTargets(text: string, file = 'HJ212_FORWARD_TARGETS_FILE'): ForwardTarget[] {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (error) {
    throw new ForwardTargetsError(`${file}: not JSON (${(error as Error).message})`);
  }
  if (!isObject(root) || !Array.isArray(root.targets)) throw new ForwardTargetsError(`${file}: expected { "targets": [...] }`);
  if (root.targets.length > MAX_TARGETS) throw new ForwardTargetsError(`${file}: at most ${MAX_TARGETS} targets`);
  const names = new Set<string>();
  return root.targets.map((raw, index) => {
    const where = `${file} targets[${index}]`;
    if (!isObject(raw)) throw new ForwardTargetsError(`${where}: expected an object`);
    const name = field(raw, 'name', where, (v): v is string => isString(v) && NAME.test(v), 'a lower-case name of letters, digits, _ or - (at most 32)');
    if (names.has(name)) throw new ForwardTargetsError(`${where}.name: '${name}' is used twice`);
    names.add(name);
    const host = field(raw, 'host', where, (v): v is string => isString(v) && v.length > 0 && v.length <= 255, 'a host name or address');
    const port = field(raw, 'port', where, (v): v is number => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 65535, 'a TCP port 1-65535');
    const edition = field(raw, 'edition', where, (v): v is ForwardEdition => v === '2005' || v === '2017' || v === '2025', '"2005", "2017" or "2025"', '2017');
    const ack = field(raw, 'ack', where, isBoolean, 'true or false', true);
    const commands = field(
      raw,
      'commands',
      where,
      (v): v is string[] => Array.isArray(v) && v.length > 0 && v.every(isString),
      `a non-empty list of ${FORWARD_CNS.join(', ')}`,
      [...DEFAULT_CNS],
    );
    for (const [i, cn] of commands.entries()) {
      if (!(FORWARD_CNS as readonly string[]).includes(cn))
        throw new ForwardTargetsError(`${where}.commands[${i}]: '${cn}' is not a data upload the hub forwards (${FORWARD_CNS.join(', ')})`);
    }
    const since =
      raw.since === undefined
        ? undefined
        : new Date(
            field(
              raw,
              'since',
              where,
              (v): v is string => isString(v) && SINCE.test(v) && Number.isFinite(Date.parse(v)),
              'a date and time with its offset, e.g. "2024-05-01T00:00:00+08:00"',
            ),
          );
    const pw =
      raw.pw === undefined
        ? undefined
        : field(raw, 'pw', where, (v): v is string => isString(v) && PW.test(v), 'at most 32 characters, none of ; , & = or a line break');
    const monitorsRaw = field(
      raw,
      'monitors',
      where,
      (v): v is unknown[] => Array.isArray(v) && v.length > 0 && v.length <= MAX_MONITORS,
      `a list of 1-${MAX_MONITORS} monitors`,
    );
    const seen = new Set<string>();
    const monitors = monitorsRaw.map((m, i) => {
      const at = `${where}.monitors[${i}]`;
      if (!isObject(m)) throw new ForwardTargetsError(`${at}: expected an object`);
      const mn = field(m, 'mn', at, (v): v is string => isString(v) && TOKEN.test(v), 'the MN of a monitor of this hub');
      if (seen.has(mn)) throw new ForwardTargetsError(`${at}.mn: '${mn}' is listed twice`);
      seen.add(mn);
      const upstreamMn =
        m.upstreamMn === undefined ? mn : field(m, 'upstreamMn', at, (v): v is string => isString(v) && TOKEN.test(v), '1-32 letters, digits, _ or -');
      const upstreamPw =
        m.upstreamPw === undefined
          ? pw
          : field(m, 'upstreamPw', at, (v): v is string => isString(v) && PW.test(v), 'at most 32 characters, none of ; , & = or a line break');
      // the hub keeps device PWs only as hashes: the platform's PW must be written here
      if (upstreamPw === undefined) throw new ForwardTargetsError(`${at}.upstreamPw: needed when the target has no pw`);
      return { mn, upstreamMn, upstreamPw };
    });
    const picked = FORWARD_CNS.filter((cn) => commands.includes(cn));
    const intervals = picked.flatMap((cn) => (cn in READING_CNS ? [READING_CNS[cn as keyof typeof READING_CNS]] : []));
    return {
      name,
      host,
      port,
      edition,
      ack,
      commands: picked,
      intervals,
      runTimes: picked.includes('2041'),
      facilityStatus: picked.includes('2021'),
      restarts: picked.includes('2081'),
      since,
      monitors,
    };
  });
}

export function loadForwardTargets(file: string | undefined): ForwardTarget[] {
  if (file === undefined) return [];
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ForwardTargetsError(`HJ212_FORWARD_TARGETS_FILE: cannot read ${file} (${(error as Error).message})`);
  }
  return parseForwardTargets(text, file);
}
