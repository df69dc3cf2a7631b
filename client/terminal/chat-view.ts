import type { Gap } from '../core/conversation.js';
import type { ChatMessage, ServerEvent } from '../core/events.js';
import type { ConnectionStatus } from '../core/room-client.js';
import { isMessageLine } from './line-kinds.js';
import { printable } from './printable.js';
import { renderEvent } from './render-event.js';
import { renderMessage, type Reader } from './render-message.js';
import { renderMissing, renderStatus } from './render-status.js';
import type { Screen } from './screen.js';

/** What a chat shows, whatever the transport: the room client's news, or the line port's lines. */
export interface ChatView {
  status(status: ConnectionStatus): void;
  messages(messages: readonly ChatMessage[]): void;
  event(event: ServerEvent): void;
  missing(gap: Gap): void;
  /** A line of the TCP line protocol, as the server rendered it. */
  line(text: string): void;
  /** Something the client itself has to say (a refusal, a reconnect caveat). */
  notice(text: string): void;
}

/** Events that are room traffic rather than talk addressed to us: hidden in `--to` mode. */
const ROOM_TRAFFIC = new Set([
  'participant_joined',
  'participant_left',
  'participants_changed',
  'participant_renamed',
]);

/**
 * The chat as a person reads it. In one-to-one mode (`--to`) the room's own traffic is hidden:
 * only private messages, command replies, errors and server notices are shown.
 */
export class HumanView implements ChatView {
  constructor(
    private readonly screen: Screen,
    private readonly reader: Reader,
    private readonly oneToOne = false,
  ) {}

  status(status: ConnectionStatus): void {
    // Each failed attempt is told once, with when the next one comes; not also as it starts.
    if (status.state === 'reconnecting' && status.retryInMs === undefined) return;
    this.screen.note([renderStatus(status, this.reader.style)]);
  }

  messages(messages: readonly ChatMessage[]): void {
    if (this.oneToOne) return;
    this.screen.print(messages.map((message) => renderMessage(message, this.reader)));
  }

  event(event: ServerEvent): void {
    if (this.oneToOne && ROOM_TRAFFIC.has(event.event_type)) return;
    this.screen.print(renderEvent(event, this.reader));
  }

  missing(gap: Gap): void {
    if (!this.oneToOne) this.screen.note([renderMissing(gap, this.reader.style)]);
  }

  line(text: string): void {
    if (this.oneToOne && isMessageLine(text)) return;
    this.screen.print([styleLine(printable(text), this.reader)]);
  }

  notice(text: string): void {
    this.screen.note([this.reader.style.status(`-- ${text}`)]);
  }
}

/** The line protocol's lines, coloured by their documented prefixes. */
function styleLine(text: string, { style }: Reader): string {
  if (text.startsWith('! ')) return style.error(text);
  if (text.startsWith('*** ')) return style.status(text);
  if (text.startsWith('* ')) return style.notice(text);
  if (text.startsWith('[private')) return style.private(text);
  return text;
}

/**
 * `--json`: every event as the server sent it, one JSON object a line on stdout, for scripts.
 * Messages read from the history API to fill a gap are shown as `message` events too; the
 * connection's state and the client's notices go to stderr, as text.
 */
export class JsonView implements ChatView {
  constructor(
    private readonly screen: Screen,
    private readonly reader: Reader,
  ) {}

  status(status: ConnectionStatus): void {
    this.screen.note([renderStatus(status, this.reader.style)]);
  }

  messages(messages: readonly ChatMessage[]): void {
    this.screen.print(
      messages.map((message) => JSON.stringify({ event_type: 'message', ...message })),
    );
  }

  event(event: ServerEvent): void {
    this.screen.print([JSON.stringify(event)]);
  }

  missing(gap: Gap): void {
    this.screen.note([renderMissing(gap, this.reader.style)]);
  }

  line(text: string): void {
    this.screen.print([JSON.stringify({ line: text })]);
  }

  notice(text: string): void {
    this.screen.note([`-- ${text}`]);
  }
}
