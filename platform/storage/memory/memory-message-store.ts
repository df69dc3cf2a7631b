import { selectPage, type HistoryQuery } from '../../../business/chat/history-page.js';
import type { Message, MessageDraft } from '../../../business/chat/message.js';
import { isStorableRoomId } from '../../../business/chat/room.js';
import type { MessageStore } from '../../../business/ports/message-store.js';
import { RecentMessages } from '../recent-messages.js';
import { StoreClosedError } from '../store-closed-error.js';
import { UnstorableRoomIdError } from '../unstorable-room-id-error.js';

interface RoomHistory {
  lastSeq: number;
  readonly recent: RecentMessages;
}

/** History in memory only, the last `retention` messages per room (`--storage memory`). */
export class MemoryMessageStore implements MessageStore {
  private readonly rooms = new Map<string, RoomHistory>();
  /** Rooms whose history was deleted: appends to them are refused. */
  private readonly deleted = new Set<string>();
  private closed = false;

  constructor(private readonly retention: number) {}

  append(draft: MessageDraft): Promise<Message> {
    if (this.closed) return Promise.reject(new StoreClosedError('message store'));
    if (this.deleted.has(draft.roomId)) {
      return Promise.reject(new Error(`the history of room ${draft.roomId} was deleted`));
    }
    const room = this.rooms.get(draft.roomId) ?? this.open(draft.roomId);
    if (room === undefined) return Promise.reject(new UnstorableRoomIdError(draft.roomId));
    const message = { ...draft, seq: ++room.lastSeq };
    room.recent.push(message);
    return Promise.resolve(message);
  }

  recent(roomId: string, limit: number): Promise<Message[]> {
    if (this.closed) return Promise.reject(new StoreClosedError('message store'));
    return Promise.resolve(this.rooms.get(roomId)?.recent.last(limit) ?? []);
  }

  page(roomId: string, query: HistoryQuery): Promise<Message[]> {
    if (this.closed) return Promise.reject(new StoreClosedError('message store'));
    return Promise.resolve(selectPage(this.rooms.get(roomId)?.recent.all() ?? [], query));
  }

  remove(roomId: string): Promise<void> {
    if (this.closed) return Promise.reject(new StoreClosedError('message store'));
    this.rooms.delete(roomId);
    this.deleted.add(roomId);
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }

  // Checked once per room, not per message: a room that exists has a storable id.
  private open(roomId: string): RoomHistory | undefined {
    if (!isStorableRoomId(roomId)) return undefined;
    const room = { lastSeq: 0, recent: new RecentMessages(this.retention) };
    this.rooms.set(roomId, room);
    return room;
  }
}
