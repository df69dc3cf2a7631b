import { pino, type Logger as PinoLogger } from 'pino';
import pretty from 'pino-pretty';

/** The structured logger every platform component receives. */
export type Logger = PinoLogger;

/** Log levels an operator can pick. */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** How log lines are written: JSON for machines, one readable line each for people, or `auto`. */
export type LogFormat = 'json' | 'pretty' | 'auto';

/**
 * Logs on stderr, so that stdout carries only what scripts read (the `listening on` line): JSON
 * lines, or one readable line each (`pretty`; `auto` picks it when stderr is a terminal).
 * Synchronous writes: nothing is lost when the process exits, and logging is off the hot path.
 */
export function createLogger(
  level: LogLevel,
  serverName: string,
  format: LogFormat = 'json',
): Logger {
  const base = serverName === '' ? {} : { server: serverName };
  const readable = format === 'pretty' || (format === 'auto' && process.stderr.isTTY);
  if (readable) {
    return pino({ level, base }, pretty({ destination: 2, sync: true, singleLine: true }));
  }
  return pino({ level, base }, pino.destination({ dest: 2, sync: true }));
}

/** A logger that discards everything: for tests and tools. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
