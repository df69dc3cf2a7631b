import type { Origin } from '../../business/chat/participant.js';
import type { TokenVerifier } from '../auth/token-verifier.js';
import type { ClientSession } from '../connections/client-session.js';
import type { SessionRenderer } from '../connections/session-renderer.js';
import type { LineConversation, LineDialect } from './line-dialect.js';
import { LineDialogue } from './line-dialogue.js';
import { LineEncoding } from './line-encoding.js';
import { streamLines } from './line-framing.js';
import { LineRenderer } from './line-renderer.js';

/** The telnet dialogue's wording and timings (from configuration). */
export interface TelnetDialectOptions {
  /** Named in the welcome. */
  readonly serverName: string;
  /** How long the server waits for a MaChat handshake before it greets a person. */
  readonly greetingDelayMs: number;
  /** A client that has not joined a room by then is disconnected. */
  readonly loginTimeoutMs: number;
  /** Whether join and leave events carry the client's address and port. */
  readonly announceAddresses: boolean;
  /** When set, a client shows an access token before it joins (`/auth`, the handshake). */
  readonly tokens?: TokenVerifier | undefined;
}

/**
 * `--tcp-port`'s dialect: people on telnet or netcat (welcomed, asked for a nickname and a room)
 * and MaChat's TCP client (a JSON handshake first), in CRLF lines.
 */
export class TelnetDialect implements LineDialect {
  /** Room events rendered once per broadcast for every client of the port. */
  private readonly encoding = new LineEncoding(streamLines);

  constructor(private readonly options: TelnetDialectOptions) {}

  start(
    open: (renderer: SessionRenderer) => ClientSession,
    peer: Origin | undefined,
  ): LineConversation {
    const renderer = new LineRenderer(this.encoding);
    const session = open(renderer);
    const origin = this.options.announceAddresses ? peer : undefined;
    const { serverName, greetingDelayMs, loginTimeoutMs, tokens } = this.options;
    const dialogue = new LineDialogue(session, renderer, {
      opening: 'either',
      serverName,
      greetingDelayMs,
      loginTimeoutMs,
      origin,
      tokens,
    });
    return {
      session,
      line: (text) => dialogue.line(text),
      tooLong: (limit) =>
        session.sendError(
          'payload_too_large',
          `a line is at most ${limit} bytes; that one was dropped`,
        ),
      objectEndsLine: () => dialogue.awaitsHandshake,
    };
  }
}
