import type { ParleyConfig } from '../../platform/config/parley-config.js';
import type { TestServer } from '../support/test-server.js';

/** A participant's leave as another client saw it. */
export interface SeenLeave {
  readonly participant: string;
  readonly reason: string;
}

/**
 * One client of a room as the session conformance suite drives it, whatever its transport and
 * dialect: what it can do, and what it was shown, normalized (texts, codes, kinds).
 */
export interface DrivenClient {
  readonly name: string;
  /** Sends one input: a message or a command. */
  send(text: string): void;
  /** Texts of the room messages it was sent live, in order. */
  messages(): string[];
  /** Texts of the messages replayed to it when it joined, in order. */
  history(): string[];
  /** Texts of the private messages it was sent or sent itself, in order. */
  privateMessages(): string[];
  /** Codes of the errors it was shown, in order. */
  errors(): string[];
  /** Kinds of the command answers it got: `participants`, `help`, `history`, `ignored`, … */
  replies(): string[];
  /** Who it saw join. */
  joins(): string[];
  /** Who it saw leave, and why. */
  leaves(): SeenLeave[];
  /** How many times it was told the server is shutting down. */
  shutdownNotices(): number;
  /** Stops reading what the server sends (its buffers fill, then the server's). */
  stopReading(): void;
  /** Leaves the way its transport leaves properly. */
  closeCleanly(): Promise<void>;
  /** Drops the connection without a word (a reset, a lost network). */
  drop(): void;
  /** Resolves once the connection is gone, whoever ended it. */
  readonly ended: Promise<void>;
}

/** What a dialect may not have: the suite skips the tests that need it. */
export type DialectFeature = 'history' | 'commands' | 'private_messages' | 'ignore' | 'errors';

/** How the suite reaches a server over one transport. */
export interface TransportDriver {
  readonly name: string;
  /** What its dialect cannot do (chattypantz: no history, commands, sending private messages). */
  readonly lacks?: readonly DialectFeature[];
  /** Inputs its join spends of the connection's rate (chattypantz: its 101 and 104 requests). */
  readonly joinInputs?: number;
  /** The leave reason the room sees when such a client leaves properly. */
  readonly cleanLeaveReason: string;
  /** What the server needs for this transport (a TCP port…). */
  serverConfig(): Promise<Partial<ParleyConfig>>;
  /** Joins the room under the nickname and resolves once it saw its own join. */
  join(server: TestServer, roomId: string, nickname: string): Promise<DrivenClient>;
  /** Tries to join; resolves with the error code of the refusal. */
  refusal(server: TestServer, roomId: string, nickname: string): Promise<string>;
}

/** Polls `check` until true, or fails after `timeoutMs` naming `what`. */
export async function until(what: string, check: () => boolean, timeoutMs = 4000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
