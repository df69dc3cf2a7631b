import type { HistoryQuery } from '../../../business/chat/history-page.js';
import type { Message, MessageDraft } from '../../../business/chat/message.js';
import type { Logger } from '../../logging/logger.js';
import { GroupCommit, type FsyncPolicy } from './group-commit.js';
import type { MainThreadWrites } from './main-thread-writes.js';
import { RoomCompaction } from './room-compaction.js';
import { recoverRoomFile } from './room-file-recovery.js';
import { RoomHistory } from './room-history.js';

// Re-exported for the command line (cmd/server/cli.ts), which names it from here.

interface WaitingAppend {
  readonly draft: MessageDraft;
  readonly resolve: (message: Message) => void;
  readonly reject: (error: unknown) => void;
}

/** A room whose file has been read back: reads go to its history, appends to its commit. */
interface OpenRoom {
  readonly history: RoomHistory;
  readonly commit: GroupCommit;
}

/**
 * One room's history file. It owns loading the file and the room's seq counter, and puts the
 * parts that do the rest together: GroupCommit writes appends in batches, RoomHistory serves
 * reads from its cache or by position, RoomCompaction keeps the file near the retention.
 * Appends made while the file loads wait, in call order, and get their seqs once it is read.
 */
export class RoomLog {
  /** Resolves when the file has been read back; rejects when it cannot be. */
  readonly loaded: Promise<void>;
  private readonly opening: Promise<OpenRoom>;
  /** Set once loaded: appends then go straight to the commit. */
  private open: OpenRoom | undefined;
  private failure: Error | undefined;
  private lastSeq = 0;
  /** Appends made before the file was loaded, in call order. */
  private waiting: WaitingAppend[] = [];
  private lastActive = Date.now();

  constructor(
    readonly roomId: string,
    readonly path: string,
    private readonly cacheSize: number,
    private readonly fsync: FsyncPolicy,
    private readonly retention: number,
    private readonly inPlace: MainThreadWrites,
    private readonly logger: Logger,
    /** Told how long each batch's write took (seconds): the storage write-latency metric. */
    private readonly timed?: (seconds: number) => void,
  ) {
    this.opening = this.load();
    this.loaded = this.opening.then(() => undefined);
  }

  /** Gives the draft the next seq and resolves once its line is written (see FsyncPolicy). */
  append(draft: MessageDraft): Promise<Message> {
    this.lastActive = Date.now();
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const open = this.open;
    if (open === undefined) return this.waitForLoad(draft);
    return open.commit.append({ ...draft, seq: ++this.lastSeq });
  }

  /** Up to `limit` most recent stored messages, oldest first. */
  async recent(limit: number): Promise<Message[]> {
    this.lastActive = Date.now();
    return (await this.opening).history.recent(limit);
  }

  /** A page of the history (see HistoryQuery). */
  async page(query: HistoryQuery): Promise<Message[]> {
    this.lastActive = Date.now();
    return (await this.opening).history.page(query);
  }

  /** Forces written lines to disk if any were written since the last sync. */
  syncIfDirty(): Promise<void> {
    return this.open?.commit.syncIfDirty() ?? Promise.resolve();
  }

  /** True when nothing is being written or read and the room has not been used for `idleMs`. */
  isIdle(now: number, idleMs: number): boolean {
    const open = this.open;
    const loading = open === undefined && this.failure === undefined;
    const busy = loading || open?.commit.busy === true || open?.history.busy === true;
    return !busy && now - this.lastActive >= idleMs;
  }

  /** Writes everything pending, syncs it unless the policy is `never`, closes the file. */
  async close(): Promise<void> {
    await this.loaded.catch(() => undefined);
    const open = this.open;
    if (open === undefined) return;
    await open.commit.flush();
    await open.history.close();
  }

  private async load(): Promise<OpenRoom> {
    let open: OpenRoom;
    try {
      const recovered = await recoverRoomFile(this.roomId, this.path, this.logger, this.inPlace);
      const history = await RoomHistory.open(this.roomId, recovered, this.cacheSize);
      const { file, index } = recovered;
      const compaction = new RoomCompaction(file, index, history.gate, this.retention, this.logger);
      const commit = new GroupCommit(
        file,
        this.fsync,
        {
          written: (message, offset, length) => history.written(message, offset, length),
          refused: () => {
            this.lastSeq = history.durableSeq; // the refused seqs are handed out again
          },
          afterBatch: () => compaction.compactIfDue(),
        },
        this.timed,
      );
      this.lastSeq = history.durableSeq;
      open = { history, commit };
    } catch (error) {
      this.failWaiting(error);
      throw error;
    }
    this.open = open;
    this.releaseWaiting();
    return open;
  }

  private waitForLoad(draft: MessageDraft): Promise<Message> {
    return new Promise((resolve, reject) => this.waiting.push({ draft, resolve, reject }));
  }

  private releaseWaiting(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const { draft, resolve, reject } of waiting) this.append(draft).then(resolve, reject);
  }

  private failWaiting(error: unknown): void {
    this.failure = error instanceof Error ? error : new Error(String(error));
    const waiting = this.waiting;
    this.waiting = [];
    for (const { reject } of waiting) reject(error);
  }
}
