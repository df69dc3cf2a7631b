import { pino, type Logger as PinoLogger } from 'pino';

/** The structured logger every platform component receives. */
export type Logger = PinoLogger;

/** Log levels an operator can pick. */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/**
 * JSON logs on stderr, so that stdout carries only what scripts read (the `listening on` line).
 * Synchronous writes: nothing is lost when the process exits, and logging is off the hot path.
 */
export function createLogger(level: LogLevel, serverName: string): Logger {
  const base = serverName === '' ? {} : { server: serverName };
  return pino({ level, base }, pino.destination({ dest: 2, sync: true }));
}

/** A logger that discards everything: for tests and tools. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
