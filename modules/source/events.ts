import { defineEvent } from '../../src/events/topics';
import type { CameraStatus, SiteKind } from './service/types';

/** What a camera status event carries: enough to filter, scope and display without a query. */
export interface CameraStatusPayload {
  cameraId: number;
  code: string;
  name: string;
  siteCode: string;
  siteName: string;
  siteKind: SiteKind;
  enterpriseUscc: string | null;
  cellCode: string | null;
  status: Extract<CameraStatus, 'ONLINE' | 'OFFLINE'>;
  previousStatus: CameraStatus;
  /** when the video platform saw the change */
  at: string;
}

export const cameraWentOffline = defineEvent<CameraStatusPayload>('source.camera.wentOffline');
export const cameraCameOnline = defineEvent<CameraStatusPayload>('source.camera.cameOnline');
export const CAMERA_STATUS_TOPICS = [cameraWentOffline, cameraCameOnline] as const;

/** A sample retained by an enterprise's water sampler for an exceedance episode. */
export interface SampleRetainedPayload {
  retentionId: number;
  samplerCode: string;
  enterpriseUscc: string;
  cellCode: string | null;
  exceedanceId: number;
  bottleNumber: number;
  retainedAt: string;
}

export const sampleRetained = defineEvent<SampleRetainedPayload>('source.sample.retained');
