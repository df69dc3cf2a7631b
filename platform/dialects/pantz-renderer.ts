import type { MemberEvent } from '../../business/chat/room-event.js';
import type { Reader, SessionRenderer } from '../connections/session-renderer.js';
import { textFrame } from '../ws/text-frame.js';
import { PantzText, PantzType } from './pantz-codes.js';
import { encodePantz, type PantzResponse } from './pantz-json.js';

const NOTHING = Buffer.alloc(0);

/**
 * chattypantz's view of the chat, in WebSocket text frames: room messages as 108
 * `<nick>: <text>`, joins and leaves as 104 and 109 notices with the room's visible nicknames,
 * and nothing else. Its clients quit on any response type they do not expect, so events it
 * has no form for (renames, history) and Parley's own errors and goodbyes are not sent: the
 * close code and reason say why a connection ends.
 */
export class PantzRenderer implements SessionRenderer {
  private lastEvent: MemberEvent | undefined;
  private lastFrame: Buffer = NOTHING;

  // A room event reads the same for every member of its room: encoded once per broadcast.
  event(event: MemberEvent, reader: Reader): Buffer {
    if (event.type === 'private_message') return this.encode(event, reader);
    if (event !== this.lastEvent) {
      this.lastFrame = this.encode(event, reader);
      this.lastEvent = event;
    }
    return this.lastFrame;
  }

  reply(): Buffer {
    return NOTHING;
  }

  error(): Buffer {
    return NOTHING;
  }

  shuttingDown(): Buffer {
    return NOTHING;
  }

  // chattypantz's clients quit on a response type they do not expect: an announcement is not
  // sent, and a closed room is told by the close code and reason only.
  announcement(): Buffer {
    return NOTHING;
  }

  roomClosed(): Buffer {
    return NOTHING;
  }

  private encode(event: MemberEvent, reader: Reader): Buffer {
    switch (event.type) {
      case 'message_posted': {
        const { roomId, participant, text } = event.message;
        const content = PantzText.said(participant, text);
        return pantzFrame({
          roomName: reader.roomNameOf(roomId),
          rspType: PantzType.msg,
          content,
          list: [],
        });
      }
      case 'private_message': {
        const content = PantzText.said(`${event.from} (private)`, event.text);
        const roomName = reader.roomNameOf(event.roomId);
        return pantzFrame({ roomName, rspType: PantzType.msg, content, list: [] });
      }
      case 'participant_joined': // named by the event: the joiner may not hold its membership yet
        return notices(event.roomName, PantzType.join, [event.participant], event.present);
      case 'participant_left':
        return notices(
          reader.roomNameOf(event.roomId),
          PantzType.leave,
          [event.participant],
          event.present,
        );
      case 'participants_changed':
        return Buffer.concat([
          notices(reader.roomNameOf(event.roomId), PantzType.join, event.joined, undefined),
          notices(reader.roomNameOf(event.roomId), PantzType.leave, event.left, undefined),
        ]);
      default: // renames and replayed history: chattypantz has no form for them
        return NOTHING;
    }
  }
}

// A big room's batched presence has no list: the notices carry an empty one.
function notices(
  roomName: string,
  rspType: number,
  names: readonly string[],
  present: readonly string[] | undefined,
): Buffer {
  const text = rspType === PantzType.join ? PantzText.joined : PantzText.left;
  const frames = names.map((name) =>
    pantzFrame({ roomName, rspType, content: text(name), list: present ?? [] }),
  );
  return frames.length === 1 ? (frames[0] as Buffer) : Buffer.concat(frames);
}

/** One chattypantz response in one unfragmented text frame, no newline. */
export function pantzFrame(response: PantzResponse): Buffer {
  return textFrame(encodePantz(response));
}
