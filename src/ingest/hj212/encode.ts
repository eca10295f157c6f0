/**
 * Builds HJ 212 data segments: uploads (for tests and the device simulator), the platform's
 * acknowledgements and replies, and commands to devices. Wrap a segment with `encodeFrame`.
 */

import type { Hj212Facility, Hj212Message, Hj212ValueKind } from './message';
import { formatHj212Time, HJ212_VALUE_KINDS } from './message';

export type SegmentFields = {
  qn?: string;
  st: string;
  cn: string;
  pw: string;
  mn: string;
  flag?: number;
  pnum?: number;
  pno?: number;
  /** The data area without its `&&` delimiters. */
  cp: string;
};

/** QnRtn codes of a 9011 request reply. */
export const QN_RTN = {
  ready: 1,
  refused: 2,
  badPassword: 3,
  badMn: 4,
  badSt: 5,
  badFlag: 6,
  badQn: 7,
  badCn: 8,
  badCrc: 9,
  unknown: 100,
} as const;

/** Data uploads that a device may ask to have acknowledged with 9014. */
export const DATA_UPLOAD_CNS: ReadonlySet<string> = new Set(['2011', '2021', '2031', '2041', '2051', '2061', '2081']);

const ST_SYSTEM_INTERACTION = '91';
const FLAG_2017 = 4;
/** 2017 edition with bit A set: the receiver is asked to answer. */
const FLAG_2017_ANSWER = 5;

function checkHeaderValue(name: string, value: string): void {
  if (/[;&\r\n]/.test(value)) throw new RangeError(`${name} must not contain ';', '&' or line breaks`);
}

function checkCpValue(name: string, value: string): void {
  if (/[;,=&\r\n]/.test(value)) throw new RangeError(`${name} must not contain ';', ',', '=', '&' or line breaks`);
}

export function encodeSegment(msg: SegmentFields): string {
  const parts: string[] = [];
  const add = (name: string, value: string | number | undefined) => {
    if (value === undefined) return;
    const text = String(value);
    checkHeaderValue(name, text);
    parts.push(`${name}=${text}`);
  };
  add('QN', msg.qn);
  add('ST', msg.st);
  add('CN', msg.cn);
  add('PW', msg.pw);
  add('MN', msg.mn);
  add('Flag', msg.flag);
  add('PNUM', msg.pnum);
  add('PNO', msg.pno);
  if (msg.cp.includes('&&')) throw new RangeError('CP data must not contain &&');
  parts.push(`CP=&&${msg.cp}&&`);
  return parts.join(';');
}

/**
 * Writes a number in plain decimal: devices expect `0.0000001`, not `1e-7`. Built from the
 * shortest round-trip form, so the text parses back to exactly the same number.
 */
export function formatHj212Number(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`${value} cannot be sent`);
  const text = String(value);
  const exp = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!exp) return text;
  const [, sign = '', lead = '', fraction = '', power = '0'] = exp;
  const digits = lead + fraction;
  const point = 1 + Number(power);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

export type DataUploadCn = '2011' | '2051' | '2061' | '2031' | '2021' | '2041' | '2081';

export type UploadItem = {
  code: string;
  values: Partial<Record<Hj212ValueKind, number>>;
  flag?: string;
  eflag?: string;
  sampleTime?: string;
};

export type DataUpload = {
  qn?: string;
  st: string;
  cn: DataUploadCn;
  pw: string;
  mn: string;
  /** Defaults to 5: 2017 edition, acknowledgement requested. */
  flag?: number;
  pnum?: number;
  pno?: number;
  /** Moment of measurement (2011) or start of the period (2051, 2061, 2031); null: no DataTime (a 2021 sent without one). */
  dataTime: Date | null;
  items: readonly UploadItem[];
  facilities?: readonly Hj212Facility[];
  /** Further time fields after DataTime, e.g. a 2081's RestartTime. */
  times?: Readonly<Record<string, Date>>;
};

function encodeItem(item: UploadItem): string {
  checkCpValue('factor code', item.code);
  const pairs: string[] = [];
  for (const kind of HJ212_VALUE_KINDS) {
    const value = item.values[kind];
    if (value !== undefined) pairs.push(`${item.code}-${kind}=${formatHj212Number(value)}`);
  }
  const text = (suffix: string, value: string | undefined) => {
    if (value === undefined) return;
    checkCpValue(`${item.code}-${suffix}`, value);
    pairs.push(`${item.code}-${suffix}=${value}`);
  };
  text('Flag', item.flag);
  text('EFlag', item.eflag);
  text('SampleTime', item.sampleTime);
  return pairs.join(',');
}

function encodeFacility(facility: Hj212Facility): string {
  checkCpValue('facility id', facility.id);
  const pairs: string[] = [];
  if (facility.runStatus !== undefined) pairs.push(`${facility.id}-RS=${formatHj212Number(facility.runStatus)}`);
  if (facility.runHours !== undefined) pairs.push(`${facility.id}-RT=${formatHj212Number(facility.runHours)}`);
  return pairs.join(',');
}

/** A 2011/2051/2061/2031 upload segment (or a 2021/2041 facility report, a 2081 restart), as a data logger sends it. */
export function buildDataUpload(upload: DataUpload): string {
  const groups = [
    ...(upload.dataTime === null ? [] : [`DataTime=${formatHj212Time(upload.dataTime)}`]),
    ...Object.entries(upload.times ?? {}).map(([name, time]) => {
      checkCpValue('time field', name);
      return `${name}=${formatHj212Time(time)}`;
    }),
    ...upload.items.map(encodeItem),
    ...(upload.facilities ?? []).map(encodeFacility),
  ].filter((group) => group !== '');
  const fields: SegmentFields = {
    st: upload.st,
    cn: upload.cn,
    pw: upload.pw,
    mn: upload.mn,
    flag: upload.flag ?? FLAG_2017_ANSWER,
    cp: groups.join(';'),
  };
  if (upload.qn !== undefined) fields.qn = upload.qn;
  if (upload.pnum !== undefined) fields.pnum = upload.pnum;
  if (upload.pno !== undefined) fields.pno = upload.pno;
  return encodeSegment(fields);
}

function reply(message: Hj212Message, cn: string, cp2017: string, cp2005: readonly string[]): string {
  if (message.edition === '2005') {
    // 2005 carried the answered QN inside CP and had no Flag on replies.
    const qn = message.qn ?? message.cpFields.QN;
    const cp = [...(qn === undefined ? [] : [`QN=${qn}`]), ...cp2005].join(';');
    return encodeSegment({ st: ST_SYSTEM_INTERACTION, cn, pw: message.pw, mn: message.mn, cp });
  }
  const fields: SegmentFields = {
    st: ST_SYSTEM_INTERACTION,
    cn,
    pw: message.pw,
    mn: message.mn,
    flag: FLAG_2017,
    cp: cp2017,
  };
  if (message.qn !== undefined) fields.qn = message.qn;
  return encodeSegment(fields);
}

/**
 * The 9014 acknowledgement for a data upload whose Flag asks for one, in the device's own dialect;
 * undefined when none is due. Each packet of a split message is acknowledged on its own.
 * Send it only once the data is durably stored: the device retries until it sees it.
 */
export function buildAck(message: Hj212Message): string | undefined {
  if (!message.ackRequested || !DATA_UPLOAD_CNS.has(message.cn)) return undefined;
  return reply(message, '9014', '', [`CN=${message.cn}`]);
}

/** A 9011 request reply carrying `QnRtn` (see `QN_RTN`), e.g. 3 to refuse a wrong password. */
export function buildRequestReply(message: Hj212Message, qnRtn: number): string {
  if (!Number.isInteger(qnRtn) || qnRtn < 0) throw new RangeError(`QnRtn ${qnRtn} is not a code`);
  return reply(message, '9011', `QnRtn=${qnRtn}`, [`QnRtn=${qnRtn}`]);
}

export type Hj212Command =
  | { cn: '1011'; polId?: string }
  | { cn: '1012'; systemTime: Date; polId?: string }
  | { cn: '1061' }
  | { cn: '1062'; rtdIntervalSeconds: number }
  | { cn: '3015'; polId?: string };

export type CommandTarget = {
  /** The request id the device's 9011/9012 replies will echo; see `formatQn`. */
  qn: string;
  /** The device's own system code: commands go out under the ST of the system they address. */
  st: string;
  pw: string;
  mn: string;
  /** Defaults to 5: 2017 edition, asking the device for its 9011 reply. */
  flag?: number;
};

function commandCp(command: Hj212Command): string {
  const pol = (polId: string | undefined) => {
    if (polId === undefined) return [];
    checkCpValue('PolId', polId);
    return [`PolId=${polId}`];
  };
  switch (command.cn) {
    case '1011':
    case '3015':
      return pol(command.polId).join(';');
    case '1012':
      return [...pol(command.polId), `SystemTime=${formatHj212Time(command.systemTime)}`].join(';');
    case '1061':
      return '';
    case '1062':
      if (!Number.isInteger(command.rtdIntervalSeconds) || command.rtdIntervalSeconds <= 0) {
        throw new RangeError(`RtdInterval ${command.rtdIntervalSeconds} is not a positive whole number of seconds`);
      }
      return `RtdInterval=${command.rtdIntervalSeconds}`;
  }
}

/**
 * A command from the platform to a device. Unlike replies (ST=91), commands carry the device's ST,
 * as in the standard's own example `ST=32;CN=1062;...;Flag=5;CP=&&RtdInterval=30&&`.
 */
export function buildCommand(target: CommandTarget, command: Hj212Command): string {
  return encodeSegment({
    qn: target.qn,
    st: target.st,
    cn: command.cn,
    pw: target.pw,
    mn: target.mn,
    flag: target.flag ?? FLAG_2017_ANSWER,
    cp: commandCp(command),
  });
}
