import type { MemberEvent } from '../../business/chat/room-event.js';
import { encodeEvent } from '../protocol/event-codec.js';

/**
 * Encodes each broadcast once. The room hub hands the same event object to every member in
 * turn, so remembering the last event and its bytes turns N encodings per broadcast into one;
 * UTF-8 conversion happens once too, because every socket is sent the same Buffer.
 */
export class SharedEncoding {
  private lastEvent: MemberEvent | undefined;
  private lastBytes = Buffer.alloc(0);
  private encodings = 0;

  /** How many times an event was actually encoded (for metrics and tests). */
  get encodeCount(): number {
    return this.encodings;
  }

  /** The UTF-8 JSON text of the event, encoded only if it differs from the previous one. */
  bytesFor(event: MemberEvent): Buffer {
    if (event !== this.lastEvent) {
      this.lastBytes = Buffer.from(encodeEvent(event), 'utf8');
      this.lastEvent = event;
      this.encodings++;
    }
    return this.lastBytes;
  }
}
