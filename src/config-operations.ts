/**
 * The settings of what the hub tells the outside: the notification webhook, /metrics and traces.
 */
import { ConfigError, readInt, readString, type Env, type Setting } from './config-env';

/** A webhook secret short enough to guess is refused. */
const MIN_WEBHOOK_SECRET_CHARS = 16;

/** A metrics token short enough to guess is refused. */
const MIN_METRICS_TOKEN_CHARS = 16;

export interface NotifyConfig {
  url: string | undefined;
  secret: string | undefined;
  maxAttempts: number;
  backoffSeconds: number;
}

export interface MetricsConfig {
  /** required as `Authorization: Bearer` on /metrics; unset: /metrics is off on the main port */
  token: string | undefined;
  host: string;
  /** a listener of its own for /metrics; undefined: none */
  port: number | undefined;
}
export interface TracingConfig {
  /** OTLP/HTTP traces endpoint; undefined: no spans are recorded, nothing is sent */
  otlpUrl: string | undefined;
  samplePercent: number;
}

/** The webhook's settings, in README order (SETTINGS in config.ts lists them in place). */
export const NOTIFY_SETTINGS: readonly Setting[] = [
  {
    name: 'NOTIFY_WEBHOOK_URL',
    default: '(unset)',
    description:
      'the bureau’s SMS/push gateway: each notification is POSTed here as JSON, signed (see NOTIFY_WEBHOOK_SECRET); unset: notifications stay in the app',
  },
  {
    name: 'NOTIFY_WEBHOOK_SECRET',
    default: '(unset)',
    description: `HMAC-SHA256 key of the \`X-Envhub-Signature: sha256=…\` header over \`<X-Envhub-Timestamp>.<body>\`; at least ${MIN_WEBHOOK_SECRET_CHARS} characters, required with NOTIFY_WEBHOOK_URL in serve mode`,
  },
  {
    name: 'NOTIFY_WEBHOOK_MAX_ATTEMPTS',
    default: '8',
    description: 'attempts at one notification (1-50) before it goes to the dead-letter list (`notificationDeadLetters`)',
  },
  {
    name: 'NOTIFY_WEBHOOK_BACKOFF_SECONDS',
    default: '30',
    description: 'wait after the first failed attempt (1-3600); each further failure doubles it, at most 6 hours',
  },
];

/** /metrics and traces, in README order. */
export const OBSERVABILITY_SETTINGS: readonly Setting[] = [
  {
    name: 'METRICS_TOKEN',
    default: '(unset)',
    description: `bearer token Prometheus sends for /metrics (at least ${MIN_METRICS_TOKEN_CHARS} characters); unset: /metrics on HUB_PORT answers 404`,
  },
  {
    name: 'METRICS_PORT',
    default: '(unset)',
    description: 'a listener of its own serving only /metrics (token still required when METRICS_TOKEN is set); unset: none',
  },
  { name: 'METRICS_HOST', default: '127.0.0.1', description: 'address the METRICS_PORT listener binds to' },
  {
    name: 'TRACING_OTLP_URL',
    default: '(unset)',
    description: 'OTLP/HTTP endpoint for traces, e.g. `http://collector:4318/v1/traces`; unset: no spans are recorded and nothing is sent',
  },
  {
    name: 'TRACING_SAMPLE_PERCENT',
    default: '100',
    description: 'share of requests traced when TRACING_OTLP_URL is set (a traced caller’s `traceparent` decision is followed)',
  },
];

/** The webhook; in serve mode a URL needs its secret. */
export function readNotify(env: Env, demo: boolean): NotifyConfig {
  const notifyUrl = readString(env, 'NOTIFY_WEBHOOK_URL');
  if (notifyUrl !== undefined && !/^https?:\/\/[^/\s]+/.test(notifyUrl)) throw new ConfigError('NOTIFY_WEBHOOK_URL must be an http:// or https:// URL');
  const notifySecret = readString(env, 'NOTIFY_WEBHOOK_SECRET');
  if (notifySecret !== undefined && notifySecret.length < MIN_WEBHOOK_SECRET_CHARS)
    throw new ConfigError(`NOTIFY_WEBHOOK_SECRET must be at least ${MIN_WEBHOOK_SECRET_CHARS} characters`);
  if (!demo && notifyUrl !== undefined && notifySecret === undefined)
    throw new ConfigError('NOTIFY_WEBHOOK_URL needs NOTIFY_WEBHOOK_SECRET: the gateway must be able to check who is sending');
  return {
    url: notifyUrl,
    secret: notifySecret,
    maxAttempts: readInt(env, 'NOTIFY_WEBHOOK_MAX_ATTEMPTS', 8, 1, 50),
    backoffSeconds: readInt(env, 'NOTIFY_WEBHOOK_BACKOFF_SECONDS', 30, 1, 3600),
  };
}

export function readMetrics(env: Env): MetricsConfig {
  const metricsToken = readString(env, 'METRICS_TOKEN');
  if (metricsToken !== undefined && metricsToken.length < MIN_METRICS_TOKEN_CHARS) {
    throw new ConfigError(`METRICS_TOKEN must be at least ${MIN_METRICS_TOKEN_CHARS} characters`);
  }
  return {
    token: metricsToken,
    host: readString(env, 'METRICS_HOST') ?? '127.0.0.1',
    port: env.METRICS_PORT?.trim() ? readInt(env, 'METRICS_PORT', 0, 0, 65535) : undefined,
  };
}

export function readTracing(env: Env): TracingConfig {
  const otlpUrl = readString(env, 'TRACING_OTLP_URL');
  if (otlpUrl !== undefined && !/^https?:\/\/[^/\s]+/.test(otlpUrl)) throw new ConfigError('TRACING_OTLP_URL must be an http:// or https:// URL');
  return { otlpUrl, samplePercent: readInt(env, 'TRACING_SAMPLE_PERCENT', 100, 0, 100) };
}
