/**
 * `npm run simulate`: plays the demo district's devices against a hub running elsewhere. The
 * device list comes from the hub's GraphQL API (an admin token is minted with the hub's secret:
 * JWT_SECRET, or the demo secret in HUB_DATA_DIR), the data goes to its HJ 212 port. Start that
 * hub with SIMULATOR=false, or its own simulator plays the same devices a second time.
 */

import { parseArgs } from 'node:util';
import { signToken } from '../auth/jwt';
import { demoSecret } from '../auth/secret';
import { ConfigError, loadConfig } from '../config';
import { createLogger } from '../logger';
import { loopbackFor, startSimulator } from './simulator';
import { monitorsFromGraphql } from './sources';

export const SIMULATE_USAGE =
  'simulate   play the demo devices against a running hub: [--url http://127.0.0.1:4000/graphql] [--host 127.0.0.1] [--port 2120] [--rtd-seconds 30] [--max-devices 500] [--token <admin JWT>]';

function positiveInt(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new ConfigError(`--${name} must be a positive whole number, got "${text}"`);
  return value;
}

export async function runSimulate(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      url: { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      'rtd-seconds': { type: 'string' },
      'max-devices': { type: 'string' },
      token: { type: 'string' },
    },
  });
  const config = loadConfig(process.env, 'demo');
  const logger = createLogger(config.logLevel);
  const url = values.url ?? `http://${loopbackFor(config.host)}:${config.port}/graphql`;
  let token = values.token;
  if (!token) {
    const secret = config.jwt.secret ?? demoSecret(config.dataDir).secret;
    token = await signToken({ sub: 'device-simulator', roles: ['admin'], name: 'device simulator' }, secret, {
      ttlSeconds: 365 * 86400,
      issuer: config.jwt.issuer,
      audience: config.jwt.audience,
    });
  }
  const rtdSeconds = positiveInt('rtd-seconds', values['rtd-seconds']);
  const maxDevices = positiveInt('max-devices', values['max-devices']);
  const simulator = startSimulator({
    host: values.host ?? loopbackFor(config.hj212.host),
    port: positiveInt('port', values.port) ?? config.hj212.port,
    source: monitorsFromGraphql(url, token),
    logger,
    ...(rtdSeconds === undefined ? {} : { rtdSeconds }),
    ...(maxDevices === undefined ? {} : { maxDevices }),
  });
  await simulator.ready;
  const stop = (signal: string): void => {
    logger.info({ signal }, 'simulator stopping');
    simulator.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}
