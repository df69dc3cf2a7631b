import type { ChatMessage } from './events.js';

/** Messages known to be missing: every seq after `after` up to and including `upTo`. */
export interface Gap {
  readonly after: number;
  readonly upTo: number;
}

/**
 * A room's messages as one client shows them: in `seq` order, each once. Messages reach a
 * client by several roads — replayed at join, live, read from the history API to fill a gap
 * after a reconnect — and they overlap; this is the one place that decides what is shown, so
 * no road can show a message twice or show one before an earlier one that is still missing.
 *
 * Until the first message arrives the conversation has no anchor: whatever seq comes first
 * (the oldest replayed message, or the first live one) is where it starts. A client resuming a
 * conversation it already showed passes the last seq it showed.
 */
export class Conversation {
  #last: number | undefined;
  #oldest: number | undefined;
  /** Messages that arrived ahead of a gap, by seq, waiting for the gap to be filled. */
  readonly #waiting = new Map<number, ChatMessage>();

  constructor(lastShown?: number) {
    this.#last = lastShown;
    this.#oldest = lastShown === undefined ? undefined : lastShown + 1;
  }

  /** The seq of the newest message shown (undefined before the first). */
  get lastSeq(): number | undefined {
    return this.#last;
  }

  /** The seq of the oldest message shown or scrolled back to (the `before` of the next older page). */
  get oldestSeq(): number | undefined {
    return this.#oldest;
  }

  /** What is missing before the messages that wait, if any wait. */
  get gap(): Gap | undefined {
    if (this.#last === undefined || this.#waiting.size === 0) return undefined;
    return { after: this.#last, upTo: Math.min(...this.#waiting.keys()) - 1 };
  }

  /**
   * Takes messages from any road (live, replay, a history page) and returns those that can be
   * shown now, in order: nothing already shown, nothing past a gap.
   */
  receive(...messages: readonly ChatMessage[]): ChatMessage[] {
    const shown: ChatMessage[] = [];
    for (const message of messages) {
      if (this.#last === undefined) {
        this.#last = message.seq - 1;
        this.#oldest = message.seq;
      }
      if (message.seq <= this.#last || this.#waiting.has(message.seq)) continue;
      this.#waiting.set(message.seq, message);
      shown.push(...this.#release());
    }
    return shown;
  }

  /**
   * Gives up on a gap the server can no longer fill (its history no longer keeps those
   * messages): the conversation moves on to the messages that wait behind it.
   */
  skipGap(): ChatMessage[] {
    const gap = this.gap;
    if (gap === undefined) return [];
    this.#last = gap.upTo;
    return this.#release();
  }

  /**
   * Takes a page of older messages (read with `before = oldestSeq`) and returns those not shown
   * yet, oldest first, to be put above the conversation.
   */
  prepend(page: readonly ChatMessage[]): ChatMessage[] {
    const oldest = this.#oldest;
    const older = page.filter((message) => oldest === undefined || message.seq < oldest);
    older.sort((a, b) => a.seq - b.seq);
    const first = older[0];
    if (first !== undefined) {
      this.#oldest = first.seq;
      this.#last ??= older[older.length - 1]?.seq;
    }
    return older;
  }

  #release(): ChatMessage[] {
    const released: ChatMessage[] = [];
    for (;;) {
      const next = this.#waiting.get((this.#last ?? 0) + 1);
      if (next === undefined) return released;
      this.#waiting.delete(next.seq);
      this.#last = next.seq;
      released.push(next);
    }
  }
}
