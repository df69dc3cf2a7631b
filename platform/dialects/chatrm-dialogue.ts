import type { ClientSession } from '../connections/client-session.js';
import type { Logger } from '../logging/logger.js';
import type { ChatrmDrops } from './chatrm-drops.js';
import { parseMessage, parseRegistration } from './chatrm-format.js';
import type { ChatrmRenderer } from './chatrm-renderer.js';

/**
 * One Chatrm client's lines. The server never speaks first and sets no login deadline (the
 * client connects, then asks its user for a name and a peer). The first line, `NAME_`,
 * registers NAME for direct messages only; a first line without `_`, or a name that is invalid
 * or taken, ends the connection (the client cannot be told why; the log says). Every later line
 * `SRC_DST_TEXT` is the command `/msg @DST TEXT`, sent as the registered name whatever SRC
 * says; a line that is not of that form, or has no text, is dropped and counted.
 */
export class ChatrmDialogue {
  private registered: string | undefined;

  constructor(
    private readonly session: ClientSession,
    private readonly renderer: ChatrmRenderer,
    private readonly drops: ChatrmDrops,
    private readonly logger: Logger,
  ) {
    // Lines that arrive after a refused registration, while the connection closes: nowhere to go.
    session.whileUnjoined(() => undefined);
  }

  /** A line from the client, without its ending. */
  line(text: string): void {
    if (this.registered === undefined) this.register(text);
    else this.message(text);
  }

  /** A line over `--max-message-bytes` arrived and was dropped whole. */
  tooLong(limitBytes: number): void {
    this.session.sendError('payload_too_large', `a line over ${limitBytes} bytes`);
  }

  private register(text: string): void {
    const name = parseRegistration(text);
    if (name === undefined) {
      this.session.refuseAndEnd('invalid_request', 'a Chatrm client registers with NAME_ first');
      return;
    }
    this.registered = name.trim();
    this.renderer.participant = this.registered;
    void this.session.join({ direct: true }, name, {}, (code, message) => {
      this.logger.info(
        { transport: 'chatrm', participant: name, code },
        'chatrm: registration refused; connection closed (its client cannot be told why)',
      );
      this.session.refuseAndEnd(code, message);
    });
  }

  private message(line: string): void {
    const message = parseMessage(line);
    if (message === undefined) {
      this.drops.drop('invalid_request', 'a line that is not SRC_DST_TEXT', this.registered);
      return;
    }
    const { source, destination, text } = message;
    if (text.trim() === '') {
      this.drops.drop('empty_message', 'a message with no text', this.registered);
      return;
    }
    if (destination.trim() === '' || /\s/.test(destination.trim())) {
      this.drops.drop('invalid_nickname', `no nickname is "${destination}"`, this.registered);
      return;
    }
    if (source.trim() !== this.registered) {
      this.logger.debug(
        { transport: 'chatrm', participant: this.registered, source },
        'chatrm: a message names another sender; sent as the registered name',
      );
    }
    const command = `/msg @${destination.trim()} ${text}`;
    this.session.receive(command, Buffer.byteLength(command));
  }
}
