/** What other modules may use of the source module. */
import { createServiceRef } from '../../src/services';
import type { SourceService } from './service/source-service';

export const sourceServiceRef = createServiceRef<SourceService>('source');
export type { SourceService, NearbyEnterprise } from './service/source-service';
export type { NearbyCamera } from './service/video';
export type { FactorCompliance } from './service/compliance';
export type { NearbyQuery } from './service/enterprises';
export type {
  Enterprise,
  ControlLevel,
  Outlet,
  OutletKind,
  OutletMonitor,
  Camera,
  CameraStatus,
  VideoSite,
  SiteKind,
  EnforcementCase,
  PublishedDecision,
  SamplerRetention,
} from './service/types';
export type { CameraStatusPayload, SampleRetainedPayload } from './events';
export { CAMERA_STATUS_TOPICS, cameraWentOffline, cameraCameOnline, sampleRetained } from './events';
export { EnterpriseRef, CameraRef, VideoSiteRef, EnforcementCaseRef } from './graphql/refs';
export { enterpriseVisible } from './service/scope';
export { validateUscc, completeUscc } from './uscc';
