import type { Message } from '../../business/chat/message.js';

/**
 * The last `capacity` messages of one room. Grows as messages arrive (an idle room costs
 * nothing), then becomes a ring: O(1) push, never more than `capacity` entries.
 */
export class RecentMessages {
  private readonly ring: Message[] = [];
  /** Once full, the index of the oldest entry (the next one overwritten). */
  private oldest = 0;

  constructor(readonly capacity: number) {}

  /** Number of messages held. */
  get length(): number {
    return this.ring.length;
  }

  push(message: Message): void {
    if (this.ring.length < this.capacity) {
      this.ring.push(message);
      return;
    }
    if (this.capacity === 0) return;
    this.ring[this.oldest] = message;
    this.oldest = (this.oldest + 1) % this.capacity;
  }

  /** Every message held, oldest first. */
  all(): Message[] {
    return this.last(this.ring.length);
  }

  /** Up to `limit` most recent messages, oldest first; copies only what it returns. */
  last(limit: number): Message[] {
    const size = this.ring.length;
    const count = Math.min(Math.max(limit, 0), size);
    const first = (this.oldest + size - count) % Math.max(size, 1);
    const out: Message[] = [];
    for (let i = 0; i < count; i++) out.push(this.ring[(first + i) % size] as Message);
    return out;
  }
}
