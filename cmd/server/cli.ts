import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import {
  crossCheck,
  DEFAULT_CONFIG,
  type ParleyConfig,
  type StorageKind,
} from '../../platform/config/parley-config.js';
import type { FsyncPolicy } from '../../platform/storage/file/group-commit.js';
import {
  applyConfigFile,
  applyEnvironment,
  ConfigSourceError,
  environmentWarnings,
} from './config-sources.js';

/** What the command line asks for: run with a configuration, or exit with a code. */
export type CliOutcome = { kind: 'run'; config: ParleyConfig } | { kind: 'exit'; code: number };

/** Where help, version and errors are written (stdout and stderr in production). */
export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
}

const MB = 1024 * 1024;

/** Exit code for bad usage, as BSD sysexits and most Unix tools use. */
export const USAGE_EXIT_CODE = 2;

interface RawOptions {
  config?: string;
  port: number;
  tcpPort: number;
  host: string;
  name: string;
  debug?: boolean;
  storage: StorageKind;
  dataDir: string;
  history: number;
  presenceBatchAbove: number;
  presenceBatchInterval: number;
  fsync: FsyncPolicy;
  maxMessageBytes: number;
  sendBufferLimit: number;
  pingInterval: number;
  pongTimeout: number;
  shutdownTimeout: number;
  headersTimeout: number;
  connections: number;
  rooms: number;
  retention: number;
  idle: number;
  announceAddresses?: boolean;
  maxMemory: number;
  inspect?: number;
  auditLog: string;
  auditLogMaxBytes: number;
  auditLogFiles: number;
}

/**
 * Parses flags, `PARLEY_*` environment variables and the `--config` file, in that order of
 * precedence, into a validated configuration. Help and version exit 0; any bad flag, variable,
 * key or value prints the problem (naming where it came from) and a pointer to --help on
 * stderr and exits 2. A `PARLEY_*` variable that names no option is warned about, not refused.
 * @example parseCommandLine(['-p', '0', '--storage', 'memory'], output, '1.0.0', process.env)
 */
export function parseCommandLine(
  argv: readonly string[],
  output: CliOutput,
  version: string,
  env: NodeJS.ProcessEnv = {},
): CliOutcome {
  const program = describeCommand(version, output);
  try {
    program.parse([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError)
      return { kind: 'exit', code: error.exitCode === 0 ? 0 : USAGE_EXIT_CODE };
    throw error;
  }
  for (const warning of environmentWarnings(program, env)) output.err(`warning: ${warning}\n`);
  let problem: string | undefined;
  try {
    applyEnvironment(program, env);
    const configFile = program.opts<RawOptions>().config;
    if (configFile !== undefined) applyConfigFile(program, configFile);
  } catch (error) {
    if (!(error instanceof ConfigSourceError)) throw error;
    problem = error.message;
  }
  const config = toConfig(program.opts<RawOptions>());
  problem ??= crossCheck(config);
  if (problem === undefined) return { kind: 'run', config };
  output.err(`error: ${problem}\n${HELP_HINT}\n`);
  return { kind: 'exit', code: USAGE_EXIT_CODE };
}

/**
 * Said after a usage error instead of the whole help: the error is the one line that matters,
 * and sixty lines of options below it would push it off the screen.
 */
const HELP_HINT = 'Run with --help to see every option.';

const ENVIRONMENT_HELP = `
Every option but --config, --help and --version can also be set by an environment variable
(PARLEY_ and the long name in capitals: PARLEY_PORT, PARLEY_DATA_DIR, ...; PORT is read too)
or by a key in the --config JSON file (the long name in camelCase: {"port": 8080,
"dataDir": "./data"}). A flag beats its variable, which beats the file, which beats the default.
`;

function describeCommand(version: string, output: CliOutput): Command {
  const d = DEFAULT_CONFIG;
  return new Command('parley')
    .description('Parley: real-time chat rooms over WebSocket (Chatty-compatible).')
    .version(version, '-V, --version', 'print the version and exit')
    .helpOption('-h, --help', 'print this help and exit')
    .option('-c, --config <file>', 'JSON file of settings (see below)')
    .option(
      '-p, --port <port>',
      'TCP port for HTTP and WebSocket (0 picks a free port)',
      integerIn(0, 65_535),
      d.port,
    )
    .option(
      '--tcp-port <port>',
      'TCP port for telnet, netcat and MaChat line clients, 0 = off',
      integerIn(0, 65_535),
      d.tcpPort,
    )
    .option('-H, --host <host>', 'address to listen on', d.host)
    .option('-N, --name <name>', 'server name, shown in logs', d.serverName)
    .option('-d, --debug', 'log debug detail')
    .addOption(
      new Option('--storage <kind>', 'where rooms and messages are kept')
        .choices(['file', 'memory'])
        .default(d.storage),
    )
    .option('--data-dir <dir>', 'directory for file storage', d.dataDir)
    .option(
      '-y, --history <n>',
      'messages replayed to a joiner, 0 = off',
      integerIn(0, 1000),
      d.historyOnJoin,
    )
    .option(
      '--presence-batch-above <n>',
      'rooms bigger than this announce joins and leaves once per interval',
      integerIn(0, 1_000_000),
      d.presenceBatchAbove,
    )
    .option(
      '--presence-batch-interval <seconds>',
      'how often a big room announces joins and leaves',
      seconds((s) => s > 0, 'above 0'),
      d.presenceBatchIntervalMs / 1000,
    )
    .addOption(
      new Option('--fsync <policy>', 'when written messages are forced to disk')
        .choices(['always', 'interval', 'never'])
        .default(d.fsync),
    )
    .option(
      '--max-message-bytes <bytes>',
      'largest message frame accepted',
      integerIn(1, 16 << 20),
      d.maxMessageBytes,
    )
    .option(
      '--send-buffer-limit <bytes>',
      'unsent bytes before a slow client is dropped',
      integerIn(1024, 1 << 30),
      d.sendBufferLimit,
    )
    .option(
      '--ping-interval <seconds>',
      'seconds between keepalive pings',
      seconds((s) => s > 0, 'above 0'),
      d.pingIntervalMs / 1000,
    )
    .option(
      '--pong-timeout <seconds>',
      'seconds a client has to answer a ping',
      seconds((s) => s > 0, 'above 0'),
      d.pongTimeoutMs / 1000,
    )
    .option(
      '--shutdown-timeout <seconds>',
      'seconds clients get to leave at shutdown',
      seconds((s) => s >= 0, 'at least 0'),
      d.shutdownTimeoutMs / 1000,
    )
    .option(
      '--headers-timeout <seconds>',
      'seconds an HTTP client has to send its request headers',
      seconds((s) => s > 0, 'above 0'),
      d.headersTimeoutMs / 1000,
    )
    .option(
      '-n, --connections <max>',
      'client connections allowed at once, 0 = unlimited',
      integerIn(0, 10_000_000),
      d.maxConnections,
    )
    .option(
      '-r, --rooms <max>',
      'rooms that may exist, 0 = unlimited',
      integerIn(0, 10_000_000),
      d.maxRooms,
    )
    .option(
      '--retention <n>',
      'messages kept per room; older ones are compacted away',
      integerIn(1, 10_000_000),
      d.retention,
    )
    .option(
      '-i, --idle <seconds>',
      'disconnect a client that has sent nothing for this long, 0 = never',
      seconds((s) => s >= 0, 'at least 0'),
      d.idleTimeoutMs / 1000,
    )
    .option('--announce-addresses', "add the client's address and port to join and leave events")
    .option(
      '--max-memory <MB>',
      'heap use above which clients are shed, 0 = 80% of the heap limit',
      integerIn(0, 1 << 20),
      d.maxMemoryBytes / MB,
    )
    .option(
      '-L, --inspect <port>',
      'open the Node inspector on 127.0.0.1 at this port',
      integerIn(0, 65_535),
    )
    .option('--audit-log <file>', 'append an audit trail (JSON lines) to this file', d.auditLog)
    .option(
      '--audit-log-max-bytes <bytes>',
      'rotate the audit file at this size, 0 = never',
      integerIn(0, 2 ** 40),
      d.auditLogMaxBytes,
    )
    .option(
      '--audit-log-files <n>',
      'rotated audit files kept',
      integerIn(1, 1000),
      d.auditLogFiles,
    )
    .addHelpText('after', ENVIRONMENT_HELP)
    .exitOverride()
    .showHelpAfterError(HELP_HINT)
    .configureOutput({
      writeOut: (text) => output.out(text),
      writeErr: (text) => output.err(text),
    });
}

function toConfig(options: RawOptions): ParleyConfig {
  return {
    ...DEFAULT_CONFIG,
    host: options.host,
    port: options.port,
    tcpPort: options.tcpPort,
    serverName: options.name,
    logLevel: options.debug === true ? 'debug' : DEFAULT_CONFIG.logLevel,
    storage: options.storage,
    dataDir: options.dataDir,
    historyOnJoin: options.history,
    presenceBatchAbove: options.presenceBatchAbove,
    presenceBatchIntervalMs: Math.round(options.presenceBatchInterval * 1000),
    fsync: options.fsync,
    maxMessageBytes: options.maxMessageBytes,
    sendBufferLimit: options.sendBufferLimit,
    pingIntervalMs: Math.round(options.pingInterval * 1000),
    pongTimeoutMs: Math.round(options.pongTimeout * 1000),
    shutdownTimeoutMs: Math.round(options.shutdownTimeout * 1000),
    headersTimeoutMs: Math.round(options.headersTimeout * 1000),
    maxConnections: options.connections,
    maxRooms: options.rooms,
    retention: options.retention,
    idleTimeoutMs: Math.round(options.idle * 1000),
    announceAddresses: options.announceAddresses === true,
    maxMemoryBytes: options.maxMemory * MB,
    inspectPort: options.inspect,
    auditLog: options.auditLog,
    auditLogMaxBytes: options.auditLogMaxBytes,
    auditLogFiles: options.auditLogFiles,
  };
}

function integerIn(min: number, max: number): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (!/^\d+$/.test(value.trim()) || number < min || number > max) {
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}.`);
    }
    return number;
  };
}

function seconds(accept: (seconds: number) => boolean, rule: string): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (value.trim() === '' || !Number.isFinite(number) || !accept(number)) {
      throw new InvalidArgumentError(`expected a number of seconds, ${rule}.`);
    }
    return number;
  };
}
