import { Command, CommanderError, InvalidArgumentError } from 'commander';

/** Where the TCP line port is (`--tcp HOST:PORT`). */
export interface TcpAddress {
  readonly host: string;
  readonly port: number;
}

/** What the command line asked for; what it left out is asked for (prompts.ts) or refused. */
export interface ChatOptions {
  /** The server's HTTP address (WebSocket, SSE and REST); not used with `--tcp`. */
  readonly url?: string;
  readonly room?: string;
  readonly name?: string;
  /** One-to-one mode: every line is a private message to this nickname. */
  readonly to?: string;
  readonly tcp?: TcpAddress;
  readonly json: boolean;
  readonly token?: string;
}

/** Run with these options, or exit with this code (help: 0, bad usage: 2). */
export type CommandLine =
  | { readonly kind: 'run'; readonly options: ChatOptions }
  | { readonly kind: 'exit'; readonly code: number };

/** Exit code for bad usage, as the server's CLI and most Unix tools use. */
export const USAGE_EXIT_CODE = 2;

const EXAMPLES = `
Examples:
  parley-chat --url http://localhost:8080 --room Lobby --name John
  parley-chat --url http://localhost:8080 --room Lobby --name Ann --to John
  parley-chat --tcp localhost:4000 --room Lobby --name John
  printf 'hello\\nbye\\n' | parley-chat --url http://localhost:8080 --room Lobby --name Bot --json

Options left out are asked for when stdin is a terminal. Lines starting with / are commands
(/help lists them); //text sends /text. Ctrl-C or /quit leaves the room.`;

/**
 * Parses `parley-chat`'s flags. Help exits 0; a bad flag or value is told on stderr and exits 2.
 * @example parseChatCommandLine(['--url', 'http://localhost:8080', '--room', 'Lobby'], output)
 */
export function parseChatCommandLine(
  argv: readonly string[],
  output: { out(text: string): void; err(text: string): void },
): CommandLine {
  const program = new Command('parley-chat')
    .description('Chat in a Parley room from a terminal.')
    .option('-u, --url <url>', 'the server, e.g. http://localhost:8080', httpUrl)
    .option('-r, --room <room>', 'room name or id (a name no room has creates the room)')
    .option('-n, --name <nickname>', 'your nickname')
    .option(
      '--to <nickname>',
      'one-to-one: every line is a private message to this nickname, wherever they are',
      nickname,
    )
    .option(
      '--tcp <host:port>',
      'use the TCP line port (MaChat handshake) instead of WebSocket',
      tcpAddress,
    )
    .option('--json', 'print every event as one JSON line (for scripts)')
    .option('--token <token>', 'an access token, for a server that requires them')
    .addHelpText('after', EXAMPLES)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => output.out(text),
      writeErr: (text) => output.err(text),
    });
  try {
    program.parse([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError)
      return { kind: 'exit', code: error.exitCode === 0 ? 0 : USAGE_EXIT_CODE };
    throw error;
  }
  const options = program.opts<Omit<ChatOptions, 'json'> & { json?: true }>();
  return { kind: 'run', options: { ...options, json: options.json === true } };
}

function httpUrl(value: string): string {
  const withScheme = /^[a-z]+:\/\//i.test(value) ? value : `http://${value}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new InvalidArgumentError('not a URL; e.g. http://localhost:8080');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidArgumentError('use the http:// or https:// address of the server');
  }
  return url.toString().replace(/\/+$/, '');
}

function tcpAddress(value: string): TcpAddress {
  const match = /^(.*):(\d+)$/.exec(value);
  const port = Number(match?.[2]);
  if (match === null || !(port > 0 && port < 65536)) {
    throw new InvalidArgumentError('expected HOST:PORT, e.g. localhost:4000');
  }
  return { host: (match[1] ?? '').replace(/^\[(.*)\]$/, '$1') || 'localhost', port };
}

function nickname(value: string): string {
  const name = value.trim().replace(/^@/, '');
  if (name === '') throw new InvalidArgumentError('a nickname is needed');
  return name;
}

/** Accepts a typed server address the way `--url` does; undefined when it is not one. */
export function parseServerAddress(value: string): string | undefined {
  try {
    return httpUrl(value);
  } catch {
    return undefined;
  }
}
