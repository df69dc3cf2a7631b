import type { CommandReply } from '../../business/chat/command-runner.js';
import type { MemberEvent } from '../../business/chat/room-event.js';
import type { EventFrames } from '../connections/event-frames.js';
import type { SessionRenderer } from '../connections/session-renderer.js';
import type { WireErrorCode } from '../protocol/error-catalogue.js';
import {
  encodeAnnouncement,
  encodeError,
  encodeReply,
  encodeRoomClosed,
  encodeShuttingDown,
} from '../protocol/event-codec.js';

/** Puts one JSON text in the transport's framing (a WebSocket text frame, an SSE event). */
export type TextFraming = (text: string) => Buffer;

/**
 * Parley's own dialect: every event, answer and error is one JSON object with an
 * `event_type` (docs/protocol.md, "Events"), in whatever framing the transport has.
 */
export class JsonRenderer implements SessionRenderer {
  private readonly goingAway: Buffer;

  /**
   * @param frames the transport's shared encoding of room events (one per broadcast)
   * @param frame how the transport frames one JSON text
   */
  constructor(
    private readonly frames: EventFrames,
    private readonly frame: TextFraming,
  ) {
    this.goingAway = frame(encodeShuttingDown());
  }

  event(event: MemberEvent): Buffer {
    return this.frames.frameFor(event);
  }

  reply(reply: CommandReply): Buffer {
    return this.frame(encodeReply(reply));
  }

  error(code: WireErrorCode, message: string): Buffer {
    return this.frame(encodeError(code, message));
  }

  shuttingDown(): Buffer {
    return this.goingAway;
  }

  announcement(text: string, at: number): Buffer {
    return this.frame(encodeAnnouncement(text, at));
  }

  roomClosed(roomId: string, at: number): Buffer {
    return this.frame(encodeRoomClosed(roomId, at));
  }
}
