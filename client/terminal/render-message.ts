import type { ChatMessage } from '../core/events.js';
import { clockTime } from './clock-time.js';
import { printable } from './printable.js';
import type { Style } from './style.js';

/** Who is reading: our nickname marks our own messages. */
export interface Reader {
  readonly style: Style;
  /** Our nickname now (it changes with `/nick`). */
  me(): string;
}

/** What a message line shows. */
export type MessageLine = Pick<ChatMessage, 'participant' | 'text' | 'sent_at' | 'history'>;

/** A room message: `[12:01] <John> hello`, replayed history dimmed. */
export function renderMessage(message: MessageLine, reader: Reader): string {
  const { style } = reader;
  const name = printable(message.participant);
  const who = name === reader.me() ? style.self(name) : style.name(name);
  const text = printable(message.text);
  return `${style.dim(`[${clockTime(message.sent_at)}]`)} <${who}> ${message.history === true ? style.dim(text) : text}`;
}
