import pino, { type Logger } from 'pino';

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'envhub' },
    redact: { paths: ['req.headers.authorization', '*.password', '*.pw', '*.token'], censor: '[redacted]' },
  });
}
