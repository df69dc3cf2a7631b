import type { CommandReply } from '../../business/chat/command-runner.js';
import type { MemberEvent } from '../../business/chat/room-event.js';
import type { Reader, SessionRenderer } from '../connections/session-renderer.js';
import type { WireErrorCode } from '../protocol/error-catalogue.js';
import type { LineEncoding } from './line-encoding.js';
import {
  CRLF,
  renderAnnouncement,
  renderError,
  renderOperatorNotice,
  renderReply,
  type LineDialect,
} from './line-format.js';

const SHUTDOWN_NOTICE = 'The server is shutting down. Goodbye.';

/**
 * The line dialects (telnet's people-readable lines, MaChat's `name:text`), framed as the
 * transport carries lines (CRLF-ended on TCP, one text frame per unit on WebSocket). A client starts as `telnet`; its dialogue switches it to `machat` when
 * its first line is MaChat's handshake.
 */
export class LineRenderer implements SessionRenderer {
  private dialect: LineDialect = 'telnet';

  /** @param encoding the transport's shared rendering of room events (one per broadcast) */
  constructor(private readonly encoding: LineEncoding) {}

  /** From now on, renders in this dialect. */
  speak(dialect: LineDialect): void {
    this.dialect = dialect;
  }

  event(event: MemberEvent, reader: Reader): Buffer {
    const viewer = event.type === 'private_message' ? reader.nameIn(event.roomId) : '';
    return this.encoding.linesFor(this.dialect, event, viewer);
  }

  reply(reply: CommandReply): Buffer {
    return this.lines(...renderReply(this.dialect, reply));
  }

  error(code: WireErrorCode, message: string): Buffer {
    return this.lines(renderError(code, message));
  }

  shuttingDown(): Buffer {
    return this.lines(renderAnnouncement(SHUTDOWN_NOTICE));
  }

  announcement(text: string): Buffer {
    return this.lines(renderOperatorNotice(`Announcement: ${text}`));
  }

  roomClosed(roomId: string, _at: number, reader: Reader): Buffer {
    return this.lines(renderOperatorNotice(`The room #${reader.roomNameOf(roomId)} was closed.`));
  }

  /** Lines the dialogue writes itself (a welcome, a question), framed as one unit. */
  lines(...lines: string[]): Buffer {
    return this.encoding.frame(lines.join(CRLF));
  }
}
