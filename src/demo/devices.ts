import { createHash } from 'node:crypto';

/**
 * The HJ 212 access password (PW) of a demo device. The hub stores only a hash, but the simulator
 * has to speak for the device, so demo seeds register every monitor with this password and the
 * simulator derives it again from the MN. Six digits, the form the standard's examples use.
 * Demo data only: a real device's password is set on the logger and given to the hub by a person.
 */
export function demoDevicePassword(mn: string): string {
  const digest = createHash('sha256').update(`envhub-demo-device:${mn}`).digest();
  return String(digest.readUInt32BE(0) % 1_000_000).padStart(6, '0');
}
