/**
 * Chatrm's wire format (lucas-flanagan/chatrm @ b510dc0, client.go): fields joined by `_`, one
 * line each. Its client registers with `NAME_` (client.go:28, the port after the `_` is always
 * empty), sends `SRC_DST_TEXT` (client.go:38) and reads every line it receives as
 * `DST_SRC_TEXT`, printing fields 1 and 2 (client.go:50-53); any line with fewer than two `_`
 * crashes it.
 */

/** A message line from a Chatrm client. */
export interface ChatrmMessage {
  /** Who the client says it is (Parley uses the registered name instead). */
  readonly source: string;
  readonly destination: string;
  /** Everything after the second `_`, underscores included. */
  readonly text: string;
}

const SEPARATOR = '_';

/** The nickname a registration line `NAME_…` asks for, or undefined when the line has no `_`. */
export function parseRegistration(line: string): string | undefined {
  const end = line.indexOf(SEPARATOR);
  return end < 0 ? undefined : line.slice(0, end);
}

/**
 * Reads `SRC_DST_TEXT`. Unlike Chatrm's own server, which kept the text up to the next `_`, the
 * text is everything after the second `_`.
 * @example parseMessage('alice_bob_under_score') // { source: 'alice', destination: 'bob', text: 'under_score' }
 */
export function parseMessage(line: string): ChatrmMessage | undefined {
  const first = line.indexOf(SEPARATOR);
  const second = first < 0 ? -1 : line.indexOf(SEPARATOR, first + 1);
  if (second < 0) return undefined;
  return {
    source: line.slice(0, first),
    destination: line.slice(first + 1, second),
    text: line.slice(second + 1),
  };
}

/** Stands in for `_` in what a Chatrm client is sent: its client cuts a field at every `_`. */
export const UNDERSCORE_STAND_IN = '\uFF3F'; // ＿ FULLWIDTH LOW LINE

const LINE_BREAKS = /\r\n|\r|\n/g;
const CONTROL = /\p{Cc}/gu;

/**
 * The line a Chatrm client receives for a private message: `DST_SRC_TEXT\n`, always with its
 * two `_` and one line end. Line breaks in the text become spaces, other control characters
 * U+FFFD, and `_` in the sender's name or the text `＿`, so that the client shows all of it.
 * @example renderChatrmLine('bob', 'alice', 'hi_there') // 'bob_alice_hi＿there\n'
 */
export function renderChatrmLine(to: string, from: string, text: string): string {
  return `${field(to)}_${field(from)}_${field(text)}\n`;
}

function field(text: string): string {
  return text
    .replace(LINE_BREAKS, ' ')
    .replace(CONTROL, (char) => (char === '\t' ? char : '\uFFFD'))
    .replaceAll(SEPARATOR, UNDERSCORE_STAND_IN);
}
