import { performance } from 'node:perf_hooks';
import type { Message } from '../../../business/chat/message.js';
import type { JsonlFile } from './jsonl-file.js';
import { encodeMessageLines } from './stored-records.js';

/** When written messages are forced to disk (docs/protocol.md, "Durability"). */
export type FsyncPolicy = 'always' | 'interval' | 'never';

interface PendingAppend {
  readonly message: Message;
  readonly resolve: (message: Message) => void;
  readonly reject: (error: unknown) => void;
}

/** What a group commit tells its room about each batch. */
export interface BatchOutcome {
  /** The message's line is in the file at `offset`: called in seq order, before it resolves. */
  written(message: Message, offset: number, length: number): void;
  /** A batch never reached the file: it and every append queued behind it are being refused. */
  refused(): void;
  /** Runs after each batch and before the next one starts (compaction). */
  afterBatch(): Promise<void>;
}

/**
 * Group commit for one room's file: every append made while a write is in flight (or in the
 * same event-loop turn) goes to disk in the next single write, and each promise resolves only
 * once its line is written, so a message is stored before it is fanned out. Whether the write
 * happens in place or through the thread pool is the file's choice (see MainThreadWrites).
 */
export class GroupCommit {
  private pending: PendingAppend[] = [];
  private writing: Promise<void> | undefined;
  private writeScheduled = false;
  private dirty = false;

  /**
   * @param timed told how long each batch's write took (seconds, fsync included under
   *   `always`), for the storage write-latency metric
   */
  constructor(
    private readonly file: JsonlFile,
    private readonly fsync: FsyncPolicy,
    private readonly outcome: BatchOutcome,
    private readonly timed: (seconds: number) => void = () => undefined,
  ) {}

  /** True while appends are queued or a batch is being written. */
  get busy(): boolean {
    return this.writing !== undefined || this.pending.length > 0;
  }

  /** Queues the message (its seq already given) for the next batch; resolves once written. */
  append(message: Message): Promise<Message> {
    return new Promise((resolve, reject) => {
      this.pending.push({ message, resolve, reject });
      this.scheduleWrite();
    });
  }

  /** Forces written lines to disk if any were written since the last sync. */
  async syncIfDirty(): Promise<void> {
    if (!this.dirty) return;
    this.dirty = false;
    await this.file.sync();
  }

  /** Writes everything queued, then syncs it unless the policy is `never`. */
  async flush(): Promise<void> {
    while (this.busy) await (this.writing ?? this.writeNow());
    if (this.fsync !== 'never') await this.syncIfDirty();
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
      .then(() => this.outcome.afterBatch())
      .finally(() => {
        this.writing = undefined;
        if (this.pending.length > 0) this.scheduleWrite();
      });
    return this.writing;
  }

  private async writeBatch(batch: PendingAppend[]): Promise<void> {
    if (batch.length === 0) return;
    let offset: number;
    let lengths: readonly number[];
    try {
      const encoded = encodeMessageLines(batch);
      lengths = encoded.lengths;
      const start = performance.now();
      offset = await this.file.append(encoded.bytes, this.fsync === 'always');
      this.timed((performance.now() - start) / 1000);
    } catch (error) {
      this.rollBack(batch, error);
      return;
    }
    this.dirty ||= this.fsync === 'interval';
    batch.forEach(({ message, resolve }, i) => {
      const length = lengths[i] ?? 0;
      this.outcome.written(message, offset, length);
      offset += length;
      resolve(message);
    });
  }

  // The batch never reached the file, and everything queued behind it holds later seqs:
  // refuse them all, and let the room hand their seqs out again, so history has no gap.
  private rollBack(batch: PendingAppend[], error: unknown): void {
    const queued = this.pending;
    this.pending = [];
    this.outcome.refused();
    for (const { reject } of [...batch, ...queued]) reject(error);
  }
}
