import * as ws from 'ws';

interface FrameOptions {
  readonly fin: boolean;
  readonly opcode: number;
  readonly mask: boolean;
  readonly readOnly: boolean;
  readonly rsv1: boolean;
}

// ws exports its frame encoder (`Sender`, a named export of its ES module entry), but
// @types/ws does not declare it; this is the one place that reaches for it.
const { Sender } = ws as unknown as {
  Sender: { frame(data: Buffer, options: FrameOptions): Buffer[] };
};

const TEXT: FrameOptions = { fin: true, opcode: 0x1, mask: false, readOnly: false, rsv1: false };

/**
 * A complete, unmasked WebSocket text frame (header and payload in one Buffer), ready to be
 * written as is to any number of server-side sockets.
 * @example socket.write(textFrame(Buffer.from('{"event_type":"message",…}')))
 */
export function textFrame(payload: Buffer): Buffer {
  return Buffer.concat(Sender.frame(payload, TEXT));
}
