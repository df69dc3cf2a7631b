import type { HistoryQuery } from '../chat/history-page.js';
import type { Message, MessageDraft } from '../chat/message.js';

/**
 * The history of every room: append-only, ordered by `seq`.
 *
 * Room ids: every implementation stores every id that `isStorableRoomId` (chat/room.ts)
 * accepts, which every IdGenerator id is: letters, digits, `_` and `-`, 1 to 64 of them. Ids
 * that differ only in case are different rooms. Other ids are refused alike everywhere:
 * `append` rejects and stores nothing, `recent` and `page` answer [].
 */
export interface MessageStore {
  /**
   * Appends a message to its room and gives it its `seq`: the room's previous seq + 1, starting
   * at 1, assigned in call order. Resolves only after the message is stored as durably as the
   * implementation promises, so a message that is fanned out is always in history; promises of
   * one room resolve in seq order. Rejects when the message cannot be stored; a rejected
   * message was never visible, and no later message of the room is stored after a gap.
   * Rejects a room id that is not storable (see above).
   */
  append(draft: MessageDraft): Promise<Message>;

  /**
   * Up to `limit` most recent messages of the room, oldest first; [] for an unknown room, an
   * id that is not storable, or a limit of 0. Sees every message whose `append` has resolved.
   */
  recent(roomId: string, limit: number): Promise<Message[]>;

  /**
   * The page of the room's stored history the query asks for (see HistoryQuery), oldest first;
   * [] for an unknown room or a room id that is not storable. Sees every message whose `append` has resolved and that retention
   * has not yet compacted away.
   */
  page(roomId: string, query: HistoryQuery): Promise<Message[]>;

  /**
   * Deletes the room's whole history: once this resolves, `recent` and `page` answer [] for it
   * (after a reopen too, for a durable implementation), and every later `append` to it on this
   * store rejects (a message racing the deletion is either deleted with the rest or refused,
   * never kept; after a restart the room's deletion in the RoomRepository keeps it unused).
   * Resolves for a room with no history too. Rejects when the history cannot be deleted.
   */
  remove(roomId: string): Promise<void>;

  /**
   * Writes everything pending durably, then releases resources. Every later call rejects
   * (reads too: a closed store answers nothing rather than an empty history).
   */
  close(): Promise<void>;
}
