import type { Origin } from '../../business/chat/participant.js';
import type { ClientSession } from '../connections/client-session.js';
import type { SessionRenderer } from '../connections/session-renderer.js';
import type { Logger } from '../logging/logger.js';
import { ChatrmDialogue } from './chatrm-dialogue.js';
import type { ChatrmDrops } from './chatrm-drops.js';
import { ChatrmRenderer } from './chatrm-renderer.js';
import type { LineConversation, LineDialect } from './line-dialect.js';

/**
 * `--chatrm-port`'s dialect: Chatrm's client (lucas-flanagan/chatrm), present for direct
 * messages only, reached by `/msg @nick` from every transport (docs/protocol.md, "Chatrm").
 */
export class ChatrmDialect implements LineDialect {
  constructor(
    private readonly drops: ChatrmDrops,
    private readonly logger: Logger,
  ) {}

  // Nobody is told who joins the direct-messages room, so the client's address is not needed.
  start(
    open: (renderer: SessionRenderer) => ClientSession,
    _peer: Origin | undefined,
  ): LineConversation {
    const renderer = new ChatrmRenderer(this.drops);
    const session = open(renderer);
    const dialogue = new ChatrmDialogue(session, renderer, this.drops, this.logger);
    return {
      session,
      line: (text) => dialogue.line(text),
      tooLong: (limit) => dialogue.tooLong(limit),
    };
  }
}
