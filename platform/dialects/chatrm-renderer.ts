import type { MemberEvent } from '../../business/chat/room-event.js';
import type { Reader, SessionRenderer } from '../connections/session-renderer.js';
import type { WireErrorCode } from '../protocol/error-catalogue.js';
import type { ChatrmDrops } from './chatrm-drops.js';
import { renderChatrmLine } from './chatrm-format.js';

const NOTHING = Buffer.alloc(0);

/**
 * What a Chatrm client is shown: private messages addressed to it, as `DST_SRC_TEXT\n`, and
 * nothing else — no echo of its own messages, no notices, replies, errors or goodbye, since any
 * other line crashes its client. Errors are counted and logged instead (ChatrmDrops).
 */
export class ChatrmRenderer implements SessionRenderer {
  /** The nickname the client registered, once it has: named in the log of what is dropped. */
  participant: string | undefined;

  constructor(private readonly drops: ChatrmDrops) {}

  event(event: MemberEvent, reader: Reader): Buffer {
    if (event.type !== 'private_message') return NOTHING;
    const me = reader.nameIn(event.roomId);
    if (event.to !== me) return NOTHING; // the echo of what it sent
    return Buffer.from(renderChatrmLine(me, event.from, event.text), 'utf8');
  }

  reply(): Buffer {
    return NOTHING;
  }

  error(code: WireErrorCode, message: string): Buffer {
    this.drops.drop(code, message, this.participant);
    return NOTHING;
  }

  shuttingDown(): Buffer {
    return NOTHING;
  }

  // Chatrm's client crashes on any line but DST_SRC_TEXT: announcements and closings show nothing
  // (the close says why).
  announcement(): Buffer {
    return NOTHING;
  }

  roomClosed(): Buffer {
    return NOTHING;
  }
}
