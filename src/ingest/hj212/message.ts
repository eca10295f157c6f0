/**
 * Parses an HJ 212 data segment (2005, 2017 and 2025 editions) into a typed message.
 * Fields are found by key, never by position, and whatever cannot be mapped is kept in
 * `unknownKeys` or an item's `unparsed` rather than dropped: a device's data is evidence.
 */

import { canonicalFactorCode, lookupFactor } from '../../monitoring/public';
import { fromBureauClock, toBureauClock } from '../../time';

export type Hj212Edition = '2005' | '2017' | '2025';

export type Hj212ValueKind = 'Rtd' | 'Avg' | 'Min' | 'Max' | 'Cou' | 'ZsRtd' | 'ZsAvg' | 'ZsMin' | 'ZsMax';

export const HJ212_VALUE_KINDS: readonly Hj212ValueKind[] = ['Rtd', 'Avg', 'Min', 'Max', 'Cou', 'ZsRtd', 'ZsAvg', 'ZsMin', 'ZsMax'];

export type Hj212Item = {
  /** The factor code as the device sent it (may be a 2005 alias or unknown). */
  code: string;
  /** The 2017 code when `code` is a known 2005 alias, otherwise `code` itself. */
  factor: string;
  known: boolean;
  values: Partial<Record<Hj212ValueKind, number>>;
  flag?: string;
  eflag?: string;
  sampleTime?: string;
  /** Values that are not numbers, by suffix (`Rtd`, `Avg`, ...), exactly as sent. */
  unparsed?: Record<string, string>;
};

export type Hj212Facility = { id: string; runStatus?: number; runHours?: number };

export type Hj212Split = { pnum: number; pno: number };

export type Hj212Message = {
  qn?: string;
  st: string;
  cn: string;
  /** Empty when the device sent `PW=` or no PW at all. */
  pw: string;
  mn: string;
  flag?: number;
  edition: Hj212Edition;
  ackRequested: boolean;
  split?: Hj212Split;
  /** The data area between `CP=&&` and the closing `&&`, as sent. */
  cp: string;
  cpFields: Record<string, string>;
  /** `DataTime`, read as Asia/Shanghai local time. */
  dataTime?: Date;
  items: Hj212Item[];
  facilities: Hj212Facility[];
  unknownKeys: Record<string, string>;
  /** What the parser tolerated to keep the data (e.g. bit D without PNUM/PNO), for the operator. */
  notes?: string[];
};

export type ParseFailureReason = 'missing-field' | 'bad-field' | 'bad-cp';

export type ParseResult = { ok: true; message: Hj212Message } | { ok: false; reason: ParseFailureReason; detail: string };

export const FLAG_ACK = 0b01;
export const FLAG_SPLIT = 0b10;

const EDITIONS: Record<number, Hj212Edition> = { 0: '2005', 1: '2017', 2: '2025' };

/** CP keys that are not per-factor; QN and CN appear here in 2005 acknowledgements. */
const CP_FIELD_KEYS = new Set([
  'DataTime',
  'BeginTime',
  'EndTime',
  'SystemTime',
  'RestartTime',
  'QnRtn',
  'ExeRtn',
  'RtdInterval',
  'MinInterval',
  'OverTime',
  'ReCount',
  'PolId',
  'NewPW',
  /** 3015 sample retention: the bottle the sampler filled */
  'VaseNo',
  'QN',
  'CN',
]);

const VALUE_KIND_SET = new Set<string>(HJ212_VALUE_KINDS);
const FACILITY_KEY = /^(SB\d+)-(RS|RT)$/;
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const DIGITS = /^\d+$/;
const CP_START = /(?:^|;)CP=&&/i;

type HeaderKey = 'QN' | 'ST' | 'CN' | 'PW' | 'MN' | 'Flag' | 'PNUM' | 'PNO';
/** By upper-cased key: devices send `FLAG=` as well as `Flag=`. */
const HEADER_KEYS = new Map<string, HeaderKey>([
  ['QN', 'QN'],
  ['ST', 'ST'],
  ['CN', 'CN'],
  ['PW', 'PW'],
  ['MN', 'MN'],
  ['FLAG', 'Flag'],
  ['PNUM', 'PNUM'],
  ['PNO', 'PNO'],
]);

function fail(reason: ParseFailureReason, detail: string): ParseResult {
  return { ok: false, reason, detail };
}

function splitPair(piece: string): [string, string] | undefined {
  const eq = piece.indexOf('=');
  return eq < 0 ? undefined : [piece.slice(0, eq), piece.slice(eq + 1)];
}

/**
 * Keeps a value under a device-chosen key; a repeat is appended, not lost. Own-property checks and
 * defineProperty keep keys such as `toString` or `__proto__` from meeting Object.prototype.
 */
function keep(bag: Record<string, string>, key: string, value: string): void {
  const held = Object.hasOwn(bag, key) ? bag[key] : undefined;
  Object.defineProperty(bag, key, {
    value: held === undefined ? value : `${held},${value}`,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

export function parseSegment(segment: string): ParseResult {
  const cpMatch = CP_START.exec(segment);
  if (!cpMatch) return fail('missing-field', 'no CP=&& data area');
  const cpStart = cpMatch.index + cpMatch[0].length;
  const cpEnd = segment.lastIndexOf('&&');
  if (cpEnd < cpStart) return fail('bad-cp', 'data area is not closed by &&');
  const cp = segment.slice(cpStart, cpEnd);
  const headerText = `${segment.slice(0, cpMatch.index)};${segment.slice(cpEnd + 2)}`;

  const unknownKeys: Record<string, string> = {};
  const header: Partial<Record<HeaderKey, string>> = {};
  for (const piece of headerText.split(';')) {
    if (piece.trim() === '') continue;
    const pair = splitPair(piece);
    if (!pair) {
      keep(unknownKeys, piece, '');
      continue;
    }
    const key = HEADER_KEYS.get(pair[0].trim().toUpperCase());
    if (key === undefined || header[key] !== undefined) keep(unknownKeys, pair[0], pair[1]);
    else header[key] = pair[1].trim();
  }

  for (const key of ['ST', 'CN', 'MN'] as const) {
    const value = header[key];
    if (value === undefined || value === '') return fail('missing-field', `${key} is missing`);
  }
  const st = header.ST ?? '';
  const cn = header.CN ?? '';
  const mn = header.MN ?? '';
  if (!DIGITS.test(st)) return fail('bad-field', `ST '${st}' is not a number`);
  if (!DIGITS.test(cn)) return fail('bad-field', `CN '${cn}' is not a number`);

  let flag: number | undefined;
  if (header.Flag !== undefined) {
    if (!DIGITS.test(header.Flag) || Number(header.Flag) > 255) {
      return fail('bad-field', `Flag '${header.Flag}' is not a number from 0 to 255`);
    }
    flag = Number(header.Flag);
  }
  const edition = EDITIONS[(flag ?? 0) >> 2];
  if (edition === undefined) return fail('bad-field', `Flag ${flag} names an unknown protocol edition`);

  let split: Hj212Split | undefined;
  if (header.PNUM !== undefined || header.PNO !== undefined) {
    if (header.PNUM === undefined) return fail('missing-field', 'PNO without PNUM');
    if (header.PNO === undefined) return fail('missing-field', 'PNUM without PNO');
    if (!DIGITS.test(header.PNUM) || !DIGITS.test(header.PNO)) {
      return fail('bad-field', `PNUM '${header.PNUM}' / PNO '${header.PNO}' are not numbers`);
    }
    const pnum = Number(header.PNUM);
    const pno = Number(header.PNO);
    if (pno < 1 || pno > pnum) return fail('bad-field', `PNO ${pno} is outside 1..${pnum}`);
    split = { pnum, pno };
  }
  // The 2005 standard's own examples send Flag=3 on single messages, and loggers copied them:
  // bit D without PNUM/PNO is a whole message, not a broken packet.
  const notes: string[] = [];
  if (!split && flag !== undefined && (flag & FLAG_SPLIT) !== 0) {
    notes.push(`Flag ${flag} announces a split message (bit D) but PNUM/PNO are missing: taken as a single message`);
  }

  const body = parseCp(cp, unknownKeys);
  let dataTime: Date | undefined;
  const dataTimeText = body.cpFields.DataTime;
  if (dataTimeText !== undefined) {
    dataTime = parseHj212Time(dataTimeText);
    if (dataTime === undefined) return fail('bad-field', `DataTime '${dataTimeText}' is not YYYYMMDDhhmmss`);
  }

  const message: Hj212Message = {
    st,
    cn,
    pw: header.PW ?? '',
    mn,
    edition,
    ackRequested: flag !== undefined && (flag & FLAG_ACK) !== 0,
    cp,
    cpFields: body.cpFields,
    items: body.items,
    facilities: body.facilities,
    unknownKeys,
  };
  if (header.QN !== undefined && header.QN !== '') message.qn = header.QN;
  if (flag !== undefined) message.flag = flag;
  if (split) message.split = split;
  if (dataTime) message.dataTime = dataTime;
  if (notes.length > 0) message.notes = notes;
  return { ok: true, message };
}

type CpBody = { cpFields: Record<string, string>; items: Hj212Item[]; facilities: Hj212Facility[] };

function parseCp(cp: string, unknownKeys: Record<string, string>): CpBody {
  const cpFields: Record<string, string> = {};
  const items = new Map<string, Hj212Item>();
  const facilities = new Map<string, Hj212Facility>();

  // `;` and `,` are treated alike: devices put `;` between values of one factor.
  for (const piece of cp.split(/[;,]/)) {
    if (piece.trim() === '') continue;
    const pair = splitPair(piece);
    if (!pair) {
      keep(unknownKeys, piece, '');
      continue;
    }
    const [key, value] = pair;

    const facility = FACILITY_KEY.exec(key);
    if (facility) {
      const [, id = '', kind] = facility;
      const number = parseDecimal(value);
      const entry = facilities.get(id) ?? { id };
      const field = kind === 'RS' ? 'runStatus' : 'runHours';
      if (number === undefined || entry[field] !== undefined || (field === 'runStatus' && !Number.isInteger(number))) {
        keep(unknownKeys, key, value);
      } else {
        entry[field] = number;
        facilities.set(id, entry);
      }
      continue;
    }

    if (CP_FIELD_KEYS.has(key)) {
      if (Object.hasOwn(cpFields, key)) keep(unknownKeys, key, value);
      else cpFields[key] = value;
      continue;
    }

    const dash = key.lastIndexOf('-');
    const code = dash > 0 ? key.slice(0, dash) : '';
    const suffix = key.slice(dash + 1);
    if (code === '' || !isItemSuffix(suffix)) {
      keep(unknownKeys, key, value);
      continue;
    }
    let item = items.get(code);
    if (!item) {
      item = { code, factor: canonicalFactorCode(code), known: lookupFactor(code) !== undefined, values: {} };
      items.set(code, item);
    }
    if (!addItemValue(item, suffix, value)) keep(unknownKeys, key, value);
  }
  return { cpFields, items: [...items.values()], facilities: [...facilities.values()] };
}

function isItemSuffix(suffix: string): boolean {
  return VALUE_KIND_SET.has(suffix) || suffix === 'Flag' || suffix === 'EFlag' || suffix === 'SampleTime';
}

/** Returns false for a repeated key, which the caller keeps elsewhere. */
function addItemValue(item: Hj212Item, suffix: string, value: string): boolean {
  if (suffix === 'Flag' || suffix === 'EFlag' || suffix === 'SampleTime') {
    const field = suffix === 'Flag' ? 'flag' : suffix === 'EFlag' ? 'eflag' : 'sampleTime';
    if (item[field] !== undefined) return false;
    item[field] = value;
    return true;
  }
  const kind = suffix as Hj212ValueKind;
  if (item.values[kind] !== undefined || item.unparsed?.[kind] !== undefined) return false;
  const number = parseDecimal(value);
  if (number === undefined) (item.unparsed ??= {})[kind] = value;
  else item.values[kind] = number;
  return true;
}

function parseDecimal(text: string): number | undefined {
  const trimmed = text.trim();
  if (!DECIMAL.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : undefined;
}

/** Reads `YYYYMMDDhhmmss` or `YYYYMMDDhhmmsszzz` as Asia/Shanghai time (UTC+8; China has no DST). */
export function parseHj212Time(s: string): Date | undefined {
  if (!/^\d{14}(?:\d{3})?$/.test(s)) return undefined;
  const year = Number(s.slice(0, 4));
  const month = Number(s.slice(4, 6));
  const day = Number(s.slice(6, 8));
  const hour = Number(s.slice(8, 10));
  const minute = Number(s.slice(10, 12));
  const second = Number(s.slice(12, 14));
  const ms = s.length === 17 ? Number(s.slice(14, 17)) : 0;
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const local = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not move years 0-99 into the 1900s.
  local.setUTCFullYear(year, month - 1, day);
  if (local.getUTCMonth() !== month - 1) return undefined;
  local.setUTCHours(hour, minute, second, ms);
  return fromBureauClock(local);
}

function shanghaiDigits(d: Date): string {
  const time = d.getTime();
  if (!Number.isFinite(time)) throw new RangeError('invalid date');
  const local = toBureauClock(d);
  const year = local.getUTCFullYear();
  if (year < 0 || year > 9999) throw new RangeError(`year ${year} does not fit HJ 212 time`);
  const two = (n: number) => String(n).padStart(2, '0');
  return (
    String(year).padStart(4, '0') +
    two(local.getUTCMonth() + 1) +
    two(local.getUTCDate()) +
    two(local.getUTCHours()) +
    two(local.getUTCMinutes()) +
    two(local.getUTCSeconds()) +
    String(local.getUTCMilliseconds()).padStart(3, '0')
  );
}

/** `YYYYMMDDhhmmss` in Asia/Shanghai time, as DataTime and SystemTime are sent. */
export function formatHj212Time(d: Date): string {
  return shanghaiDigits(d).slice(0, 14);
}

/** `YYYYMMDDhhmmsszzz` in Asia/Shanghai time, the QN request-id form. */
export function formatQn(d: Date): string {
  return shanghaiDigits(d);
}
