import type { Room } from '../chat/room.js';

/**
 * Where rooms live. Every implementation stores a room whose id `isStorableRoomId`
 * (chat/room.ts) accepts, which every IdGenerator id is: letters, digits, `_` and `-`, 1 to 64
 * of them. Ids that differ only in case are different rooms. Any other id is refused alike.
 */
export interface RoomRepository {
  /**
   * Stores a new room. Resolves once the room is stored as durably as the implementation
   * promises, and only then is it visible to `get`, `findByName` and `list`. Rejects when it
   * cannot be stored (the room is then not visible), when the id already exists, or when it
   * is not storable (nothing is stored).
   */
  add(room: Room): Promise<void>;

  /** The room with this id, or undefined. Any string is a valid query: never rejects for one. */
  get(id: string): Promise<Room | undefined>;

  /**
   * The oldest room (the first added) whose name has the same `comparisonKey`
   * (business/chat/text-rules.ts) as `name`, or undefined. Names are compared as given, not
   * trimmed. Any string is a valid query: never rejects for one. Must not cost time in
   * proportion to the number of rooms: it runs on every join by name.
   */
  findByName(name: string): Promise<Room | undefined>;

  /**
   * Deletes the room: once this resolves, `get`, `findByName` and `list` no longer see it, and
   * `count` no longer counts it — after a restart too, for an implementation that survives one
   * (the deletion is as durable as `add`). Its name is free: a room added later with that name
   * is found by it. The id is never taken again: a later `add` with it rejects. Resolves false,
   * changing nothing, when no room has this id. Rejects when the deletion cannot be stored (the
   * room then stays).
   */
  remove(id: string): Promise<boolean>;

  /** Every room, oldest first. */
  list(): Promise<Room[]>;

  /** How many rooms exist. */
  count(): Promise<number>;

  /** Finishes pending writes and releases resources. Other calls after close reject. */
  close(): Promise<void>;
}
