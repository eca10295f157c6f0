/** What other modules may use of the disclosure module. */
import { createServiceRef } from '../../src/services';
import type { DisclosureService } from './service/disclosure-service';

export const disclosureServiceRef = createServiceRef<DisclosureService>('disclosure');
export type { DisclosureService } from './service/disclosure-service';
export type {
  PublicAirStation,
  PublicAqi,
  PublicStationAir,
  PublicWaterStation,
  PublicEnterprise,
  PublicOutlet,
  PublicOutletFactor,
  PublicHourlyValue,
  PublicCompliance,
  PublicDecision,
  PublicGranularity,
} from './service/types';
