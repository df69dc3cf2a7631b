import { textFrame } from '../ws/text-frame.js';
import { CRLF } from './line-format.js';

/**
 * How one rendered unit of lines (an event, an answer, a prompt: lines joined by CRLF, without a
 * final ending) becomes bytes on a transport.
 */
export type LineFraming = (lines: string) => Buffer;

/** A TCP stream: the lines as they are, each ended with CRLF (telnet wants CRLF, nc takes it). */
export const streamLines: LineFraming = (lines) => Buffer.from(lines + CRLF, 'utf8');

/**
 * WebSocket text frames, one per unit, its lines ended with LF as chat-server's and MaChat's
 * servers sent them: chat-server's page shows each frame as one entry, and MaChat's WebSocket
 * client reads the frames as one stream split on LF, so every frame ends with one.
 */
export const framedLines: LineFraming = (lines) => textFrame(lines.replaceAll(CRLF, '\n') + '\n');

/**
 * The lines a client's WebSocket frame holds: MaChat's client ends each frame with the line end
 * its user typed, which is not part of the message, and a frame may hold several lines.
 */
export function linesOfFrame(text: string): string[] {
  const lines = text.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  if (lines.length > 1 && lines.at(-1) === '') lines.pop();
  return lines;
}
