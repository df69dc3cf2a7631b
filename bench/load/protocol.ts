import type { DialectName } from './dialects.js';

/** One connection a worker opens. */
export interface ClientSpec {
  readonly room: string;
  readonly name: string;
  readonly publisher: boolean;
}

/** Orchestrator → worker. */
export type WorkerCommand =
  | {
      cmd: 'connect';
      dialect: DialectName;
      port: number;
      clients: ClientSpec[];
      concurrency: number;
    }
  | { cmd: 'measure'; sampleEvery: number }
  | { cmd: 'publish'; window: number; perSecond: number }
  | { cmd: 'stop-publishing' }
  | { cmd: 'pause-one' }
  | { cmd: 'report' }
  | { cmd: 'close' };

/** Worker → orchestrator. */
export type WorkerEvent =
  | { evt: 'joined'; count: number; startedAt: number; lastJoinedAt: number; failed: number }
  | {
      evt: 'report';
      deliveries: number;
      latenciesUs: number[];
      closed: number;
      errors: number;
      cpuMs: number;
    }
  | { evt: 'error'; message: string };

/** ~64-byte message text carrying its send time (monotonic ns, comparable across processes). */
export function stampedText(): string {
  return `~t${process.hrtime.bigint()}~`.padEnd(64, '.');
}

const MARK = Buffer.from('~t');

/** The send time stamped in a delivered frame (`buffer[start..end)`), in ns, or undefined. */
export function readStamp(buffer: Buffer, start: number, end: number): number | undefined {
  const at = buffer.indexOf(MARK, start);
  if (at < 0 || at >= end) return undefined;
  let value = 0;
  for (let i = at + 2; i < end; i++) {
    const digit = (buffer[i] as number) - 0x30;
    if (digit < 0 || digit > 9) break;
    value = value * 10 + digit;
  }
  return value;
}

/** Monotonic now in ns, on the same clock as `stampedText`. */
export function nowNs(): number {
  return Number(process.hrtime.bigint());
}
