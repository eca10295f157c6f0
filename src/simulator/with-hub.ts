/**
 * The demo district's devices, played in the hub's own process (SIMULATOR=true, the demo's
 * default): they dial the hub's HJ 212 gateway over loopback like any device, so the demo goes
 * through the same path as the field. The demo starts them, not the gateway: a production gateway
 * never carries simulator code on its path.
 */
import type { HubRuntime } from '../modules';
import { hj212GatewayRef } from '../ingest/hj212/public';
import { monitoringServiceRef } from '../monitoring/public';
import { loopbackFor, startSimulator } from './simulator';
import { monitorsFromService } from './sources';

/** Starts the simulated devices when the gateway listens; returns their stop function. */
export function startDistrictSimulator(hub: HubRuntime): (() => Promise<void>) | undefined {
  const gateway = hub.services.get(hj212GatewayRef);
  const logger = hub.logger.child({ module: 'simulator' });
  if (!gateway.running || gateway.port === undefined) {
    logger.info('device simulator not started: the HJ 212 gateway is not running');
    return undefined;
  }
  const simulator = startSimulator({
    host: loopbackFor(hub.config.hj212.host),
    port: gateway.port,
    source: monitorsFromService(hub.services.get(monitoringServiceRef)),
    logger,
  });
  return () => simulator.stop();
}
