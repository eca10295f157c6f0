import type { HubModule, HubRuntime } from '../../modules';
import { monitoringServiceRef } from '../../monitoring/public';
import { Hj212Gateway } from './gateway';
import { registerHj212Schema } from './graphql';
import { GatewayServiceHandle, hj212GatewayRef } from './service';
import { DeviceCommandRouter } from '../../cluster/device-commands';
import { localExecutor } from './routing';
import { registerForwardingSchema } from './forward/graphql';
import { ForwardingHandle, hj212ForwardingRef } from './forward/service';
import { loadForwardTargets } from './forward/targets';

function handleOf(hub: HubRuntime): GatewayServiceHandle {
  const service = hub.services.get(hj212GatewayRef);
  if (!(service instanceof GatewayServiceHandle)) throw new Error('the hj212 gateway service was replaced');
  return service;
}

/**
 * Batches the gateway has in the monitoring service at once: the embedded engine has one
 * connection; a server takes a few, leaving half the pool to queries.
 */
export function ingestBatchesInFlight(engine: 'pglite' | 'postgres', poolMax: number): number {
  return engine === 'pglite' ? 1 : Math.max(1, Math.min(4, Math.floor(poolMax / 2)));
}

/** Devices report over HJ 212 TCP (in the demo, the simulated district's devices: src/simulator/with-hub.ts). */
export const hj212Module: HubModule = {
  name: 'hj212',
  description: 'HJ 212 TCP gateway for monitoring devices: ingest, acknowledgements, device commands, frame diagnosis',
  dependsOn: ['monitoring'],
  provide: (hub) => {
    hub.services.provide(hj212GatewayRef, new GatewayServiceHandle(hub.now, hub.config.hj212.commandTimeoutSeconds));
    hub.services.provide(hj212ForwardingRef, new ForwardingHandle());
  },
  register: (builder) => {
    registerHj212Schema(builder);
    registerForwardingSchema(builder);
  },
  start: async (hub) => {
    const settings = hub.config.hj212;
    const logger = hub.logger.child({ module: 'hj212' });
    const handle = handleOf(hub);
    // a mistake in the targets file stops the start before anything runs
    const targets = loadForwardTargets(settings.forward.targetsFile);
    // several instances share a server database: a command reaches a device on whichever holds it
    const router = hub.db.engine === 'postgres' ? new DeviceCommandRouter({ db: hub.db, logger, instanceId: hub.instanceId }) : undefined;
    await router?.start(localExecutor((mn, request) => handle.sendOnOwnConnection(mn, request)));
    handle.attachRouter(router);
    const stopRouter = async (): Promise<void> => {
      handle.attachRouter(undefined);
      await router?.stop();
    };
    // forwarding reads the store, whatever brought the data in: it runs with the gateway off too
    const monitoring = hub.services.get(monitoringServiceRef);
    const forwarding = hub.services.get(hj212ForwardingRef);
    forwarding.start(hub.db, targets, { db: hub.db, logger, instanceId: hub.instanceId, settings: settings.forward, monitoring });
    if (targets.length > 0)
      logger.info(
        {
          targets: targets.map(
            (t) =>
              `${t.name} ${t.host}:${t.port} (${t.monitors.length} monitors; ${t.commands.join(', ')}${t.since ? `; stored since ${t.since.toISOString()}` : ''})`,
          ),
        },
        'hj212 forwarding to upper platforms',
      );
    const stopForwarding = async (): Promise<void> => {
      await forwarding.stop();
      await stopRouter();
    };
    if (!settings.enabled) {
      logger.info('hj212 gateway disabled (HJ212_ENABLED=false)');
      return stopForwarding;
    }
    const gateway = await Hj212Gateway.start({
      settings,
      monitoring,
      logger,
      now: hub.now,
      ingestBatchMax: hub.config.monitoring.ingestBatchMax,
      ingestConcurrency: ingestBatchesInFlight(hub.db.engine, hub.config.databasePoolMax),
      sessions: router,
    });
    handle.attach(gateway);
    return async () => {
      handle.detach();
      await gateway.close();
      await stopForwarding();
    };
  },
};
