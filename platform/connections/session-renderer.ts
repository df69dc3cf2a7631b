import type { CommandReply } from '../../business/chat/command-runner.js';
import type { MemberEvent } from '../../business/chat/room-event.js';
import type { WireErrorCode } from '../protocol/error-catalogue.js';

/**
 * Who reads an event: the client's nickname in a room, and the room's name as the client joined
 * it (asked only when a rendering needs them).
 */
export interface Reader {
  nameIn(roomId: string): string;
  roomNameOf(roomId: string): string;
}

/**
 * How a session's client reads the chat: a dialect (JSON events, people-readable lines,
 * MaChat's `name:text`) in a transport's framing (WebSocket frames, CRLF lines, SSE events).
 * Every method returns bytes ready for `SessionLink.write`.
 */
export interface SessionRenderer {
  /**
   * A room event as `reader` reads it. The same event object reaches every member of a room in
   * turn: an implementation encodes it once and hands every recipient the same Buffer (private
   * messages, which read differently for their two readers, excepted). This runs once per
   * delivery: the reader's name is asked for only where the rendering depends on it.
   */
  event(event: MemberEvent, reader: Reader): Buffer;
  /** The answer to a command, for the one who ran it. */
  reply(reply: CommandReply): Buffer;
  /** An error the client is shown. */
  error(code: WireErrorCode, message: string): Buffer;
  /** The notice every client gets when the server begins to shut down. */
  shuttingDown(): Buffer;
  /**
   * A notice from the operator to every client (`POST /admin/broadcast`); empty when the
   * dialect has no way to show it (the client is then not counted as told).
   */
  announcement(text: string, at: number): Buffer;
  /** The room was deleted by the operator; the connection is closed next. */
  roomClosed(roomId: string, at: number, reader: Reader): Buffer;
}
