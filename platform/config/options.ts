import type { LogLevel } from '../logging/logger.js';
import type { FsyncPolicy } from '../storage/file/group-commit.js';
import {
  megabytes,
  onOff,
  oneOf,
  orUnset,
  perSecond,
  redisUrl,
  seconds,
  text,
  wholeNumber,
  type ValueKind,
} from './option-values.js';

/**
 * Every setting an operator can give, declared once. The command line (cmd/server/cli.ts), the
 * configuration type and its defaults (parley-config.ts) and the README's options table
 * (tools/generate-options-table.ts) are all made from this table.
 *
 * Each option is read from three places besides its default: its flag; its environment
 * variable, `PARLEY_` and the long flag in capitals (`--data-dir` → `PARLEY_DATA_DIR`); and its
 * key in the `--config` JSON file, the long flag in camelCase (`dataDir`).
 */

/** One option: how it is written, what it takes, and what it is for. */
export interface OptionSpec<T> {
  /** As commander takes them: `-p, --port <port>`; a switch ends in `[on|off]`. */
  readonly flags: string;
  readonly value: ValueKind<T>;
  /** In the configuration's unit (milliseconds, bytes). */
  readonly default: T;
  /** One line for `--help` and the README; plain text. */
  readonly help: string;
  /** Another variable read below the option's own (`PORT`, which hosting platforms set). */
  readonly fallbackVariable?: string;
  /** A Markdown link the README adds after the help, to where the option is explained. */
  readonly docs?: string;
}

/** Declares an option; its default must be a value of its kind. */
function option<T>(
  spec: Omit<OptionSpec<T>, 'default'> & { readonly default: NoInfer<T> },
): OptionSpec<T> {
  return spec;
}

const port = wholeNumber(0, 65_535);
const fsyncPolicies: readonly FsyncPolicy[] = ['always', 'interval', 'never'];

/** The options, keyed by the configuration field each one sets, in the order help lists them. */
export const PARLEY_OPTIONS = {
  port: option({
    flags: '-p, --port <port>',
    value: port,
    default: 8080,
    help: 'port for HTTP and WebSocket; 0 picks a free one and prints it',
    fallbackVariable: 'PORT',
  }),
  tcpPort: option({
    flags: '--tcp-port <port>',
    value: port,
    default: 4000,
    help: 'port for telnet, netcat and MaChat line clients; 0 turns the line driver off',
  }),
  chatrmPort: option({
    flags: '--chatrm-port <port>',
    value: port,
    default: 0,
    help: "port for Chatrm's client (direct messages only; the server never speaks first), 0 = off",
    docs: '[Chatrm](docs/protocol.md#chatrm)',
  }),
  host: option({
    flags: '-H, --host <host>',
    value: text,
    default: '127.0.0.1',
    help: 'address to listen on (0.0.0.0 for all)',
  }),
  serverName: option({
    flags: '-N, --name <name>',
    value: text,
    default: '',
    help: 'server name, shown in logs',
  }),
  metricsToken: option({
    flags: '--metrics-token <token>',
    value: text,
    default: '',
    help: 'when set, GET /metrics needs Authorization: Bearer <token>; empty = open',
    docs: '[Operating Parley](#operating-parley)',
  }),
  logFormat: option({
    flags: '--log-format <format>',
    value: oneOf(['auto', 'json', 'pretty']),
    default: 'auto',
    help: 'json lines, or pretty (one readable line each); auto: pretty when stderr is a terminal',
  }),
  logMessages: option({
    flags: '--log-messages [on|off]',
    value: onOff(true, false),
    default: false,
    help: 'log the text of every room message (off: logs hold no message text; the audit log does)',
  }),
  logLevel: option({
    flags: '-d, --debug [on|off]',
    value: onOff<LogLevel>('debug', 'info'),
    default: 'info',
    help: 'log debug detail',
  }),
  storage: option({
    flags: '--storage <kind>',
    value: oneOf(['file', 'memory', 'redis']),
    default: 'file',
    help: 'file (persistent), memory (nothing kept) or redis (shared by several nodes, see --redis-url)',
  }),
  redisUrl: option({
    flags: '--redis-url <url>',
    value: redisUrl,
    default: 'redis://127.0.0.1:6379/0',
    help: 'the Redis that nodes share rooms, history, presence and fan-out through (--storage redis)',
    docs: '[several nodes](docs/architecture.md#several-nodes-redis)',
  }),
  nodeTtlMs: option({
    flags: '--node-ttl <seconds>',
    value: seconds({ above: 0 }),
    default: 15_000,
    help: 'with --storage redis: a node silent this long is dead; the others release its participants',
  }),
  nodeId: option({
    flags: '--node-id <id>',
    value: text,
    default: '',
    help: "this node's name among the nodes sharing a Redis, in logs and metrics; empty = host name and process id",
  }),
  dataDir: option({
    flags: '--data-dir <dir>',
    value: text,
    default: './data',
    help: 'where file storage keeps rooms and messages; one server per directory',
  }),
  historyOnJoin: option({
    flags: '-y, --history <n>',
    value: wholeNumber(0, 1000),
    default: 15,
    help: 'messages replayed to a joiner, 0 = off',
  }),
  presenceBatchAbove: option({
    flags: '--presence-batch-above <n>',
    value: wholeNumber(0, 1_000_000),
    default: 100,
    help: 'rooms with more participants announce joins and leaves in batches',
    docs: '[big rooms](docs/protocol.md#big-rooms)',
  }),
  presenceBatchIntervalMs: option({
    flags: '--presence-batch-interval <seconds>',
    value: seconds({ above: 0 }),
    default: 1000,
    help: 'how often a big room announces its joins and leaves',
  }),
  fsync: option({
    flags: '--fsync <policy>',
    value: oneOf(fsyncPolicies),
    default: 'interval',
    help: 'when written messages are forced to disk: interval (each second), always (before fan-out) or never',
    docs: '[durability](docs/protocol.md#durability)',
  }),
  maxMessageBytes: option({
    flags: '--max-message-bytes <bytes>',
    value: wholeNumber(1, 16 << 20),
    default: 64 * 1024,
    help: 'largest message accepted; larger frames close with 1009',
  }),
  sendBufferLimit: option({
    flags: '--send-buffer-limit <bytes>',
    value: wholeNumber(1024, 1 << 30),
    default: 1024 * 1024,
    help: 'unsent bytes before a slow client is dropped (close 4000)',
  }),
  pingIntervalMs: option({
    flags: '--ping-interval <seconds>',
    value: seconds({ above: 0 }),
    default: 25_000,
    help: 'seconds between keepalive pings',
  }),
  pongTimeoutMs: option({
    flags: '--pong-timeout <seconds>',
    value: seconds({ above: 0 }),
    default: 10_000,
    help: 'seconds a client has to answer a ping; must be below the interval',
  }),
  shutdownTimeoutMs: option({
    flags: '--shutdown-timeout <seconds>',
    value: seconds({ atLeast: 0 }),
    default: 30_000,
    help: 'seconds clients get to leave at shutdown before they are cut off',
  }),
  headersTimeoutMs: option({
    flags: '--headers-timeout <seconds>',
    value: seconds({ above: 0 }),
    default: 10_000,
    help: 'seconds an HTTP client has to send its request headers; then 408 (slowloris)',
  }),
  maxConnections: option({
    flags: '-n, --connections <max>',
    value: wholeNumber(0, 10_000_000),
    default: 0,
    help: 'client connections at once, all transports together, 0 = unlimited; past it 503 server_full',
  }),
  maxRooms: option({
    flags: '-r, --rooms <max>',
    value: wholeNumber(0, 10_000_000),
    default: 0,
    help: 'rooms that may exist, 0 = unlimited; one more gets 403 room_limit_reached',
  }),
  rateLimit: option({
    flags: '--rate-limit <per_s>',
    value: perSecond(1_000_000),
    default: 5,
    help: 'messages and commands per second per connection after the burst, 0 = no limit; past it rate_limited, flooding closes 1008',
    docs: '[rate limits](docs/protocol.md#rate-limits)',
  }),
  rateBurst: option({
    flags: '--rate-burst <n>',
    value: wholeNumber(1, 1_000_000),
    default: 10,
    help: 'messages and commands a connection may send at once before --rate-limit applies',
  }),
  maxConnectionsPerIp: option({
    flags: '--max-connections-per-ip <n>',
    value: wholeNumber(0, 10_000_000),
    default: 100,
    help: 'connections at once from one peer address, all transports together, 0 = unlimited; past it 429 too_many_connections',
    docs: '[per-address limits](docs/protocol.md#per-address-limits)',
  }),
  roomCreationRate: option({
    flags: '--room-creation-rate <per_min>',
    value: wholeNumber(0, 10_000_000),
    default: 10,
    help: 'rooms one peer address may create per minute, 0 = unlimited; past it 429 too_many_rooms_created',
  }),
  retention: option({
    flags: '--retention <n>',
    value: wholeNumber(1, 10_000_000),
    default: 10_000,
    help: 'messages kept per room; older ones are compacted away',
    docs: '[retention](docs/protocol.md#retention)',
  }),
  idleTimeoutMs: option({
    flags: '-i, --idle <seconds>',
    value: seconds({ atLeast: 0 }),
    default: 0,
    help: 'disconnect a client that has sent nothing for this long (close 4001), 0 = never',
  }),
  announceAddresses: option({
    flags: '--announce-addresses [on|off]',
    value: onOff(true, false),
    default: false,
    help: "add the client's address and port to join and leave events",
  }),
  maxMemoryBytes: option({
    flags: '--max-memory <MB>',
    value: megabytes(1 << 20),
    default: 0,
    help: 'heap use above which new clients are refused and the most idle shed, 0 = 80% of the heap limit',
    docs: '[memory pressure](docs/protocol.md#memory-pressure)',
  }),
  inspectPort: option({
    flags: '-L, --inspect <port>',
    value: orUnset(port),
    default: undefined,
    help: 'open the Node inspector on 127.0.0.1 at this port',
  }),
  jwtSecret: option({
    flags: '--jwt-secret <secret>',
    value: text,
    default: '',
    help: 'require an HS256 access token (JWT) signed with this secret to create rooms and join; empty = no tokens',
    docs: '[authentication](docs/protocol.md#authentication)',
  }),
  jwtPublicKey: option({
    flags: '--jwt-public-key <file>',
    value: text,
    default: '',
    help: 'require an RS256 or ES256 access token (JWT) verified with this PEM public key (SPKI); empty = no tokens',
    docs: '[authentication](docs/protocol.md#authentication)',
  }),
  jwtClockSkewMs: option({
    flags: '--jwt-clock-skew <seconds>',
    value: seconds({ atLeast: 0 }),
    default: 30_000,
    help: "leeway for a token's exp and nbf; a connection is closed this long after its token expires",
  }),
  allowedOrigins: option({
    flags: '--allowed-origins <list>',
    value: text,
    default: '',
    help: 'browser origins that may open WebSockets and SSE streams (comma-separated, *.example.com patterns, * = any); empty = same origin only, seed endpoints any',
    docs: '[origins](docs/protocol.md#browser-origins)',
  }),
  adminToken: option({
    flags: '--admin-token <token>',
    value: text,
    default: '',
    help: 'turns the admin API on: requests must carry Authorization: Bearer <token>; empty = off (404)',
    docs: '[Admin API](docs/protocol.md#admin-api)',
  }),
  searchMaxBytes: option({
    flags: '--search-max-bytes <bytes>',
    value: wholeNumber(1024, 2 ** 40),
    default: 64 * 1024 * 1024,
    help: 'bytes of stored messages one admin search may read before it stops (truncated)',
  }),
  auditLog: option({
    flags: '--audit-log <file>',
    value: text,
    default: '',
    help: 'append an audit trail, one JSON line per event, to this file; empty = none',
    docs: '[audit log](docs/protocol.md#audit-log)',
  }),
  auditLogMaxBytes: option({
    flags: '--audit-log-max-bytes <bytes>',
    value: wholeNumber(0, 2 ** 40),
    default: 10 * 1024 * 1024,
    help: 'rotate the audit file at this size (FILE → FILE.1 …), 0 = never',
  }),
  auditLogFiles: option({
    flags: '--audit-log-files <n>',
    value: wholeNumber(1, 1000),
    default: 5,
    help: 'rotated audit files kept; older ones are deleted',
  }),
  procs: option({
    flags: '-X, --procs <n>',
    value: wholeNumber(1, 256),
    default: 1,
    help: 'worker processes on one port, each a node of the Redis-backed cluster (needs --storage redis)',
    docs: '[scaling out](#scaling-out)',
  }),
};

/** A configuration field: the key of an option in the table. */
export type OptionField = keyof typeof PARLEY_OPTIONS;

/** The table as a list, each option with its field, for code that handles every option alike. */
export const OPTION_LIST: readonly (OptionSpec<unknown> & { readonly field: OptionField })[] =
  Object.entries(PARLEY_OPTIONS).map(([field, spec]) => ({ ...spec, field: field as OptionField }));

/**
 * Flags that only make sense on a command line: no variable or config file key sets them.
 * Declared here so that help and the README list them from the same words.
 */
export const COMMAND_LINE_ONLY = {
  config: { flags: '-c, --config <file>', help: 'JSON file of settings (see below)' },
  version: { flags: '-V, --version', help: 'print the version and exit' },
  help: { flags: '-h, --help', help: 'print this help and exit' },
} as const;

/** `-p, --port <port>` → `--port`. */
export function longFlag(spec: { readonly flags: string }): string {
  const long = /--[a-z][a-z-]*/.exec(spec.flags)?.[0];
  if (long === undefined) throw new Error(`no long flag in "${spec.flags}"`);
  return long;
}

/** `--data-dir` → `PARLEY_DATA_DIR`. */
export function environmentVariable(spec: { readonly flags: string }): string {
  return `PARLEY_${longFlag(spec).slice(2).replaceAll('-', '_').toUpperCase()}`;
}

/** `--data-dir` → `dataDir`: the config file key, and commander's name for the option. */
export function configKey(spec: { readonly flags: string }): string {
  return longFlag(spec)
    .slice(2)
    .replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}
