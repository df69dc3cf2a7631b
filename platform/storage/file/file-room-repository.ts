import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { isStorableRoomId, type Room } from '../../../business/chat/room.js';
import type { RoomRepository } from '../../../business/ports/room-repository.js';
import type { Logger } from '../../logging/logger.js';
import { RoomsByName } from '../rooms-by-name.js';
import { StoreClosedError } from '../store-closed-error.js';
import { UnstorableRoomIdError } from '../unstorable-room-id-error.js';
import { DamageReport } from './damage-report.js';
import { JsonlFile } from './jsonl-file.js';
import {
  decodeRoom,
  decodeRoomDeletion,
  encodeRoom,
  encodeRoomDeletion,
} from './stored-records.js';

/**
 * Rooms in `<data-dir>/rooms.jsonl`, one line per room, all held in memory once loaded.
 * Creating a room is rare, so each one is fsynced before it becomes visible. Deleting one
 * appends a tombstone line `{"deleted":id,"deleted_at":…}`, fsynced likewise: the room stays
 * deleted across restarts and its id is never taken again.
 */
export class FileRoomRepository implements RoomRepository {
  private readonly rooms = new Map<string, Room>();
  private readonly byName = new RoomsByName();
  /** Ids of deleted rooms (from the tombstones): never taken again. */
  private readonly deleted = new Set<string>();
  private file: JsonlFile | undefined;
  private closed = false;

  private constructor() {}

  /**
   * Loads every room that survived in the data directory (creating the directory), reading
   * the file a chunk at a time: its size is no limit. Of two lines with one id, the first
   * counts; lines that are not rooms are reported and skipped.
   */
  static async open(dataDir: string, logger: Logger): Promise<FileRoomRepository> {
    await mkdir(dataDir, { recursive: true });
    const path = join(dataDir, 'rooms.jsonl');
    const repository = new FileRoomRepository();
    const damage = new DamageReport(logger, path);
    repository.file = await JsonlFile.recover(path, {
      logger,
      damage,
      visit: (record, line) => {
        const deletedId = decodeRoomDeletion(record);
        if (deletedId !== undefined) {
          repository.forget(deletedId);
          return;
        }
        const room = decodeRoom(record);
        if (room === undefined) damage.skip(line, 'not a room');
        else if (repository.deleted.has(room.id)) damage.skip(line, `room ${room.id} was deleted`);
        else if (repository.rooms.has(room.id)) damage.skip(line, `room ${room.id} seen before`);
        else repository.remember(room);
      },
    });
    damage.finish();
    return repository;
  }

  async add(room: Room): Promise<void> {
    if (this.closed || this.file === undefined) throw new StoreClosedError('room repository');
    if (!isStorableRoomId(room.id)) throw new UnstorableRoomIdError(room.id); // lost on reload
    if (this.deleted.has(room.id)) throw new Error(`room ${room.id} was deleted`);
    if (this.rooms.has(room.id)) throw new Error(`room ${room.id} exists`);
    await this.file.append(Buffer.from(encodeRoom(room)), true);
    this.remember(room);
  }

  get(id: string): Promise<Room | undefined> {
    return this.answer(() => this.rooms.get(id));
  }

  findByName(name: string): Promise<Room | undefined> {
    return this.answer(() => this.byName.find(name));
  }

  async remove(id: string): Promise<boolean> {
    if (this.closed || this.file === undefined) throw new StoreClosedError('room repository');
    if (!this.rooms.has(id)) return false;
    await this.file.append(Buffer.from(encodeRoomDeletion(id, Date.now())), true);
    this.forget(id);
    return true;
  }

  list(): Promise<Room[]> {
    return this.answer(() => [...this.rooms.values()]);
  }

  count(): Promise<number> {
    return this.answer(() => this.rooms.size);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.file?.close();
  }

  private remember(room: Room): void {
    this.rooms.set(room.id, room);
    this.byName.add(room);
  }

  private forget(id: string): void {
    this.deleted.add(id);
    const room = this.rooms.get(id);
    if (room === undefined) return;
    this.rooms.delete(id);
    this.byName.remove(room, this.rooms.values());
  }

  private answer<T>(value: () => T): Promise<T> {
    if (this.closed) return Promise.reject(new StoreClosedError('room repository'));
    return Promise.resolve(value());
  }
}
