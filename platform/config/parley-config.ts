import type { LogLevel } from '../logging/logger.js';
import type { FsyncPolicy } from '../storage/file/group-commit.js';

/** Where rooms and messages are kept. */
export type StorageKind = 'file' | 'memory';

/** Everything an operator can set, already validated. Durations are in milliseconds. */
export interface ParleyConfig {
  readonly host: string;
  readonly port: number;
  /** The TCP line driver's port (telnet, netcat, MaChat), on the same host; 0 = off. */
  readonly tcpPort: number;
  /** Shown in logs; empty by default. */
  readonly serverName: string;
  readonly logLevel: LogLevel;
  readonly storage: StorageKind;
  readonly dataDir: string;
  /** Messages replayed to a joiner; 0 = off. */
  readonly historyOnJoin: number;
  /** Rooms with more local members than this announce joins and leaves in batches. */
  readonly presenceBatchAbove: number;
  readonly presenceBatchIntervalMs: number;
  /** Messages kept per room; older ones are compacted away. */
  readonly retention: number;
  readonly fsync: FsyncPolicy;
  readonly fsyncIntervalMs: number;
  /** Largest WebSocket frame accepted. */
  readonly maxMessageBytes: number;
  /** Unsent bytes per client beyond which it is dropped as a slow consumer. */
  readonly sendBufferLimit: number;
  readonly pingIntervalMs: number;
  readonly pongTimeoutMs: number;
  readonly shutdownTimeoutMs: number;
  /** Time an HTTP client has to send its request headers (slowloris); then 408. */
  readonly headersTimeoutMs: number;
  /** Open client connections allowed at once; 0 = unlimited. */
  readonly maxConnections: number;
  /** Rooms that may exist; 0 = unlimited. */
  readonly maxRooms: number;
  /** A client that sends nothing for this long is disconnected; 0 = never. */
  readonly idleTimeoutMs: number;
  /** Whether join and leave events carry the client's address and port. */
  readonly announceAddresses: boolean;
  /** Heap use above which clients are shed; 0 = 80% of the V8 heap limit. */
  readonly maxMemoryBytes: number;
  /** When set, the Node inspector listens on 127.0.0.1 at this port. */
  readonly inspectPort: number | undefined;
  /** File the audit trail is appended to; empty = no audit trail. */
  readonly auditLog: string;
  /** Size at which the audit file is rotated; 0 = never. */
  readonly auditLogMaxBytes: number;
  /** Rotated audit files kept (FILE.1 … FILE.n); older ones are deleted. */
  readonly auditLogFiles: number;
}

/** The embedded default: file storage under ./data on 127.0.0.1:8080. */
export const DEFAULT_CONFIG: ParleyConfig = {
  host: '127.0.0.1',
  port: 8080,
  tcpPort: 4000,
  serverName: '',
  logLevel: 'info',
  storage: 'file',
  dataDir: './data',
  historyOnJoin: 15,
  presenceBatchAbove: 100,
  presenceBatchIntervalMs: 1000,
  retention: 10_000,
  fsync: 'interval',
  fsyncIntervalMs: 1000,
  maxMessageBytes: 64 * 1024,
  sendBufferLimit: 1024 * 1024,
  pingIntervalMs: 25_000,
  pongTimeoutMs: 10_000,
  shutdownTimeoutMs: 30_000,
  headersTimeoutMs: 10_000,
  maxConnections: 0,
  maxRooms: 0,
  idleTimeoutMs: 0,
  announceAddresses: false,
  maxMemoryBytes: 0,
  inspectPort: undefined,
  auditLog: '',
  auditLogMaxBytes: 10 * 1024 * 1024,
  auditLogFiles: 5,
};

/** Rules that involve more than one setting; returns the first broken one, if any. */
export function crossCheck(config: ParleyConfig): string | undefined {
  if (config.pongTimeoutMs >= config.pingIntervalMs) {
    return '--pong-timeout must be shorter than --ping-interval';
  }
  if (config.tcpPort !== 0 && config.tcpPort === config.port) {
    return '--tcp-port must differ from --port';
  }
  if (config.historyOnJoin > config.retention) {
    return '--history must not be more than --retention (the messages kept)';
  }
  return undefined;
}
