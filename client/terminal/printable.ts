/**
 * Text from the network made safe to print on a terminal: every control character — terminal
 * escapes included, so a message cannot move the cursor, retitle the window or recolour the
 * screen — becomes U+FFFD, and a line break continues on a new line indented by two spaces, as
 * the server's telnet rendering does.
 * @example printable('hi\u001b[2Jthere\nsecond') // 'hi\ufffd[2Jthere\n  second'
 */
export function printable(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\p{Cc}\u2028\u2029]/gu, (char) => (char === '\n' ? '\n  ' : '\uFFFD'));
}
