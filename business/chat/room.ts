import { ChatError } from './chat-error.js';
import { unreadableNameReason } from './name-characters.js';
import { codePointLength } from './text-rules.js';

/** A chat room. Its id is assigned at creation and never changes; names need not be unique. */
export interface Room {
  readonly id: string;
  readonly name: string;
  /** Milliseconds since the Unix epoch. */
  readonly createdAt: number;
}

/**
 * The room ids every storage keeps (business/ports/message-store.ts, room-repository.ts):
 * letters, digits, `_` and `-`, 1 to 64 of them. Every id the IdGenerator makes is one (a
 * KSUID: 27 letters and digits); such an id can be a file name or a key as it is, unescaped.
 */
export const STORABLE_ROOM_ID = /^[0-9A-Za-z_-]{1,64}$/;

/** True when every storage must accept the room id (see STORABLE_ROOM_ID). */
export function isStorableRoomId(id: string): boolean {
  return STORABLE_ROOM_ID.test(id);
}

/** Longest room name accepted, in characters. */
export const ROOM_NAME_MAX_LENGTH = 100;

/**
 * Validates a requested room name and returns it trimmed.
 * @throws ChatError `invalid_room_name` when missing, blank, too long, or holding characters that
 * hide, look blank or reorder text (see `unreadableNameReason`).
 * @example parseRoomName('  Lobby ') // 'Lobby'
 */
export function parseRoomName(raw: unknown): string {
  if (typeof raw !== 'string') throw invalidRoomName('a room name is required');
  const name = raw.trim();
  if (name.length === 0) throw invalidRoomName('a room name must not be blank');
  if (codePointLength(name) > ROOM_NAME_MAX_LENGTH) {
    throw invalidRoomName(`a room name is at most ${ROOM_NAME_MAX_LENGTH} characters`);
  }
  const unreadable = unreadableNameReason(name);
  if (unreadable !== undefined) throw invalidRoomName(`a room name ${unreadable}`);
  return name;
}

function invalidRoomName(reason: string): ChatError {
  return new ChatError('invalid_room_name', reason);
}

/**
 * A room as a person names it, wherever they do (`/join #Lobby`, a telnet room prompt, a MaChat
 * handshake): trimmed, without the `#` IRC puts before channel names. An id or a name.
 * @example roomReference(' #Lobby ') // 'Lobby'
 */
export function roomReference(text: string): string {
  return text.trim().replace(/^#/, '').trim();
}
