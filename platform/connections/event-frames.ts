import type { MemberEvent } from '../../business/chat/room-event.js';

/**
 * Encodes each broadcast once per transport. The room hub hands the same event object to every
 * member in turn, so remembering the last event and its bytes turns N encodings per broadcast
 * into one: JSON, UTF-8 and the framing are produced once, and every client is written the very
 * same Buffer (no bytes copied per recipient).
 */
export class EventFrames {
  private lastEvent: MemberEvent | undefined;
  private lastFrame: Buffer = Buffer.alloc(0);
  private encodings = 0;

  /** @param encode the complete bytes of one event as this transport sends it */
  constructor(private readonly encode: (event: MemberEvent) => Buffer) {}

  /** How many times an event was actually encoded (for metrics and tests). */
  get encodeCount(): number {
    return this.encodings;
  }

  /** The event's bytes, built only if the event is new. */
  frameFor(event: MemberEvent): Buffer {
    if (event !== this.lastEvent) {
      this.lastFrame = this.encode(event);
      this.lastEvent = event;
      this.encodings++;
    }
    return this.lastFrame;
  }
}
