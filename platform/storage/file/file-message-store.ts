import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { HistoryQuery } from '../../../business/chat/history-page.js';
import type { Message, MessageDraft } from '../../../business/chat/message.js';
import { isStorableRoomId } from '../../../business/chat/room.js';
import type { MessageStore } from '../../../business/ports/message-store.js';
import type { Logger } from '../../logging/logger.js';
import { StoreClosedError } from '../store-closed-error.js';
import { UnstorableRoomIdError } from '../unstorable-room-id-error.js';
import { MainThreadWrites } from './main-thread-writes.js';
import type { FsyncPolicy } from './group-commit.js';
import { RoomLog } from './room-log.js';
import { syncDirectory } from './file-io.js';

/** How the file store trades durability, memory and descriptors. */
export interface FileMessageStoreOptions {
  readonly dataDir: string;
  /** Recent messages kept in memory per active room (served without reading the file). */
  readonly cacheSize: number;
  readonly fsync: FsyncPolicy;
  /** With `interval`: how often written lines are forced to disk. */
  readonly fsyncIntervalMs: number;
  /** Messages kept per room; older ones are compacted away (docs/protocol.md, "Retention"). */
  readonly retention: number;
  /** A room quiet for this long is closed and forgotten (cache and descriptor) until next used. */
  readonly idleCloseMs: number;
  /** Told how long each batch's write took (seconds), for the storage write-latency metric. */
  readonly timedWrite?: (seconds: number) => void;
}

/** Each room's history in `<data-dir>/messages/<room-id>.jsonl`, loaded when first used. */
export class FileMessageStore implements MessageStore {
  private readonly logs = new Map<string, RoomLog>();
  /** Shared by every room: they share a disk. */
  private readonly inPlace: MainThreadWrites;
  private readonly maintenance: NodeJS.Timeout;
  private maintaining = false;
  /** Rooms whose history was deleted while running: appends to them are refused. */
  private readonly deleted = new Set<string>();
  private closed = false;

  private constructor(
    private readonly directory: string,
    private readonly options: FileMessageStoreOptions,
    private readonly logger: Logger,
  ) {
    this.inPlace = new MainThreadWrites(logger);
    const period = Math.min(options.fsyncIntervalMs, options.idleCloseMs);
    this.maintenance = setInterval(() => void this.maintainOnce(), period).unref();
  }

  /** Prepares the messages directory under the data directory. */
  static async open(options: FileMessageStoreOptions, logger: Logger): Promise<FileMessageStore> {
    const directory = join(options.dataDir, 'messages');
    await mkdir(directory, { recursive: true });
    return new FileMessageStore(directory, options, logger);
  }

  append(draft: MessageDraft): Promise<Message> {
    if (this.closed) return Promise.reject(new StoreClosedError('message store'));
    if (!isStorableRoomId(draft.roomId)) {
      return Promise.reject(new UnstorableRoomIdError(draft.roomId));
    }
    if (this.deleted.has(draft.roomId)) {
      return Promise.reject(new Error(`the history of room ${draft.roomId} was deleted`));
    }
    return this.log(draft.roomId).append(draft);
  }

  recent(roomId: string, limit: number): Promise<Message[]> {
    if (this.closed) return Promise.reject(new StoreClosedError('message store'));
    if (limit <= 0 || !isStorableRoomId(roomId) || this.deleted.has(roomId)) {
      return Promise.resolve([]);
    }
    return this.log(roomId).recent(limit);
  }

  page(roomId: string, query: HistoryQuery): Promise<Message[]> {
    if (this.closed) return Promise.reject(new StoreClosedError('message store'));
    if (!isStorableRoomId(roomId) || this.deleted.has(roomId)) return Promise.resolve([]);
    return this.log(roomId).page(query);
  }

  /**
   * Refuses the room's appends from now on, closes its file once what is pending is written, and
   * deletes the file (and a rewrite left half-done).
   */
  async remove(roomId: string): Promise<void> {
    if (this.closed) throw new StoreClosedError('message store');
    if (!isStorableRoomId(roomId)) return;
    this.deleted.add(roomId);
    const log = this.logs.get(roomId);
    this.logs.delete(roomId);
    await log?.close();
    const path = join(this.directory, `${roomId}.jsonl`);
    await rm(path, { force: true });
    await rm(`${path}.rewrite`, { force: true });
    await syncDirectory(this.directory);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.maintenance);
    await Promise.all([...this.logs.values()].map((log) => log.close()));
  }

  private log(roomId: string): RoomLog {
    const existing = this.logs.get(roomId);
    if (existing !== undefined) return existing;
    const path = join(this.directory, `${roomId}.jsonl`);
    const { cacheSize, fsync, retention, timedWrite } = this.options;
    const log = new RoomLog(
      roomId,
      path,
      cacheSize,
      fsync,
      retention,
      this.inPlace,
      this.logger,
      timedWrite,
    );
    this.logs.set(roomId, log);
    log.loaded.catch((error: unknown) => {
      this.logger.error({ err: error, path }, 'cannot read room history; will retry on next use');
      if (this.logs.get(roomId) === log) this.logs.delete(roomId);
    });
    return log;
  }

  private async maintainOnce(): Promise<void> {
    if (this.maintaining) return; // the previous round is still syncing
    this.maintaining = true;
    await this.maintain().finally(() => (this.maintaining = false));
  }

  // Forgetting an idle log happens in the same turn as the idleness check, so no append can
  // reach it afterwards; the next use of the room reads its file into a fresh log.
  private async maintain(): Promise<void> {
    const now = Date.now();
    for (const [roomId, log] of this.logs) {
      try {
        if (log.isIdle(now, this.options.idleCloseMs)) {
          this.logs.delete(roomId);
          await log.close();
        } else if (this.options.fsync === 'interval') {
          await log.syncIfDirty();
        }
      } catch (error) {
        this.logger.error({ err: error, path: log.path }, 'history file maintenance failed');
      }
    }
  }
}
