import type { MemberEvent } from '../../business/chat/room-event.js';
import { encodeEvent } from '../protocol/event-codec.js';
import { textFrame } from './text-frame.js';

/**
 * Encodes and frames each broadcast once. The room hub hands the same event object to every
 * member in turn, so remembering the last event and its frame turns N encodings per broadcast
 * into one: JSON, UTF-8 and the WebSocket header are produced once, and every socket is written
 * the very same Buffer (no bytes copied per recipient).
 */
export class SharedEncoding {
  private lastEvent: MemberEvent | undefined;
  private lastFrame: Buffer = Buffer.alloc(0);
  private encodings = 0;

  /** How many times an event was actually encoded (for metrics and tests). */
  get encodeCount(): number {
    return this.encodings;
  }

  /** The complete WebSocket text frame of the event, built only if the event is new. */
  frameFor(event: MemberEvent): Buffer {
    if (event !== this.lastEvent) {
      this.lastFrame = textFrame(encodeEvent(event));
      this.lastEvent = event;
      this.encodings++;
    }
    return this.lastFrame;
  }
}
