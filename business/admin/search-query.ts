import { ChatError } from '../chat/chat-error.js';
import { STORABLE_ROOM_ID } from '../chat/room.js';

/** Most messages one search answer may hold. */
export const SEARCH_LIMIT_MAX = 200;
/** Messages in an answer when the query does not say. */
export const SEARCH_LIMIT_DEFAULT = 50;
/** Longest search text: the search is a plain substring test, never a pattern. */
export const SEARCH_TEXT_MAX_LENGTH = 200;

/**
 * Where a search stands: a message's time, room and seq. Search answers are ordered newest
 * first by (sentAt, roomId, seq), all descending; a search from a position goes on with the
 * messages strictly after it in that order.
 */
export interface SearchPosition {
  readonly sentAt: number;
  readonly roomId: string;
  readonly seq: number;
}

/** What to look for in stored messages. */
export interface SearchQuery {
  /** Lower-cased text a message's text must contain (any case); '' matches every message. */
  readonly needle: string;
  readonly roomId?: string;
  /** Epoch ms: only messages sent at or after it. */
  readonly from?: number;
  /** Epoch ms: only messages sent at or before it. */
  readonly to?: number;
  readonly limit: number;
  /** Go on after this position (the `next` of the previous answer). */
  readonly cursor?: SearchPosition;
}

/**
 * Validates a search as it arrives from HTTP (strings). `from` and `to` are ISO-8601 times;
 * `cursor` is the opaque `next` of an earlier answer.
 * @throws ChatError `invalid_admin_request` naming the parameter at fault.
 */
export function parseSearchQuery(raw: {
  q?: unknown;
  room?: unknown;
  from?: unknown;
  to?: unknown;
  limit?: unknown;
  cursor?: unknown;
}): SearchQuery {
  const q = optionalString(raw.q, 'q') ?? '';
  if ([...q].length > SEARCH_TEXT_MAX_LENGTH) {
    throw invalid(`"q" is at most ${SEARCH_TEXT_MAX_LENGTH} characters`);
  }
  const room = optionalString(raw.room, 'room');
  if (room !== undefined && !STORABLE_ROOM_ID.test(room)) throw invalid('"room" is not a room id');
  const from = time(raw.from, 'from');
  const to = time(raw.to, 'to');
  const cursorText = optionalString(raw.cursor, 'cursor');
  const cursor = cursorText === undefined ? undefined : decodeCursor(cursorText);
  return {
    needle: q.toLowerCase(),
    limit: limit(raw.limit),
    ...(room !== undefined && { roomId: room }),
    ...(from !== undefined && { from }),
    ...(to !== undefined && { to }),
    ...(cursor !== undefined && { cursor }),
  };
}

/**
 * A position as the opaque `next` cursor: `<sentAt>.<seq>.<roomId>` (room ids hold no dot).
 * @example encodeCursor({ sentAt: 1700000000000, roomId: 'abc', seq: 7 }) // '1700000000000.7.abc'
 */
export function encodeCursor(position: SearchPosition): string {
  return `${position.sentAt}.${position.seq}.${position.roomId}`;
}

function decodeCursor(text: string): SearchPosition {
  const match = /^(\d{1,15})\.(\d{1,15})\.([0-9A-Za-z_-]{1,64})$/.exec(text);
  if (match === null) throw invalid('"cursor" is not a cursor this server gave');
  const [, sentAt = '', seq = '', roomId = ''] = match;
  return { sentAt: Number(sentAt), seq: Number(seq), roomId };
}

function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalid(`"${name}" must be given once, as text`);
  return value;
}

function time(value: unknown, name: string): number | undefined {
  const text = optionalString(value, name);
  if (text === undefined) return undefined;
  const ms = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : NaN;
  if (!Number.isFinite(ms)) throw invalid(`"${name}" must be an ISO-8601 time`);
  return ms;
}

function limit(value: unknown): number {
  const text = optionalString(value, 'limit');
  if (text === undefined) return SEARCH_LIMIT_DEFAULT;
  const number = /^\d{1,4}$/.test(text) ? Number(text) : NaN;
  if (!(number >= 1 && number <= SEARCH_LIMIT_MAX)) {
    throw invalid(`"limit" must be a whole number from 1 to ${SEARCH_LIMIT_MAX}`);
  }
  return number;
}

function invalid(message: string): ChatError {
  return new ChatError('invalid_admin_request', message);
}
