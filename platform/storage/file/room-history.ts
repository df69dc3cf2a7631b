import { selectPage, type HistoryQuery } from '../../../business/chat/history-page.js';
import type { Message } from '../../../business/chat/message.js';
import { RecentMessages } from '../recent-messages.js';
import { readLines } from './indexed-lines.js';
import type { JsonlFile } from './jsonl-file.js';
import type { OffsetIndex } from './offset-index.js';
import { pageEntries } from './page-entries.js';
import { ReadGate } from './read-gate.js';
import type { RecoveredRoomFile } from './room-file-recovery.js';
import { decodeMessage } from './stored-records.js';

/**
 * What one room's file holds, for reading: the newest messages are cached; older ones are
 * found through an OffsetIndex (where each message's line is) and read by position, so a page
 * costs what the page holds, never what the file holds.
 */
export class RoomHistory {
  /** Keeps page reads and compaction apart: offsets change when the file is rewritten. */
  readonly gate = new ReadGate();
  readonly file: JsonlFile;
  readonly index: OffsetIndex;
  private readonly cache: RecentMessages;
  private newestSeq: number;

  private constructor(
    readonly roomId: string,
    recovered: RecoveredRoomFile,
    cacheSize: number,
  ) {
    this.file = recovered.file;
    this.index = recovered.index;
    this.cache = new RecentMessages(cacheSize);
    this.newestSeq = this.index.lastSeq;
  }

  /** The history of a file just read back, its newest messages cached. */
  static async open(
    roomId: string,
    recovered: RecoveredRoomFile,
    cacheSize: number,
  ): Promise<RoomHistory> {
    const history = new RoomHistory(roomId, recovered, cacheSize);
    const cached = Math.max(0, history.index.count - cacheSize);
    for (const message of await history.read((index) => [cached, index.count])) {
      history.cache.push(message);
    }
    return history;
  }

  /** The seq of the newest message in the file (0 when there is none yet). */
  get durableSeq(): number {
    return this.newestSeq;
  }

  /** True while reads are in flight or a rewrite holds the file. */
  get busy(): boolean {
    return this.gate.busy;
  }

  /** Takes in a message whose line has just been written at `offset`. */
  written(message: Message, offset: number, length: number): void {
    this.index.push(message.seq, offset, length);
    this.cache.push(message);
    this.newestSeq = message.seq;
  }

  /** Up to `limit` most recent stored messages, oldest first. */
  recent(limit: number): Promise<Message[]> {
    if (limit <= this.cache.capacity || this.cachesAll()) {
      return Promise.resolve(this.cache.last(limit));
    }
    return this.read((index) => [Math.max(0, index.count - limit), index.count]);
  }

  /**
   * A page of the history (see HistoryQuery). The cache holds the newest messages with no gap,
   * so a page it holds whole is served from memory; only older pages read the file.
   */
  page(query: HistoryQuery): Promise<Message[]> {
    const cached = this.cache.all();
    const page = selectPage(cached, query);
    const oldestCached = cached[0]?.seq ?? this.newestSeq + 1;
    const whole =
      this.cachesAll() ||
      (query.after !== undefined ? query.after + 1 >= oldestCached : page.length === query.limit);
    return whole ? Promise.resolve(page) : this.read((index) => pageEntries(index, query));
  }

  /** Closes the file once no read is using it. */
  close(): Promise<void> {
    return this.gate.alone(() => this.file.close());
  }

  /** True when the cache holds every message in the file, so no page needs the file. */
  private cachesAll(): boolean {
    return this.cache.length >= this.index.count;
  }

  /** The messages of the index entries `choose` picks, read by position. */
  private read(choose: (index: OffsetIndex) => [number, number]): Promise<Message[]> {
    return this.gate.read(async () => {
      const [first, end] = choose(this.index);
      if (end <= first) return [];
      const lines = await readLines(this.file, this.index, first, end);
      return lines.map((line) => this.decodeLine(line));
    });
  }

  private decodeLine(line: Buffer): Message {
    const message = decodeMessage(this.roomId, JSON.parse(line.toString('utf8')));
    if (message === undefined) throw new Error(`${this.file.path} changed under its index`);
    return message;
  }
}
