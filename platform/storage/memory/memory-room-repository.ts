import { isStorableRoomId, type Room } from '../../../business/chat/room.js';
import type { RoomRepository } from '../../../business/ports/room-repository.js';
import { RoomsByName } from '../rooms-by-name.js';
import { StoreClosedError } from '../store-closed-error.js';
import { UnstorableRoomIdError } from '../unstorable-room-id-error.js';

/** Rooms held in memory only: gone when the process ends (`--storage memory`). */
export class MemoryRoomRepository implements RoomRepository {
  private readonly rooms = new Map<string, Room>();
  private readonly byName = new RoomsByName();
  /** Deleted ids: never taken again. */
  private readonly deleted = new Set<string>();
  private closed = false;

  add(room: Room): Promise<void> {
    if (this.closed) return Promise.reject(new StoreClosedError('room repository'));
    if (!isStorableRoomId(room.id)) return Promise.reject(new UnstorableRoomIdError(room.id));
    if (this.deleted.has(room.id)) return Promise.reject(new Error(`room ${room.id} was deleted`));
    if (this.rooms.has(room.id)) return Promise.reject(new Error(`room ${room.id} exists`));
    this.rooms.set(room.id, room);
    this.byName.add(room);
    return Promise.resolve();
  }

  get(id: string): Promise<Room | undefined> {
    return this.answer(() => this.rooms.get(id));
  }

  findByName(name: string): Promise<Room | undefined> {
    return this.answer(() => this.byName.find(name));
  }

  remove(id: string): Promise<boolean> {
    return this.answer(() => {
      const room = this.rooms.get(id);
      if (room === undefined) return false;
      this.rooms.delete(id);
      this.deleted.add(id);
      this.byName.remove(room, this.rooms.values());
      return true;
    });
  }

  list(): Promise<Room[]> {
    return this.answer(() => [...this.rooms.values()]);
  }

  count(): Promise<number> {
    return this.answer(() => this.rooms.size);
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }

  private answer<T>(value: () => T): Promise<T> {
    if (this.closed) return Promise.reject(new StoreClosedError('room repository'));
    return Promise.resolve(value());
  }
}
