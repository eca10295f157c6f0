/**
 * Explains a frame an operator pasted from a device log: whether the gateway would accept it and,
 * if not, why; with the header and the data decoded either way, so a frame rejected for its CRC or
 * length still shows what the device meant to send. Runs the gateway's own decoder and parser.
 */

import { lookupFactor } from '../../monitoring/public';
import { hj212CrcHex, modbusCrcLowFirstHex } from './crc';
import type { FrameRejectReason } from './frame';
import { FrameDecoder } from './frame';
import type { Hj212Edition, Hj212Facility, Hj212Split, Hj212ValueKind, ParseFailureReason } from './message';
import { parseSegment } from './message';

export type DiagnosedHeader = {
  qn?: string;
  st: string;
  cn: string;
  /** Only the first two characters are shown: the text may end up in a ticket or a chat. */
  pwMasked: string;
  mn: string;
  flag?: number;
  ackRequested: boolean;
  split?: Hj212Split;
};

export type DiagnosedItem = {
  code: string;
  factor: string;
  known: boolean;
  /** Chinese name from the factor catalog. */
  name?: string;
  unit?: string;
  values: Partial<Record<Hj212ValueKind, number>>;
  flag?: string;
  unparsed?: Record<string, string>;
};

export type CrcKind = 'hj212' | 'modbus-low-first' | 'mismatch';

export type FrameDiagnosis = {
  valid: boolean;
  reason?: FrameRejectReason | ParseFailureReason;
  detail?: string;
  declaredLength?: number;
  /** UTF-8 bytes of the data segment, assuming the text ends with the 4-digit CRC. */
  actualLength?: number;
  crcFound?: string;
  crcExpected?: string;
  crcKind?: CrcKind;
  edition?: Hj212Edition;
  header?: DiagnosedHeader;
  cpFields: Record<string, string>;
  dataTime?: Date;
  items: DiagnosedItem[];
  facilities: Hj212Facility[];
  unknownKeys: Record<string, string>;
};

const encoder = new TextEncoder();

export function maskPassword(pw: string): string {
  const shown = pw.length > 2 ? 2 : 0;
  return pw.slice(0, shown) + '*'.repeat(pw.length - shown);
}

export function diagnoseFrame(text: string): FrameDiagnosis {
  const result: FrameDiagnosis = { valid: false, cpFields: {}, items: [], facilities: [], unknownKeys: {} };
  const trimmed = text.trim();
  const start = trimmed.indexOf('##');
  if (start < 0) {
    result.reason = 'bad-header';
    if (trimmed.includes('CP=&&')) {
      result.detail = 'no ## frame start: read as a bare data segment';
      describeSegment(result, trimmed);
    } else {
      result.detail = 'no ## frame start found';
    }
    return result;
  }
  // Log lines carry a timestamp or direction marker in front of the frame.
  const frameText = trimmed.slice(start);

  const declared = /^##(\d{4})/.exec(frameText);
  if (declared) result.declaredLength = Number(declared[1]);

  let estimatedSegment: string | undefined;
  if (frameText.length >= 10) {
    estimatedSegment = frameText.slice(6, -4);
    result.actualLength = encoder.encode(estimatedSegment).length;
    result.crcFound = frameText.slice(-4).toUpperCase();
    result.crcExpected = hj212CrcHex(estimatedSegment);
    result.crcKind =
      result.crcFound === result.crcExpected ? 'hj212' : result.crcFound === modbusCrcLowFirstHex(estimatedSegment) ? 'modbus-low-first' : 'mismatch';
  }

  const decoder = new FrameDecoder({ maxSegmentBytes: 9999 });
  const decoded = [...decoder.push(Buffer.from(frameText, 'utf8')), ...decoder.end()];
  const accepted = decoded.find((frame) => frame.ok);
  if (accepted?.ok) {
    result.actualLength = encoder.encode(accepted.segment).length;
    result.crcFound = accepted.crc;
    result.crcExpected = accepted.crc;
    result.crcKind = 'hj212';
    const parsed = describeSegment(result, accepted.segment);
    result.valid = parsed;
    const notes = parsed ? [...(result.detail === undefined ? [] : [result.detail])] : [];
    if (parsed && accepted.raw.length < frameText.length) {
      notes.push(`text after the first frame was ignored (${frameText.length - accepted.raw.length} characters)`);
    }
    if (notes.length > 0) result.detail = notes.join('; ');
    return result;
  }

  const rejection = decoded.find((frame) => !frame.ok);
  if (rejection && !rejection.ok) {
    result.reason = rejection.reason;
    result.detail = rejection.detail;
  }
  if (
    result.declaredLength !== undefined &&
    result.actualLength !== undefined &&
    estimatedSegment !== undefined &&
    result.declaredLength !== result.actualLength
  ) {
    result.reason = 'bad-length';
    result.detail = `declared length ${result.declaredLength}, but the data segment has ${result.actualLength} bytes in UTF-8`;
    if (estimatedSegment.length === result.declaredLength) {
      result.detail += ' (the device counted characters, not UTF-8 bytes)';
    }
  }
  if (estimatedSegment !== undefined) describeSegment(result, estimatedSegment);
  return result;
}

/** Fills header and data from a segment; false (with the reason set) when it does not parse. */
function describeSegment(result: FrameDiagnosis, segment: string): boolean {
  const parsed = parseSegment(segment);
  if (!parsed.ok) {
    if (result.reason === undefined) {
      result.reason = parsed.reason;
      result.detail = parsed.detail;
    }
    return false;
  }
  const m = parsed.message;
  const header: DiagnosedHeader = {
    st: m.st,
    cn: m.cn,
    pwMasked: maskPassword(m.pw),
    mn: m.mn,
    ackRequested: m.ackRequested,
  };
  if (m.qn !== undefined) header.qn = m.qn;
  if (m.flag !== undefined) header.flag = m.flag;
  if (m.split) header.split = m.split;
  result.header = header;
  result.edition = m.edition;
  result.cpFields = m.cpFields;
  if (m.dataTime) result.dataTime = m.dataTime;
  if (m.notes && result.reason === undefined) result.detail = m.notes.join('; ');
  result.facilities = m.facilities;
  result.unknownKeys = m.unknownKeys;
  result.items = m.items.map((item) => {
    const info = lookupFactor(item.code);
    const out: DiagnosedItem = { code: item.code, factor: item.factor, known: item.known, values: item.values };
    if (info) {
      out.name = info.nameZh;
      out.unit = info.unit;
    }
    if (item.flag !== undefined) out.flag = item.flag;
    if (item.unparsed) out.unparsed = item.unparsed;
    return out;
  });
  return true;
}
