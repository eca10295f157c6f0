import { ObjectRef } from '@pothos/core';
import type { HubTypes } from '../../../src/graphql/builder';
import type { Camera, EnforcementCase, Enterprise, Inspection, SamplerRetention, VideoSite } from '../service/types';

/** Refs other modules may use in their own fields (`Incident.nearbyEnterprises`, disclosure lists). */
export const EnterpriseRef = new ObjectRef<HubTypes, Enterprise>('Enterprise');
export const CameraRef = new ObjectRef<HubTypes, Camera>('Camera');
export const VideoSiteRef = new ObjectRef<HubTypes, VideoSite>('VideoSite');
export const EnforcementCaseRef = new ObjectRef<HubTypes, EnforcementCase>('EnforcementCase');
export const InspectionRef = new ObjectRef<HubTypes, Inspection>('Inspection');
export const SampleRetentionRef = new ObjectRef<HubTypes, SamplerRetention>('SampleRetention');
