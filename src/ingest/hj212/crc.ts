/**
 * HJ 212 CRC (2017 appendix A, same procedure in 2005). It is not CRC-16/MODBUS: the register is
 * cut to its high byte before each input byte is mixed in, so the result takes only 256 values.
 */

const encoder = new TextEncoder();

export function hj212Crc(bytes: Uint8Array): number {
  let register = 0xffff;
  for (const byte of bytes) {
    register = (register >> 8) ^ byte;
    for (let bit = 0; bit < 8; bit++) {
      const carry = register & 1;
      register >>= 1;
      if (carry) register ^= 0xa001;
    }
  }
  return register;
}

function hex4(value: number): string {
  return value.toString(16).toUpperCase().padStart(4, '0');
}

/** CRC of the UTF-8 bytes of a data segment, as the 4 upper-case hex digits a frame carries. */
export function hj212CrcHex(segment: string): string {
  return hex4(hj212Crc(encoder.encode(segment)));
}

export function modbusCrc(bytes: Uint8Array): number {
  let register = 0xffff;
  for (const byte of bytes) {
    register ^= byte;
    for (let bit = 0; bit < 8; bit++) {
      const carry = register & 1;
      register >>= 1;
      if (carry) register ^= 0xa001;
    }
  }
  return register;
}

/**
 * CRC-16/MODBUS printed low byte first, the way some devices wrongly sign their frames; frames
 * signed this way are rejected, but recognising them tells the operator what the device does.
 */
export function modbusCrcLowFirstHex(segment: string): string {
  const crc = modbusCrc(encoder.encode(segment));
  return hex4(((crc & 0xff) << 8) | (crc >> 8));
}
