/**
 * The HJ 212 gateway's settings: listener, frame and connection limits, device authentication,
 * commands, and forwarding to upper platforms.
 */
import { readBool, readInt, readString, type Env, type Setting } from './config-env';

/** The longest an HJ 212 command may wait for its device's answers. */
export const MAX_COMMAND_TIMEOUT_SECONDS = 120;

/** The gateway's documented settings, in README order (SETTINGS in config.ts lists them in place). */
export const HJ212_SETTINGS: readonly Setting[] = [
  { name: 'HJ212_ENABLED', default: 'true', description: 'run the HJ 212 TCP gateway' },
  { name: 'HJ212_HOST', default: '0.0.0.0', description: 'address the HJ 212 gateway binds to' },
  { name: 'HJ212_PORT', default: '2120', description: 'HJ 212 gateway TCP port' },
  { name: 'HJ212_MAX_FRAME_BYTES', default: '4096', description: 'largest data segment accepted from a device' },
  {
    name: 'HJ212_MAX_CONNECTIONS',
    default: '2000',
    description: 'concurrent device connections; when all are taken, a new connection replaces the oldest on which no device has authenticated',
  },
  {
    name: 'HJ212_MAX_UNAUTHENTICATED_PER_ADDRESS',
    default: '50',
    description:
      'connections one client address (an IPv6 /64) may hold before a device authenticates on them; a new one beyond that replaces the address’s oldest',
  },
  {
    name: 'HJ212_AUTH_TIMEOUT_SECONDS',
    default: '60',
    description: 'a connection that has not presented a valid frame with a registered MN and its PW this long after connecting is closed',
  },
  {
    name: 'HJ212_AUTH_MAX_FAILURES_PER_MN',
    default: '5',
    description: 'different wrong PWs for one MN within HJ212_AUTH_LOCKOUT_SECONDS before the MN is locked out (except where it has authenticated before)',
  },
  {
    name: 'HJ212_AUTH_MAX_FAILURES_PER_ADDRESS',
    default: '20',
    description: 'different wrong PWs from one client address within HJ212_AUTH_LOCKOUT_SECONDS before the address is locked out',
  },
  {
    name: 'HJ212_AUTH_LOCKOUT_SECONDS',
    default: '300',
    description:
      'first lockout after too many wrong PWs; each repeat doubles it, up to 16 times; frames from a locked-out MN or address are refused unchecked (9011 QnRtn 2, once per connection)',
  },
  { name: 'HJ212_MAX_FRAMES_PER_SECOND', default: '50', description: 'frames per second per connection before frames are refused' },
  {
    name: 'HJ212_IDLE_TIMEOUT_SECONDS',
    default: '600',
    description: 'a device connection that sends no valid frame this long is closed (other bytes do not count)',
  },
  { name: 'HJ212_SPLIT_TIMEOUT_SECONDS', default: '60', description: 'how long parts of a split (PNUM/PNO) message are kept waiting for the rest' },
  {
    name: 'HJ212_COMMAND_TIMEOUT_SECONDS',
    default: '15',
    description: `how long a command (e.g. a sampler’s 3015) waits for the device’s answers unless the request says; 1-${MAX_COMMAND_TIMEOUT_SECONDS}`,
  },
  {
    name: 'HJ212_FORWARD_TARGETS_FILE',
    default: '(unset)',
    description: 'JSON file naming the city/province platforms stored uploads are forwarded to over HJ 212 (see the hj212 section); unset: no forwarding',
  },
  {
    name: 'HJ212_FORWARD_MAX_PER_SECOND',
    default: '50',
    description:
      'uploads per second sent to one target at most, live or backlog (an envhub target refuses frames past its HJ212_MAX_FRAMES_PER_SECOND per connection); 1-10000',
  },
  {
    name: 'HJ212_FORWARD_ACK_TIMEOUT_SECONDS',
    default: '10',
    description: 'how long a forwarded upload waits for the target’s 9014 before it is sent again; 1-120',
  },
  {
    name: 'HJ212_FORWARD_RETRIES',
    default: '3',
    description: 'times an unacknowledged upload is sent again before the connection is dropped and made anew; 0-10',
  },
  {
    name: 'HJ212_FORWARD_READ_ROWS',
    default: '2000',
    description:
      'stored readings read at once per monitor when forwarding (a page of a backlog of any length: what it holds in memory, up to 16 monitors at once); 10-100000',
  },
];

export interface Hj212Config {
  enabled: boolean;
  host: string;
  port: number;
  maxFrameBytes: number;
  maxConnections: number;
  maxFramesPerSecond: number;
  idleTimeoutSeconds: number;
  /** a connection must present a valid, authenticated frame this soon after connecting */
  authTimeoutSeconds: number;
  /** unauthenticated connections one client address may hold before its oldest is replaced */
  maxUnauthenticatedPerAddress: number;
  authMaxFailuresPerMn: number;
  authMaxFailuresPerAddress: number;
  authLockoutSeconds: number;
  splitTimeoutSeconds: number;
  /** how long a command waits for its device's answers when the request does not say */
  commandTimeoutSeconds: number;
  forward: {
    /** JSON file naming the upper platforms to forward to; unset: no forwarding */
    targetsFile: string | undefined;
    maxPerSecond: number;
    ackTimeoutSeconds: number;
    retries: number;
    /** stored readings read at once per monitor: a backlog is sent page by page */
    readRows: number;
  };
}

export function readHj212Config(env: Env): Hj212Config {
  return {
    enabled: readBool(env, 'HJ212_ENABLED', true),
    host: readString(env, 'HJ212_HOST') ?? '0.0.0.0',
    port: readInt(env, 'HJ212_PORT', 2120),
    maxFrameBytes: readInt(env, 'HJ212_MAX_FRAME_BYTES', 4096, 128),
    maxConnections: readInt(env, 'HJ212_MAX_CONNECTIONS', 2000, 1),
    maxFramesPerSecond: readInt(env, 'HJ212_MAX_FRAMES_PER_SECOND', 50, 1),
    idleTimeoutSeconds: readInt(env, 'HJ212_IDLE_TIMEOUT_SECONDS', 600, 1),
    authTimeoutSeconds: readInt(env, 'HJ212_AUTH_TIMEOUT_SECONDS', 60, 1, 3600),
    maxUnauthenticatedPerAddress: readInt(env, 'HJ212_MAX_UNAUTHENTICATED_PER_ADDRESS', 50, 1),
    authMaxFailuresPerMn: readInt(env, 'HJ212_AUTH_MAX_FAILURES_PER_MN', 5, 1, 1000),
    authMaxFailuresPerAddress: readInt(env, 'HJ212_AUTH_MAX_FAILURES_PER_ADDRESS', 20, 1, 10000),
    authLockoutSeconds: readInt(env, 'HJ212_AUTH_LOCKOUT_SECONDS', 300, 1, 86400),
    splitTimeoutSeconds: readInt(env, 'HJ212_SPLIT_TIMEOUT_SECONDS', 60, 1),
    commandTimeoutSeconds: readInt(env, 'HJ212_COMMAND_TIMEOUT_SECONDS', 15, 1, MAX_COMMAND_TIMEOUT_SECONDS),
    forward: {
      targetsFile: readString(env, 'HJ212_FORWARD_TARGETS_FILE'),
      maxPerSecond: readInt(env, 'HJ212_FORWARD_MAX_PER_SECOND', 50, 1, 10_000),
      ackTimeoutSeconds: readInt(env, 'HJ212_FORWARD_ACK_TIMEOUT_SECONDS', 10, 1, 120),
      retries: readInt(env, 'HJ212_FORWARD_RETRIES', 3, 0, 10),
      readRows: readInt(env, 'HJ212_FORWARD_READ_ROWS', 2000, 10, 100_000),
    },
  };
}
