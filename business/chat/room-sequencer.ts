import type { MessageStore } from '../ports/message-store.js';
import type { Timer } from '../ports/timer.js';
import type { Message } from './message.js';
import type { RoomEvent } from './room-event.js';

/** What the sequencer reads: a room's newest message, and the messages missing from a gap. */
export type HistoryReader = Pick<MessageStore, 'recent' | 'page'>;

/** After a failed read, how long before the gap is read again. */
const RETRY_MS = 250;
/** Most messages one read fills (a bigger gap is filled in several reads). */
const FILL_PAGE = 1000;

/**
 * One room's messages in seq order on this node, whatever order the broker hands them in: the
 * one place that guarantees every member, on every node, receives the room's messages with
 * contiguous seqs, no gap and no duplicate.
 *
 * Several nodes publish into one room concurrently, so a node may be handed seq 8 before 7, or
 * miss 7 altogether (its connection to the broker was lost meanwhile). A message that is not
 * the next one is held, with every event handed after it, until the ones before it have been
 * delivered: those that arrive, or else those read from history (a message is stored before
 * it is published, so whatever precedes a message handed over is already stored). A message
 * already delivered is dropped. Other events are not numbered; they keep the order they were
 * handed in, behind any message held before them.
 */
export class RoomSequencer {
  /** The seq of the last message delivered; undefined until `start` has read it. */
  private last: number | undefined;
  private readonly held: RoomEvent[] = [];
  private filling = false;
  private closed = false;

  constructor(
    private readonly roomId: string,
    private readonly history: HistoryReader,
    private readonly timer: Timer,
    private readonly deliver: (event: RoomEvent) => void,
  ) {}

  /**
   * Reads the room's newest seq; call it once the broker subscription is ready, so that every
   * message after it is either handed over or read from history. Events handed in before it
   * resolves are held. Rejects when history cannot be read.
   */
  async start(): Promise<void> {
    const [newest] = await this.history.recent(this.roomId, 1);
    this.last = newest?.seq ?? 0;
    this.drain();
  }

  /** Takes an event from the broker and delivers whatever is now in order. */
  receive(event: RoomEvent): void {
    if (this.closed) return;
    if (this.last !== undefined && this.held.length === 0 && !this.filling) {
      if (event.type !== 'message_posted') return this.deliver(event);
      const { seq } = event.message;
      if (seq <= this.last) return;
      if (seq === this.last + 1) {
        this.last = seq;
        return this.deliver(event);
      }
    }
    this.held.push(event);
    this.drain();
  }

  /**
   * Delivery may have missed messages (the broker reconnected): reads history past the last
   * delivered message and delivers what it finds there.
   */
  catchUp(): void {
    if (this.closed || this.last === undefined) return;
    this.history.recent(this.roomId, 1).then(
      ([newest]) => {
        if (newest === undefined || this.last === undefined || newest.seq <= this.last) return;
        if (this.filling) this.timer.after(RETRY_MS, () => this.catchUp());
        else this.fill(newest.seq + 1);
      },
      () => this.timer.after(RETRY_MS, () => this.catchUp()),
    );
  }

  /** Stops delivering; whatever is held is dropped. */
  close(): void {
    this.closed = true;
    this.held.length = 0;
  }

  // Delivers in the order handed in, except that a message is never delivered before the one
  // preceding it: when the head of the queue is early, the message it needs is taken from
  // further back, or else read from history.
  private drain(): void {
    while (!this.closed && this.last !== undefined && !this.filling) {
      const head = this.held[0];
      if (head === undefined) return;
      if (head.type !== 'message_posted' || head.message.seq === this.last + 1) {
        this.held.shift();
        this.deliverInOrder(head);
        continue;
      }
      if (head.message.seq <= this.last) {
        this.held.shift();
        continue;
      }
      const wanted = this.last + 1;
      const next = this.held.findIndex(
        (e) => e.type === 'message_posted' && e.message.seq === wanted,
      );
      if (next < 0) return this.fill(head.message.seq);
      const [event] = this.held.splice(next, 1);
      this.deliverInOrder(event as RoomEvent);
    }
  }

  private deliverInOrder(event: RoomEvent): void {
    if (event.type === 'message_posted') this.last = event.message.seq;
    this.deliver(event);
  }

  /** Reads the messages after the last delivered one and before `before`, then drains. */
  private fill(before: number): void {
    if (this.filling || this.last === undefined) return;
    this.filling = true;
    const after = this.last;
    const limit = Math.min(before - after - 1, FILL_PAGE);
    this.history.page(this.roomId, { after, before, limit }).then(
      (messages) => this.filled(after, before, messages),
      () => {
        this.filling = false;
        this.timer.after(RETRY_MS, () => this.drain());
      },
    );
  }

  // A gap history no longer holds (retention compacted it, or the room was deleted) is skipped:
  // there is nothing left to deliver from it.
  private filled(after: number, before: number, messages: readonly Message[]): void {
    this.filling = false;
    if (this.closed || this.last !== after) return this.drain();
    for (const message of messages) {
      if (this.last !== undefined && message.seq > this.last) {
        this.last = message.seq;
        this.deliver({ type: 'message_posted', message });
      }
    }
    if (messages.length === 0) this.last = Math.max(this.last, before - 1);
    this.drain();
  }
}
