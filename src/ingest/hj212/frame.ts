/**
 * Stream framing for HJ 212: `##` + 4-digit length + data segment + 4 hex CRC + `\r\n`.
 *
 * Terminator policy: the declared length, not the terminator, delimits a frame, so a frame is
 * judged as soon as the byte after its CRC is known. That byte may be `\r` (with or without its
 * `\n`), a lone `\n`, or `#` (the device sent no terminator and the next frame follows directly);
 * anything else means the declared length is wrong and the frame is rejected as 'bad-terminator'.
 * A frame whose terminator never comes (the device sends none, then falls silent) is only released
 * by `end()`.
 *
 * After any rejection the decoder resumes scanning one byte past the rejected `##`, so frames that
 * a wrong declared length swallowed are still recovered; the rejected frame's own bytes are then
 * skipped without a second report. Bytes outside frames are reported once per run as 'bad-header',
 * except runs of whitespace and NUL, which some devices send between frames.
 */

import { hj212Crc, hj212CrcHex, modbusCrc } from './crc';

export type FrameRejectReason = 'bad-header' | 'bad-length' | 'too-long' | 'bad-crc' | 'modbus-crc' | 'bad-terminator' | 'bad-encoding';

export type DecodedFrame =
  /** `raw` is the frame from `##` through the CRC as received, without the terminator. */
  { ok: true; segment: string; crc: string; raw: string } | { ok: false; reason: FrameRejectReason; detail: string; raw?: string };

export type FrameDecoderOptions = { maxSegmentBytes: number };

const HASH = 0x23;
const CR = 0x0d;
const LF = 0x0a;
const HEADER_BYTES = 6;
const CRC_BYTES = 4;
/** How much of a garbage run or rejected frame is kept for the log line. */
const SAMPLE_BYTES = 64;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const lenientUtf8 = new TextDecoder('utf-8');
const textEncoder = new TextEncoder();

function isDigit(byte: number): boolean {
  return byte >= 0x30 && byte <= 0x39;
}

function isBlank(byte: number): boolean {
  return byte === CR || byte === LF || byte === 0x20 || byte === 0x09 || byte === 0x00;
}

function hex4(value: number): string {
  return value.toString(16).toUpperCase().padStart(4, '0');
}

function sample(bytes: Uint8Array): string {
  return lenientUtf8.decode(bytes.subarray(0, SAMPLE_BYTES));
}

export class FrameDecoder {
  private readonly maxSegmentBytes: number;
  private buffer: Buffer = Buffer.alloc(0);
  /** Set after a rejection: bytes up to the next `##` belong to the rejected frame. */
  private skippingRejected = false;
  private garbageBytes = 0;
  private garbageVisible = false;
  private garbageSample: Buffer = Buffer.alloc(0);
  /** A frame ended in `\r`; its `\n` may still be on the way and is part of that frame. */
  private pendingLf = false;

  constructor(options: Partial<FrameDecoderOptions> = {}) {
    const { maxSegmentBytes = 4096 } = options;
    if (!Number.isInteger(maxSegmentBytes) || maxSegmentBytes < 1 || maxSegmentBytes > 9999) {
      throw new RangeError('maxSegmentBytes must be an integer from 1 to 9999');
    }
    this.maxSegmentBytes = maxSegmentBytes;
  }

  push(chunk: Uint8Array): DecodedFrame[] {
    this.buffer = this.buffer.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buffer, chunk]);
    return this.drain(false);
  }

  /** Releases what the stream's end decides: a frame lacking only its terminator, a truncated frame, garbage. */
  end(): DecodedFrame[] {
    const out = this.drain(true);
    if (this.buffer.length > 0) {
      if (this.buffer.length >= 2 && this.buffer[0] === HASH && this.buffer[1] === HASH) {
        out.push({
          ok: false,
          reason: 'bad-length',
          detail: `stream ended inside a frame after ${this.buffer.length} bytes`,
          raw: sample(this.buffer),
        });
      } else if (!this.skippingRejected) {
        this.noteGarbage(this.buffer);
      }
      this.buffer = Buffer.alloc(0);
    }
    this.flushGarbage(out);
    this.skippingRejected = false;
    this.pendingLf = false;
    return out;
  }

  private drain(atEnd: boolean): DecodedFrame[] {
    const out: DecodedFrame[] = [];
    for (;;) {
      if (this.pendingLf && this.buffer.length > 0) {
        this.pendingLf = false;
        if (this.buffer[0] === LF) this.buffer = this.buffer.subarray(1);
      }
      const start = this.buffer.indexOf('##');
      if (start < 0) {
        // Keep a trailing `#`: it may be the first half of the next `##`.
        const keep = this.buffer.length > 0 && this.buffer[this.buffer.length - 1] === HASH ? 1 : 0;
        this.discard(this.buffer.length - keep);
        return out;
      }
      if (start > 0) this.discard(start);
      this.skippingRejected = false;
      this.flushGarbage(out);

      const step = this.decodeAtStart(atEnd);
      if (step === 'need-more') return out;
      if (step === 'garbage-hash') {
        this.discard(1);
        continue;
      }
      out.push(step.frame);
      this.pendingLf = step.frame.ok && this.buffer[step.consumed - 1] === CR;
      this.skippingRejected = !step.frame.ok;
      this.buffer = this.buffer.subarray(step.consumed);
    }
  }

  /** Judges the frame whose `##` is at offset 0 of the buffer. */
  private decodeAtStart(atEnd: boolean): 'need-more' | 'garbage-hash' | { frame: DecodedFrame; consumed: number } {
    const buf = this.buffer;
    // `###0101...`: the first `#` is noise in front of a real header.
    if (buf.length > 2 && buf[2] === HASH) return 'garbage-hash';
    for (let i = 2; i < HEADER_BYTES; i++) {
      const byte = buf[i];
      if (byte === undefined) return 'need-more';
      if (!isDigit(byte)) {
        return this.reject('bad-length', 'length field is not 4 decimal digits', buf.subarray(0, i + 1));
      }
    }
    const declared = Number(buf.toString('latin1', 2, HEADER_BYTES));
    if (declared > this.maxSegmentBytes) {
      return this.reject('too-long', `declared length ${declared} exceeds the limit of ${this.maxSegmentBytes} bytes`, buf.subarray(0, HEADER_BYTES));
    }
    const crcEnd = HEADER_BYTES + declared + CRC_BYTES;
    if (buf.length < crcEnd) return 'need-more';
    const terminator = buf[crcEnd];
    if (terminator === undefined && !atEnd) return 'need-more';

    const frameBytes = buf.subarray(0, crcEnd);
    if (terminator !== undefined && terminator !== CR && terminator !== LF && terminator !== HASH) {
      return this.reject(
        'bad-terminator',
        `expected \\r\\n after the CRC at byte ${crcEnd}, found 0x${terminator.toString(16).padStart(2, '0')}: declared length ${declared} is probably wrong`,
        frameBytes,
      );
    }

    const segmentBytes = buf.subarray(HEADER_BYTES, HEADER_BYTES + declared);
    const crcText = buf.toString('latin1', HEADER_BYTES + declared, crcEnd);
    if (!/^[0-9A-Fa-f]{4}$/.test(crcText)) {
      return this.reject('bad-crc', 'CRC field is not 4 hex digits', frameBytes);
    }
    const crcFound = crcText.toUpperCase();
    const crcExpected = hex4(hj212Crc(segmentBytes));
    if (crcFound !== crcExpected) {
      const modbus = modbusCrc(segmentBytes);
      if (hex4(((modbus & 0xff) << 8) | (modbus >> 8)) === crcFound) {
        return this.reject('modbus-crc', `CRC ${crcFound} is CRC-16/MODBUS printed low byte first; HJ 212 CRC is ${crcExpected}`, frameBytes);
      }
      return this.reject('bad-crc', `CRC ${crcFound} does not match ${crcExpected}`, frameBytes);
    }

    let segment: string;
    try {
      segment = strictUtf8.decode(segmentBytes);
    } catch {
      return this.reject('bad-encoding', 'data segment is not valid UTF-8', frameBytes);
    }
    const consumed = terminator === CR || terminator === LF ? crcEnd + 1 : crcEnd;
    return { frame: { ok: true, segment, crc: crcFound, raw: buf.toString('utf8', 0, crcEnd) }, consumed };
  }

  /** Consumes only the first `#`, so a frame hidden inside the rejected one is still found. */
  private reject(reason: FrameRejectReason, detail: string, bytes: Uint8Array): { frame: DecodedFrame; consumed: number } {
    return { frame: { ok: false, reason, detail, raw: lenientUtf8.decode(bytes.subarray(0, 1024)) }, consumed: 1 };
  }

  private discard(count: number): void {
    if (count <= 0) return;
    if (!this.skippingRejected) this.noteGarbage(this.buffer.subarray(0, count));
    this.buffer = this.buffer.subarray(count);
    // Don't let a long-lived view pin a large chunk that has mostly been consumed.
    if (this.buffer.length === 0) this.buffer = Buffer.alloc(0);
  }

  private noteGarbage(bytes: Uint8Array): void {
    this.garbageBytes += bytes.length;
    if (!this.garbageVisible && bytes.some((b) => !isBlank(b))) this.garbageVisible = true;
    if (this.garbageSample.length < SAMPLE_BYTES) {
      this.garbageSample = Buffer.concat([this.garbageSample, bytes.subarray(0, SAMPLE_BYTES - this.garbageSample.length)]);
    }
  }

  private flushGarbage(out: DecodedFrame[]): void {
    if (this.garbageVisible) {
      out.push({
        ok: false,
        reason: 'bad-header',
        detail: `skipped ${this.garbageBytes} bytes outside any frame`,
        raw: sample(this.garbageSample),
      });
    }
    this.garbageBytes = 0;
    this.garbageVisible = false;
    this.garbageSample = Buffer.alloc(0);
  }
}

/** Wraps a data segment into a frame: `##`, length in UTF-8 bytes, segment, CRC, `\r\n`. */
export function encodeFrame(segment: string): string {
  const length = textEncoder.encode(segment).length;
  if (length > 9999) throw new RangeError(`data segment of ${length} bytes does not fit a 4-digit length`);
  return `##${String(length).padStart(4, '0')}${segment}${hj212CrcHex(segment)}\r\n`;
}
