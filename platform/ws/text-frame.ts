/**
 * A complete, unmasked WebSocket text frame for `text` (RFC 6455 §5.2), built in one
 * allocation: the header is written in front and the UTF-8 text is encoded straight into the
 * same Buffer. The frame can then be written as is to any number of server-side sockets. (ws's
 * own `Sender.frame` needs the payload as a separate Buffer, which costs one more allocation and
 * copy per broadcast, and is not part of ws's typed API.)
 * @example socket.write(textFrame('{"event_type":"message",…}'))
 */
export function textFrame(text: string): Buffer {
  const length = Buffer.byteLength(text, 'utf8');
  const header = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(header + length);
  frame[0] = 0x81; // FIN + opcode 1 (text)
  if (length < 126) {
    frame[1] = length;
  } else if (length < 65_536) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  frame.write(text, header, 'utf8');
  return frame;
}
