import { ChatError } from './chat-error.js';

/** A chat message as stored and delivered: immutable once it has a seq. */
export interface Message {
  /** Globally unique id. */
  readonly id: string;
  readonly roomId: string;
  /** Position in its room: 1, 2, 3… with no gaps, assigned by the message store, never reused. */
  readonly seq: number;
  /** The author's nickname when the message was sent. */
  readonly participant: string;
  readonly text: string;
  /** Milliseconds since the Unix epoch. */
  readonly sentAt: number;
}

/** A message before the store has given it a place in its room. */
export type MessageDraft = Omit<Message, 'seq'>;

/**
 * Checks the text of a message a participant wants to send. The text is kept as sent (no
 * trimming: leading spaces can matter), but a message with nothing visible is refused.
 * @throws ChatError `empty_message`.
 */
export function parseMessageText(text: string): string {
  if (text.trim().length === 0) {
    throw new ChatError('empty_message', 'a message must contain some text');
  }
  return text;
}
