import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

/**
 * JSON lines for log collectors; readable lines when a person watches a terminal (stdout is a
 * TTY). The pretty stream runs in this thread, so nothing is lost at exit.
 */
export function createLogger(level: string, options: { pretty?: boolean } = {}): Logger {
  const settings = {
    level,
    base: { service: 'envhub' },
    redact: { paths: ['req.headers.authorization', '*.password', '*.pw', '*.token'], censor: '[redacted]' },
  };
  if (options.pretty ?? process.stdout.isTTY === true) {
    return pino(settings, pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,service', singleLine: true }));
  }
  return pino(settings);
}
