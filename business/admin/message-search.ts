import type { ChatDependencies } from '../chat/chat-dependencies.js';
import { findRoom } from '../chat/find-room.js';
import type { Message } from '../chat/message.js';
import type { Room } from '../chat/room.js';
import { RoomStream, type ScanBudget } from './room-stream.js';
import { encodeCursor, type SearchPosition, type SearchQuery } from './search-query.js';
import { NewestFirst } from './newest-first.js';

/** How much one search may cost before it stops and says so. */
export interface SearchBounds {
  /** About this many bytes of stored messages read (e.g. 64 MiB). */
  readonly maxScannedBytes: number;
  /** Wall-clock time spent (e.g. 2 s). */
  readonly maxMillis: number;
}

/** One answer of a search. */
export interface SearchAnswer {
  /** Matches, newest first. */
  readonly messages: readonly Message[];
  /** True when a bound (bytes or time) stopped the scan before the answer was full. */
  readonly truncated: boolean;
  /** The cursor that goes on where this answer stopped; absent when nothing is left. */
  readonly next?: string;
  /** About how many bytes of stored messages were read. */
  readonly scannedBytes: number;
}

/**
 * Searches stored messages for a plain text (any case; never a pattern), newest first across
 * rooms, through MessageStore.page: each room is read backward, and the rooms are merged by
 * time. Every answer is bounded in bytes read, time and size, and says where to go on.
 */
export class MessageSearch {
  constructor(
    private readonly deps: Pick<ChatDependencies, 'rooms' | 'messages' | 'clock'>,
    private readonly bounds: SearchBounds,
  ) {}

  /**
   * The first `limit` matches of the query.
   * @throws ChatError `room_not_found` for a `room` that does not exist.
   */
  async search(query: SearchQuery): Promise<SearchAnswer> {
    const deadline = this.deps.clock.now() + this.bounds.maxMillis;
    const budget: ScanBudget = { bytes: 0, maxBytes: this.bounds.maxScannedBytes };
    const spent = () =>
      budget.bytes >= this.bounds.maxScannedBytes || this.deps.clock.now() >= deadline;
    const streams = new NewestFirst();
    for (const room of await this.roomsOf(query)) {
      const stream = await RoomStream.open(this.deps.messages, room.id, budget, eligible(query));
      if (stream !== undefined) streams.push(stream);
    }
    const found: Message[] = [];
    let last: SearchPosition | undefined;
    let truncated = false;
    for (let stream = streams.pop(); stream !== undefined; stream = streams.pop()) {
      if (found.length === query.limit || spent()) {
        truncated = found.length < query.limit;
        streams.push(stream);
        break;
      }
      const message = stream.head as Message;
      if (query.from !== undefined && message.sentAt < query.from) continue; // older: all done
      last = stream.position;
      if (message.text.toLowerCase().includes(query.needle)) found.push(message);
      await stream.advance();
      if (stream.head !== undefined) streams.push(stream);
    }
    const next = streams.size > 0 && last !== undefined ? encodeCursor(last) : undefined;
    return {
      messages: found,
      truncated,
      scannedBytes: budget.bytes,
      ...(next !== undefined && { next }),
    };
  }

  private async roomsOf(query: SearchQuery): Promise<Room[]> {
    if (query.roomId === undefined) return this.deps.rooms.list();
    return [await findRoom(this.deps.rooms, query.roomId)];
  }
}

// Where each room is entered: at or before `to`, strictly after the cursor in search order.
function eligible(query: SearchQuery): ((message: Message) => boolean) | undefined {
  const { to, cursor } = query;
  if (to === undefined && cursor === undefined) return undefined;
  return (message) =>
    (to === undefined || message.sentAt <= to) &&
    (cursor === undefined || comesAfter(message, cursor));
}

function comesAfter(message: Message, cursor: SearchPosition): boolean {
  if (message.sentAt !== cursor.sentAt) return message.sentAt < cursor.sentAt;
  if (message.roomId !== cursor.roomId) return message.roomId < cursor.roomId;
  return message.seq < cursor.seq;
}
