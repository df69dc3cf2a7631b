import { ChatError } from './chat-error.js';
import type { Room } from './room.js';

/** Most rooms one listing holds; the rest are reached page by page. */
export const ROOM_PAGE_MAX = 1000;
/** Rooms in a listing when the query does not say. */
export const ROOM_PAGE_DEFAULT = 100;
/** Most participants one room answer names; its count says how many there are in all. */
export const PARTICIPANT_LIST_MAX = 1000;

/**
 * A page of the room list, oldest room first. `after` is the id of the last room of the
 * previous page: a page never repeats or skips a room, even while rooms are created.
 */
export interface RoomPageQuery {
  readonly after?: string;
  readonly limit: number;
}

/**
 * Validates a room list query as it arrives from a transport.
 * @throws ChatError `invalid_room_query` naming the parameter at fault.
 */
export function parseRoomPageQuery(raw: { after?: unknown; limit?: unknown }): RoomPageQuery {
  const { after, limit } = raw;
  if (after !== undefined && (typeof after !== 'string' || after === '')) {
    throw new ChatError('invalid_room_query', '"after" must be a room id');
  }
  if (limit === undefined)
    return { limit: ROOM_PAGE_DEFAULT, ...(after !== undefined && { after }) };
  const number = typeof limit === 'string' && /^\d{1,4}$/.test(limit) ? Number(limit) : limit;
  if (
    typeof number !== 'number' ||
    !Number.isInteger(number) ||
    number < 1 ||
    number > ROOM_PAGE_MAX
  ) {
    throw new ChatError(
      'invalid_room_query',
      `"limit" must be a whole number from 1 to ${ROOM_PAGE_MAX}`,
    );
  }
  return { limit: number, ...(after !== undefined && { after }) };
}

/** The rooms of `rooms` (oldest first) that the query asks for. */
export function selectRoomPage<R extends Room>(rooms: readonly R[], query: RoomPageQuery): R[] {
  const { after, limit } = query;
  const start = after === undefined ? 0 : firstAfter(rooms, after);
  return rooms.slice(start, start + limit);
}

// Just after the room with that id; a room that has gone is placed by its id, since generated
// ids grow with creation time.
function firstAfter(rooms: readonly Room[], id: string): number {
  const index = rooms.findIndex((room) => room.id === id);
  if (index >= 0) return index + 1;
  const later = rooms.findIndex((room) => room.id > id);
  return later >= 0 ? later : rooms.length;
}
