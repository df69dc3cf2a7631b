import type { MemberEvent } from '../../business/chat/room-event.js';
import { renderPrivateMessage, renderRoomEvent, type LineDialect } from './line-format.js';
import type { LineFraming } from './line-framing.js';

interface Encoded {
  event: MemberEvent | undefined;
  bytes: Buffer;
}

/**
 * Renders each broadcast once per dialect, as EventFrames does for JSON events: the room
 * hub hands the same event object to every member in turn, so every line client of a dialect
 * is written the very same Buffer. Private messages depend on the reader and are rendered for
 * each (there are two readers).
 */
export class LineEncoding {
  private readonly last: Record<LineDialect, Encoded> = {
    telnet: { event: undefined, bytes: Buffer.alloc(0) },
    machat: { event: undefined, bytes: Buffer.alloc(0) },
  };

  /** @param frame how the transport carries lines (a TCP stream, WebSocket frames) */
  constructor(readonly frame: LineFraming) {}

  /** The event's line(s), framed, as `viewer` reads them. */
  linesFor(dialect: LineDialect, event: MemberEvent, viewer: string): Buffer {
    if (event.type === 'private_message') {
      return this.frame(renderPrivateMessage(dialect, event, viewer));
    }
    const cached = this.last[dialect];
    if (cached.event !== event) {
      cached.bytes = this.frame(renderRoomEvent(dialect, event));
      cached.event = event;
    }
    return cached.bytes;
  }
}
