/**
 * What the gateway has seen since it started: frames accepted and refused by reason, replies sent,
 * connections and readings. Kept in memory per hub instance; logged periodically and exposed to
 * administrators through GraphQL.
 */

import type { FrameRejectReason } from './frame';
import type { ParseFailureReason } from './message';

export type RejectReason =
  | FrameRejectReason
  | `parse-${ParseFailureReason}`
  | 'unknown-mn'
  | 'bad-pw'
  | 'auth-locked'
  | 'connection-closed'
  | 'rate-limited'
  | 'missing-datatime'
  | 'ingest-failed'
  | 'state-failed'
  | 'internal-error';

export type GatewayStats = {
  since: Date;
  connectionsOpen: number;
  connectionsTotal: number;
  connectionsRefused: number;
  connectionsIdleClosed: number;
  /** closed for not authenticating within HJ212_AUTH_TIMEOUT_SECONDS */
  connectionsAuthTimedOut: number;
  /** unauthenticated connections closed to make room for newer ones */
  connectionsEvicted: number;
  /** open connections on which no device has authenticated */
  connectionsUnauthenticated: number;
  devicesConnected: number;
  framesAccepted: number;
  framesRejected: number;
  /** Frames from authenticated devices whose CN the gateway does not act on (logged only). */
  framesIgnored: number;
  rejections: { reason: RejectReason; count: number }[];
  acksSent: number;
  requestRepliesSent: number;
  commandsSent: number;
  readingsStored: number;
  readingsDuplicate: number;
  readingsRejected: number;
  splitPacketsHeld: number;
  splitMessagesCompleted: number;
  splitMessagesExpired: number;
  splitMessagesPending: number;
  deviceStatesRecorded: number;
  /** PWs checked against their scrypt hash */
  passwordChecks: number;
  /** MN and address lockouts started after wrong PWs */
  authLockouts: number;
};

export class GatewayCounters {
  readonly since: Date;
  connectionsOpen = 0;
  connectionsTotal = 0;
  connectionsRefused = 0;
  connectionsIdleClosed = 0;
  connectionsAuthTimedOut = 0;
  connectionsEvicted = 0;
  framesAccepted = 0;
  framesIgnored = 0;
  acksSent = 0;
  requestRepliesSent = 0;
  commandsSent = 0;
  readingsStored = 0;
  readingsDuplicate = 0;
  readingsRejected = 0;
  splitPacketsHeld = 0;
  splitMessagesCompleted = 0;
  splitMessagesExpired = 0;
  deviceStatesRecorded = 0;
  passwordChecks = 0;
  authLockouts = 0;
  private readonly rejected = new Map<RejectReason, number>();

  constructor(now: Date) {
    this.since = now;
  }

  reject(reason: RejectReason): void {
    this.rejected.set(reason, (this.rejected.get(reason) ?? 0) + 1);
  }

  snapshot(live: { devicesConnected: number; splitMessagesPending: number; connectionsUnauthenticated: number }): GatewayStats {
    const rejections = [...this.rejected.entries()]
      .map(([reason, count]) => ({ reason, count }))
      .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
    return {
      since: this.since,
      connectionsOpen: this.connectionsOpen,
      connectionsTotal: this.connectionsTotal,
      connectionsRefused: this.connectionsRefused,
      connectionsIdleClosed: this.connectionsIdleClosed,
      connectionsAuthTimedOut: this.connectionsAuthTimedOut,
      connectionsEvicted: this.connectionsEvicted,
      connectionsUnauthenticated: live.connectionsUnauthenticated,
      devicesConnected: live.devicesConnected,
      framesAccepted: this.framesAccepted,
      framesRejected: rejections.reduce((sum, r) => sum + r.count, 0),
      framesIgnored: this.framesIgnored,
      rejections,
      acksSent: this.acksSent,
      requestRepliesSent: this.requestRepliesSent,
      commandsSent: this.commandsSent,
      readingsStored: this.readingsStored,
      readingsDuplicate: this.readingsDuplicate,
      readingsRejected: this.readingsRejected,
      splitPacketsHeld: this.splitPacketsHeld,
      splitMessagesCompleted: this.splitMessagesCompleted,
      splitMessagesExpired: this.splitMessagesExpired,
      splitMessagesPending: live.splitMessagesPending,
      deviceStatesRecorded: this.deviceStatesRecorded,
      passwordChecks: this.passwordChecks,
      authLockouts: this.authLockouts,
    };
  }
}

/**
 * Frames per second per connection: a bucket of `ratePerSecond` tokens refilled continuously, so
 * a device may send a short burst (a backlog after reconnecting) but not a sustained flood.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly now: () => number = Date.now,
  ) {
    if (!(ratePerSecond > 0)) throw new RangeError('ratePerSecond must be positive');
    this.tokens = ratePerSecond;
    this.last = now();
  }

  take(): boolean {
    const now = this.now();
    const elapsed = Math.max(0, now - this.last);
    this.last = now;
    this.tokens = Math.min(this.ratePerSecond, this.tokens + (elapsed * this.ratePerSecond) / 1000);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
