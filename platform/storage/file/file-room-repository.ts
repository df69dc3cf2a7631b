import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Room } from '../../../business/chat/room.js';
import type { RoomRepository } from '../../../business/ports/room-repository.js';
import type { Logger } from '../../logging/logger.js';
import { RoomsByName } from '../rooms-by-name.js';
import { StoreClosedError } from '../store-closed-error.js';
import { JsonlFile } from './jsonl-file.js';
import { reportDamage } from './report-damage.js';
import { decodeRoom, encodeRoom } from './stored-records.js';

/**
 * Rooms in `<data-dir>/rooms.jsonl`, one line per room, all held in memory once loaded.
 * Creating a room is rare, so each one is fsynced before it becomes visible.
 */
export class FileRoomRepository implements RoomRepository {
  private readonly rooms = new Map<string, Room>();
  private readonly byName = new RoomsByName();
  private closed = false;

  private constructor(private readonly file: JsonlFile) {}

  /** Loads every room that survived in the data directory (creating the directory). */
  static async open(dataDir: string, logger: Logger): Promise<FileRoomRepository> {
    await mkdir(dataDir, { recursive: true });
    const { file, content } = await JsonlFile.recover(join(dataDir, 'rooms.jsonl'));
    reportDamage(logger, file.path, content.damage);
    const repository = new FileRoomRepository(file);
    content.records.forEach((record, index) => {
      const room = decodeRoom(record);
      if (room === undefined)
        logger.warn({ path: file.path, record: index + 1 }, 'bad room skipped');
      else repository.remember(room);
    });
    return repository;
  }

  async add(room: Room): Promise<void> {
    if (this.closed) throw new StoreClosedError('room repository');
    if (this.rooms.has(room.id)) throw new Error(`room ${room.id} exists`);
    await this.file.append(encodeRoom(room));
    await this.file.sync();
    this.remember(room);
  }

  get(id: string): Promise<Room | undefined> {
    return Promise.resolve(this.rooms.get(id));
  }

  findByName(name: string): Promise<Room | undefined> {
    return Promise.resolve(this.byName.find(name));
  }

  list(): Promise<Room[]> {
    return Promise.resolve([...this.rooms.values()]);
  }

  count(): Promise<number> {
    return Promise.resolve(this.rooms.size);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.file.close();
  }

  private remember(room: Room): void {
    this.rooms.set(room.id, room);
    this.byName.add(room);
  }
}
