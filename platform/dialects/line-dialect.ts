import type { Origin } from '../../business/chat/participant.js';
import type { ClientSession } from '../connections/client-session.js';
import type { SessionRenderer } from '../connections/session-renderer.js';

/** Where the lines of one connection go once its session is open. */
export interface LineConversation {
  /** The connection's session. */
  readonly session: ClientSession;
  /** One complete line, without its ending. */
  line(text: string): void;
  /** A line longer than the port's limit arrived; it was dropped whole. */
  tooLong(limitBytes: number): void;
  /** Whether a JSON object ends its line at its closing brace now (see LineSink). */
  objectEndsLine?(): boolean;
}

/**
 * How the clients of one line port talk (telnet and MaChat on `--tcp-port`, Chatrm on
 * `--chatrm-port`): the renderer their sessions write with, and what their lines mean. The TCP
 * transport is the same for every line port; only its dialect differs.
 */
export interface LineDialect {
  /**
   * Opens the session of a new connection, with `open` and this dialect's renderer, and starts
   * talking to it. `peer` is where the connection comes from.
   */
  start(
    open: (renderer: SessionRenderer) => ClientSession,
    peer: Origin | undefined,
  ): LineConversation;
}
