import type { Message } from '../chat/message.js';
import type { MessageStore } from '../ports/message-store.js';
import type { SearchPosition } from './search-query.js';

/** What a search has read so far, counted against its bound. */
export interface ScanBudget {
  bytes: number;
  /** The bound: pages are sized so that a read goes past it by little. */
  readonly maxBytes: number;
}

// Messages read per history page once a room is being scanned; the first read is smaller, since
// most rooms of a many-room search give only a few messages before the answer is full.
const FIRST_CHUNK = 8;
const CHUNK = 128;
// What a page is sized by when the bound is near (a generous message: most are smaller).
const SIZING_BYTES = 256;

/**
 * One room's stored messages, newest first, read backward a page at a time through
 * MessageStore.page (the one history reader). Seqs order a room's messages and their times
 * follow them, so a room is entered at a time by a binary search over seq.
 */
export class RoomStream {
  private buffer: Message[] = []; // newest first
  private before: number | undefined;
  private exhausted = false;

  private constructor(
    private readonly messages: MessageStore,
    readonly roomId: string,
    private readonly budget: ScanBudget,
  ) {}

  /**
   * The room's messages from the newest one that `eligible` accepts (it must accept a prefix
   * of the history, oldest first: every message up to some seq, none after), or undefined
   * when there is none.
   */
  static async open(
    messages: MessageStore,
    roomId: string,
    budget: ScanBudget,
    eligible: ((message: Message) => boolean) | undefined,
  ): Promise<RoomStream | undefined> {
    const stream = new RoomStream(messages, roomId, budget);
    const newest = await stream.at(undefined);
    if (newest === undefined) return undefined;
    const start =
      eligible === undefined || eligible(newest)
        ? newest.seq
        : await stream.seek(eligible, newest.seq);
    if (start === undefined) return undefined;
    stream.before = start + 1;
    await stream.fill(FIRST_CHUNK);
    return stream.head === undefined ? undefined : stream;
  }

  /** The newest message not yet taken. */
  get head(): Message | undefined {
    return this.buffer[0];
  }

  /** The head's place in the search order. */
  get position(): SearchPosition | undefined {
    const head = this.head;
    return head && { sentAt: head.sentAt, roomId: this.roomId, seq: head.seq };
  }

  /** Takes the head; the next older message becomes the head (read if need be). */
  async advance(): Promise<void> {
    this.buffer.shift();
    if (this.buffer.length === 0 && !this.exhausted) await this.fill(CHUNK);
  }

  private async fill(most: number): Promise<void> {
    const left = Math.floor((this.budget.maxBytes - this.budget.bytes) / SIZING_BYTES);
    const limit = Math.max(1, Math.min(most, left));
    const page = await this.read(limit, this.before);
    if (page.length < limit) this.exhausted = true;
    const oldest = page[0];
    if (oldest !== undefined) this.before = oldest.seq;
    this.buffer = page.reverse();
  }

  // The largest seq in [oldest, newest) whose message `eligible` accepts, by halving.
  private async seek(
    eligible: (message: Message) => boolean,
    newest: number,
  ): Promise<number | undefined> {
    const oldest = (await this.messages.page(this.roomId, { after: 0, limit: 1 }))[0];
    if (oldest === undefined || !eligible(this.count(oldest))) return undefined;
    let [low, high] = [oldest.seq, newest - 1]; // low is eligible, newest is not
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      const message = await this.at(middle + 1);
      if (message !== undefined && eligible(message)) low = message.seq;
      else high = middle - 1;
    }
    return low;
  }

  // The newest message below `before` (the newest of all when undefined).
  private async at(before: number | undefined): Promise<Message | undefined> {
    return (await this.read(1, before))[0];
  }

  private async read(limit: number, before: number | undefined): Promise<Message[]> {
    const query = before === undefined ? { limit } : { before, limit };
    const page = await this.messages.page(this.roomId, query);
    for (const message of page) this.count(message);
    return page;
  }

  private count(message: Message): Message {
    this.budget.bytes += storedSize(message);
    return message;
  }
}

// About the size of the message's stored line: its strings in UTF-8 and the JSON around them.
function storedSize(message: Message): number {
  return utf8Length(message.text) + utf8Length(message.participant) + message.id.length + 80;
}

function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x80) bytes += code >= 0x800 && (code < 0xd800 || code > 0xdfff) ? 2 : 1;
  }
  return bytes;
}
