import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { Logger } from '../../platform/logging/logger.js';

/** One log line as pino wrote it. */
export type LogRecord = Record<string, unknown> & { level: number; msg: string };

/** Pino's numbers for the levels tests look for. */
export const LEVEL = { info: 30, warn: 40, error: 50 } as const;

/** A logger at `debug` that keeps every line it writes, for assertions on what was said. */
export function capturedLogger(): { logger: Logger; records: LogRecord[] } {
  const records: LogRecord[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      records.push(JSON.parse(chunk.toString()) as LogRecord);
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, sink), records };
}
