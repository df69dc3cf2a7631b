import type { MemberEvent } from '../../business/chat/room-event.js';
import { CRLF, renderPrivateMessage, renderRoomEvent, type LineDialect } from './line-format.js';

interface Encoded {
  event: MemberEvent | undefined;
  bytes: Buffer;
}

/**
 * Renders each broadcast once per dialect, as SharedEncoding does for WebSocket frames: the room
 * hub hands the same event object to every member in turn, so every line client of a dialect
 * is written the very same Buffer. Private messages depend on the reader and are rendered for
 * each (there are two readers).
 */
export class LineEncoding {
  private readonly last: Record<LineDialect, Encoded> = {
    telnet: { event: undefined, bytes: Buffer.alloc(0) },
    machat: { event: undefined, bytes: Buffer.alloc(0) },
  };

  /** The event's line(s) with the final CRLF, as `viewer` reads them. */
  linesFor(dialect: LineDialect, event: MemberEvent, viewer: string): Buffer {
    if (event.type === 'private_message') {
      return Buffer.from(renderPrivateMessage(dialect, event, viewer) + CRLF, 'utf8');
    }
    const cached = this.last[dialect];
    if (cached.event !== event) {
      cached.bytes = Buffer.from(renderRoomEvent(dialect, event) + CRLF, 'utf8');
      cached.event = event;
    }
    return cached.bytes;
  }
}
