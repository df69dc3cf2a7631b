import { selectPage, type HistoryQuery } from '../../../business/chat/history-page.js';
import type { Message, MessageDraft } from '../../../business/chat/message.js';
import type { Logger } from '../../logging/logger.js';
import { RecentMessages } from '../recent-messages.js';
import { JsonlFile } from './jsonl-file.js';
import type { MainThreadWrites } from './main-thread-writes.js';
import { reportDamage } from './report-damage.js';
import { decodeMessage, encodeMessage } from './stored-records.js';

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
 */
export class RoomLog {
  /** Resolves when the file has been read back; rejects when it cannot be. */
  readonly loaded: Promise<void>;
  private file: JsonlFile | undefined;
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
  /** Messages in the file; past `compactAt` the file is rewritten with the last `retention`. */
  private stored = 0;
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
    this.loaded = this.load(logger);
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
    if (limit <= this.cache.capacity) return this.cache.last(limit);
    return (await this.written()).slice(-limit);
  }

  /** Every message in the file whose append has resolved. */
  private async written(): Promise<Message[]> {
    const history = validHistory(this.roomId, await JsonlFile.readRecords(this.path));
    return history.filter((message) => message.seq <= this.durableSeq);
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
      query.after !== undefined ? query.after + 1 >= oldestCached : page.length === query.limit;
    return whole ? page : selectPage(await this.written(), query);
  }

  /** Forces written lines to disk if any were written since the last sync. */
  async syncIfDirty(): Promise<void> {
    if (!this.dirty || this.file === undefined) return;
    this.dirty = false;
    await this.file.sync();
  }

  /** True when nothing is being written and the room has not been used for `idleMs`. */
  isIdle(now: number, idleMs: number): boolean {
    const busy =
      this.waiting !== undefined || this.writing !== undefined || this.pending.length > 0;
    return !busy && now - this.lastActive >= idleMs;
  }

  /** Writes everything pending, syncs it unless the policy is `never`, closes the file. */
  async close(): Promise<void> {
    await this.loaded.catch(() => undefined);
    while (this.writing !== undefined || this.pending.length > 0) {
      await (this.writing ?? this.writeNow());
    }
    if (this.fsync !== 'never') await this.syncIfDirty();
    await this.file?.close();
  }

  private async load(logger: Logger): Promise<void> {
    try {
      const { file, content } = await JsonlFile.recover(this.path, this.inPlace);
      reportDamage(logger, this.path, content.damage);
      this.file = file;
      const history = validHistory(this.roomId, content.records, (record) => {
        logger.warn({ path: this.path, record }, 'bad or out-of-order message skipped');
      });
      for (const message of history) this.cache.push(message);
      this.lastSeq = history.at(-1)?.seq ?? 0;
      this.stored = history.length;
      this.durableSeq = this.lastSeq;
    } catch (error) {
      this.failWaiting(error);
      throw error;
    }
    this.releaseWaiting();
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
    const lines = batch.map(({ message }) => encodeMessage(message)).join('');
    try {
      await this.file.append(lines, this.fsync === 'always');
    } catch (error) {
      this.rollBack(batch, error);
      return;
    }
    this.dirty ||= this.fsync === 'interval';
    this.stored += batch.length;
    for (const { message, resolve } of batch) {
      this.cache.push(message);
      this.durableSeq = message.seq;
      resolve(message);
    }
  }

  // Appends wait meanwhile (they queue behind `writing`); messages already acknowledged are
  // read back from the file, so the rewrite never drops one inside the retention window.
  private async compactIfDue(): Promise<void> {
    if (this.stored < this.compactAt || this.file === undefined) return;
    try {
      const kept = (await this.written()).slice(-this.retention);
      await this.file.rewrite(kept.map(encodeMessage).join(''));
      this.stored = kept.length;
      this.compactAt = compactionThreshold(this.retention);
    } catch (error) {
      this.logger.error({ err: error, path: this.path }, 'compaction failed; the file is intact');
      this.compactAt = this.stored + this.retention; // try again later, not on every write
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
 * A file is compacted once it holds twice the retention: each message is then rewritten about
 * once, and the file never holds much more than twice what is kept.
 */
function compactionThreshold(retention: number): number {
  return 2 * retention + 16;
}

/**
 * The messages among a file's records, in seq order: records that are not messages, or whose
 * seq does not increase, are skipped (and reported by their 1-based position).
 */
function validHistory(
  roomId: string,
  records: unknown[],
  skipped?: (record: number) => void,
): Message[] {
  const history: Message[] = [];
  records.forEach((record, index) => {
    const message = decodeMessage(roomId, record);
    if (message !== undefined && message.seq > (history.at(-1)?.seq ?? 0)) history.push(message);
    else skipped?.(index + 1);
  });
  return history;
}
