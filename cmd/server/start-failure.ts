import type { ParleyConfig } from '../../platform/config/parley-config.js';
import { DataDirLockedError } from '../../platform/lifecycle/data-dir-lock.js';
import { ListenError } from '../../platform/lifecycle/listen-error.js';
import { MemoryLimitTooLowError } from '../../platform/memory/memory-limit.js';
import { RedisUnreachableError } from '../../platform/redis/redis-connections.js';
import { USAGE_EXIT_CODE } from './cli.js';

/** The settings a listen failure is explained with. */
export type ListenSettings = Pick<ParleyConfig, 'host' | 'port' | 'tcpPort' | 'chatrmPort'>;

/** Why the server did not start, in one sentence for a person, and the exit status. */
export interface StartFailure {
  readonly message: string;
  readonly exitCode: number;
}

/**
 * Says why the server could not start in words that name the option to change, for the
 * failures an operator can fix; undefined for anything else (logged as it is).
 */
export function describeStartFailure(
  error: unknown,
  config: ListenSettings,
): StartFailure | undefined {
  if (error instanceof ListenError) return listenFailure(error, config);
  if (error instanceof MemoryLimitTooLowError) return memoryFailure(error);
  if (error instanceof DataDirLockedError) return lockedFailure(error);
  if (error instanceof RedisUnreachableError) return { message: error.message, exitCode: 1 };
  return undefined;
}

function lockedFailure({ dataDir, holder }: DataDirLockedError): StartFailure {
  const who =
    holder === undefined
      ? 'another process'
      : `another Parley (pid ${holder.pid} on ${holder.host}, since ${holder.since})`;
  return {
    message: `data directory ${dataDir} is in use by ${who}: stop that one, or give this one another --data-dir (or --storage memory)`,
    exitCode: 1,
  };
}

const MB = 1024 * 1024;

function memoryFailure(error: MemoryLimitTooLowError): StartFailure {
  const { inUseBytes, marks } = error;
  const share = marks.lowWaterBytes / marks.highWaterBytes;
  const least = Math.floor(inUseBytes / share / MB) + 1;
  return {
    message:
      `--max-memory ${Math.round(marks.highWaterBytes / MB)} is too low: Parley already uses ` +
      `${Math.ceil(inUseBytes / MB)} MB with no client connected, and it takes clients only ` +
      `below ${Math.round(share * 100)}% of the limit; give well above ${least} ` +
      `(or 0 for 80% of the heap limit)`,
    exitCode: USAGE_EXIT_CODE,
  };
}

/** Each listener by the name it fails with: its option, what it serves, how to turn it off. */
const LISTENERS = {
  http: { flag: '--port', field: 'port', what: 'HTTP and WebSocket', off: '' },
  tcp: {
    flag: '--tcp-port',
    field: 'tcpPort',
    what: 'the telnet/netcat line driver',
    off: ', or --tcp-port 0 to turn the line driver off',
  },
  chatrm: {
    flag: '--chatrm-port',
    field: 'chatrmPort',
    what: 'the Chatrm port',
    off: ', or --chatrm-port 0 to turn it off',
  },
} as const satisfies Record<
  string,
  { flag: string; field: keyof ListenSettings; what: string; off: string }
>;

function listenFailure(error: ListenError, config: ListenSettings): StartFailure | undefined {
  const listener = LISTENERS[error.listener as keyof typeof LISTENERS] ?? LISTENERS.tcp;
  const { flag, what, off } = listener;
  const port = config[listener.field];
  const where = `${config.host}:${port}`;
  switch (error.code) {
    case 'EADDRINUSE':
      return {
        message: `port ${port} (${what}) is already in use on ${config.host}, perhaps by another Parley: choose another with ${flag}${off}`,
        exitCode: 1,
      };
    case 'EACCES':
      return {
        message: `not allowed to listen on ${where} (${what}): ports below 1024 need privileges; choose another with ${flag}${off}`,
        exitCode: 1,
      };
    case 'EADDRNOTAVAIL':
      return {
        message: `cannot listen on ${config.host}: not an address of this machine; change --host`,
        exitCode: 1,
      };
    case 'ENOTFOUND':
      return {
        message: `cannot listen on ${config.host}: no such host name; change --host`,
        exitCode: 1,
      };
    default:
      return undefined;
  }
}
