import { selectPage, type HistoryQuery } from '../../../business/chat/history-page.js';
import type { Message, MessageDraft } from '../../../business/chat/message.js';
import type { Logger } from '../../logging/logger.js';
import { RecentMessages } from '../recent-messages.js';
import { copyLines, readLines } from './indexed-lines.js';
import type { JsonlFile } from './jsonl-file.js';
import type { MainThreadWrites } from './main-thread-writes.js';
import { OffsetIndex } from './offset-index.js';
import { pageEntries } from './page-entries.js';
import { ReadGate } from './read-gate.js';
import { recoverRoomFile } from './room-file-recovery.js';
import { decodeMessage, encodeMessageLines } from './stored-records.js';

/** When written messages are forced to disk (docs/protocol.md, "Durability"). */
export type FsyncPolicy = 'always' | 'interval' | 'never';

interface PendingAppend {
  readonly message: Message;
  readonly resolve: (message: Message) => void;
  readonly reject: (error: unknown) => void;
}

interface WaitingAppend {
  readonly draft: MessageDraft;
  readonly resolve: (message: Message) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * One room's history file, with group commit: every append made while a write is in flight
 * (or in the same event-loop turn) goes to disk in the next single write, and each promise
 * resolves only once its line is written, so a message is stored before it is fanned out.
 *
 * The newest messages are cached; older ones are found through an OffsetIndex (where each
 * message's line is) and read by position, so a page costs what the page holds, never what
 * the file holds. Compaction copies the kept lines as bytes.
 */
export class RoomLog {
  /** Resolves when the file has been read back; rejects when it cannot be. */
  readonly loaded: Promise<void>;
  private file: JsonlFile | undefined;
  private index = new OffsetIndex();
  /** Keeps page reads and compaction apart: offsets change when the file is rewritten. */
  private readonly gate = new ReadGate();
  private readonly cache: RecentMessages;
  private failure: Error | undefined;
  private lastSeq = 0;
  private durableSeq = 0;
  /** Appends made before the file was loaded, in call order. */
  private waiting: WaitingAppend[] | undefined = [];
  private pending: PendingAppend[] = [];
  private writing: Promise<void> | undefined;
  private writeScheduled = false;
  private dirty = false;
  private lastActive = Date.now();
  /** Past this many messages in the file, it is rewritten with the last `retention`. */
  private compactAt: number;

  constructor(
    readonly roomId: string,
    readonly path: string,
    cacheSize: number,
    private readonly fsync: FsyncPolicy,
    private readonly retention: number,
    private readonly inPlace: MainThreadWrites,
    private readonly logger: Logger,
  ) {
    this.cache = new RecentMessages(cacheSize);
    this.compactAt = compactionThreshold(retention);
    this.loaded = this.load();
  }

  /** Gives the draft the next seq and resolves once its line is written (see FsyncPolicy). */
  append(draft: MessageDraft): Promise<Message> {
    this.lastActive = Date.now();
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.waiting !== undefined) {
      const waiting = this.waiting;
      return new Promise((resolve, reject) => waiting.push({ draft, resolve, reject }));
    }
    const message = { ...draft, seq: ++this.lastSeq };
    return new Promise((resolve, reject) => {
      this.pending.push({ message, resolve, reject });
      this.scheduleWrite();
    });
  }

  /** Up to `limit` most recent stored messages, oldest first. */
  async recent(limit: number): Promise<Message[]> {
    this.lastActive = Date.now();
    await this.loaded;
    if (limit <= this.cache.capacity || this.cachesAll()) return this.cache.last(limit);
    return this.read((index) => [Math.max(0, index.count - limit), index.count]);
  }

  /**
   * A page of the history (see HistoryQuery). The cache holds the newest messages with no gap,
   * so a page it holds whole is served from memory; only older pages read the file.
   */
  async page(query: HistoryQuery): Promise<Message[]> {
    this.lastActive = Date.now();
    await this.loaded;
    const cached = this.cache.all();
    const page = selectPage(cached, query);
    const oldestCached = cached[0]?.seq ?? this.durableSeq + 1;
    const whole =
      this.cachesAll() ||
      (query.after !== undefined ? query.after + 1 >= oldestCached : page.length === query.limit);
    return whole ? page : this.read((index) => pageEntries(index, query));
  }

  /** Forces written lines to disk if any were written since the last sync. */
  async syncIfDirty(): Promise<void> {
    if (!this.dirty || this.file === undefined) return;
    this.dirty = false;
    await this.file.sync();
  }

  /** True when nothing is being written or read and the room has not been used for `idleMs`. */
  isIdle(now: number, idleMs: number): boolean {
    const busy =
      this.waiting !== undefined ||
      this.writing !== undefined ||
      this.pending.length > 0 ||
      this.gate.busy;
    return !busy && now - this.lastActive >= idleMs;
  }

  /** Writes everything pending, syncs it unless the policy is `never`, closes the file. */
  async close(): Promise<void> {
    await this.loaded.catch(() => undefined);
    while (this.writing !== undefined || this.pending.length > 0) {
      await (this.writing ?? this.writeNow());
    }
    if (this.fsync !== 'never') await this.syncIfDirty();
    await this.gate.alone(() => this.file?.close() ?? Promise.resolve());
  }

  private async load(): Promise<void> {
    try {
      ({ file: this.file, index: this.index } = await recoverRoomFile(
        this.roomId,
        this.path,
        this.logger,
        this.inPlace,
      ));
      const cached = Math.max(0, this.index.count - this.cache.capacity);
      for (const message of await this.read((index) => [cached, index.count])) {
        this.cache.push(message);
      }
      this.lastSeq = this.index.lastSeq;
      this.durableSeq = this.lastSeq;
    } catch (error) {
      this.failWaiting(error);
      throw error;
    }
    this.releaseWaiting();
  }

  /** True when the cache holds every message in the file, so no page needs the file. */
  private cachesAll(): boolean {
    return this.cache.length >= this.index.count;
  }

  /** The messages of the index entries `choose` picks, read by position. */
  private read(choose: (index: OffsetIndex) => [number, number]): Promise<Message[]> {
    return this.gate.read(async () => {
      const file = this.file;
      const [first, end] = choose(this.index);
      if (file === undefined || end <= first) return [];
      const lines = await readLines(file, this.index, first, end);
      return lines.map((line) => this.decodeLine(line));
    });
  }

  private decodeLine(line: Buffer): Message {
    const message = decodeMessage(this.roomId, JSON.parse(line.toString('utf8')));
    if (message === undefined) throw new Error(`${this.path} changed under its index`);
    return message;
  }

  private releaseWaiting(): void {
    const waiting = this.waiting ?? [];
    this.waiting = undefined;
    for (const { draft, resolve, reject } of waiting) this.append(draft).then(resolve, reject);
  }

  private failWaiting(error: unknown): void {
    this.failure = error instanceof Error ? error : new Error(String(error));
    const waiting = this.waiting ?? [];
    this.waiting = undefined;
    for (const { reject } of waiting) reject(error);
  }

  // setImmediate, not a microtask: it runs after every socket read of this loop turn, so
  // messages from many clients arriving together share one write.
  private scheduleWrite(): void {
    if (this.writeScheduled || this.writing !== undefined) return;
    this.writeScheduled = true;
    setImmediate(() => {
      this.writeScheduled = false;
      void this.writeNow();
    });
  }

  private writeNow(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    this.writing = this.writeBatch(batch)
      .then(() => this.compactIfDue())
      .finally(() => {
        this.writing = undefined;
        if (this.pending.length > 0) this.scheduleWrite();
      });
    return this.writing;
  }

  private async writeBatch(batch: PendingAppend[]): Promise<void> {
    if (batch.length === 0 || this.file === undefined) return;
    let offset: number;
    let lengths: readonly number[];
    try {
      const encoded = encodeMessageLines(batch);
      lengths = encoded.lengths;
      offset = await this.file.append(encoded.bytes, this.fsync === 'always');
    } catch (error) {
      this.rollBack(batch, error);
      return;
    }
    this.dirty ||= this.fsync === 'interval';
    batch.forEach(({ message, resolve }, i) => {
      const length = lengths[i] ?? 0;
      this.index.push(message.seq, offset, length);
      offset += length;
      this.cache.push(message);
      this.durableSeq = message.seq;
      resolve(message);
    });
  }

  // Appends wait meanwhile (they queue behind `writing`), and so do reads of the file (the
  // gate). The kept lines are copied from the file as they are, so the rewrite never drops
  // a message inside the retention window.
  private async compactIfDue(): Promise<void> {
    const file = this.file;
    const count = this.index.count;
    if (count < this.compactAt || file === undefined) return;
    const first = count - this.retention;
    try {
      await this.gate.alone(() =>
        file.rewrite(
          (next) => copyLines(file, this.index, first, count, next),
          () => this.index.keepFrom(first),
        ),
      );
      this.compactAt = compactionThreshold(this.retention);
    } catch (error) {
      this.logger.error({ err: error, path: this.path }, 'compaction failed; the file is intact');
      this.compactAt = this.index.count + this.retention; // try again later, not on every write
    }
  }

  // The batch never reached the file, and everything queued behind it holds later seqs:
  // refuse them all and hand their seqs out again, so the stored history has no gap.
  private rollBack(batch: PendingAppend[], error: unknown): void {
    const queued = this.pending;
    this.pending = [];
    this.lastSeq = this.durableSeq;
    for (const { reject } of [...batch, ...queued]) reject(error);
  }
}

/**
 * A file is compacted once it holds twice the retention: each message is then copied about
 * once, and the file never holds much more than twice what is kept.
 */
function compactionThreshold(retention: number): number {
  return 2 * retention + 16;
}
