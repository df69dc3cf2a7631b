import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

/** One frame from the server (servers never mask). */
export interface RawFrame {
  readonly opcode: number;
  readonly payload: Buffer;
}

/**
 * A WebSocket client written straight on a TCP socket, so a test can misbehave on purpose:
 * never answer pings, stop reading, ignore a close. It never answers anything by itself.
 */
export class RawPeer {
  readonly frames: RawFrame[] = [];
  /** Resolves when the TCP connection is gone. */
  readonly ended: Promise<void>;
  private buffered = Buffer.alloc(0);

  private constructor(private readonly socket: Socket) {
    this.ended = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => undefined);
  }

  /** Opens a TCP connection and performs the upgrade handshake for `path`. */
  static async connect(port: number, path: string): Promise<RawPeer> {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) =>
      socket.once('connect', resolve).once('error', reject),
    );
    const key = randomBytes(16).toString('base64');
    socket.write(
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\n` +
        `Connection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    const peer = new RawPeer(socket);
    await peer.readHandshake();
    socket.on('data', (chunk: Buffer) => peer.onData(chunk));
    return peer;
  }

  /** Text of every text frame received so far, parsed as JSON. */
  get events(): Record<string, unknown>[] {
    return this.frames
      .filter((frame) => frame.opcode === 0x1)
      .map((frame) => JSON.parse(frame.payload.toString()) as Record<string, unknown>);
  }

  /** The close frame's code and reason, if one arrived. */
  get closeFrame(): { code: number; reason: string } | undefined {
    const frame = this.frames.find((f) => f.opcode === 0x8);
    if (frame === undefined) return undefined;
    return { code: frame.payload.readUInt16BE(0), reason: frame.payload.subarray(2).toString() };
  }

  /** Number of pings received. */
  get pings(): number {
    return this.frames.filter((frame) => frame.opcode === 0x9).length;
  }

  /** Stops reading from the socket: the server's writes back up. */
  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  /** Sends a masked text frame, as a client must. */
  sendText(text: string): void {
    this.socket.write(maskedFrame(0x1, Buffer.from(text)));
  }

  /**
   * Sends any masked frame: `opcode` 0x1 text, 0x2 binary; `firstByteBits` ORs extra bits into
   * the first byte (0x40 sets RSV1, a protocol error when no extension was agreed).
   */
  sendFrame(opcode: number, payload: Buffer, firstByteBits = 0): void {
    const frame = maskedFrame(opcode, payload);
    frame[0] = (frame[0] ?? 0) | firstByteBits;
    this.socket.write(frame);
  }

  /** Writes bytes as they are: frames a test builds by hand (see `frameBytes`). */
  sendRaw(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  destroy(): void {
    this.socket.destroy();
  }

  /** Ends the connection with a TCP reset (RST), as a crashed peer or a dropped link does. */
  reset(): void {
    this.socket.resetAndDestroy();
  }

  private readHandshake(): Promise<void> {
    return new Promise((resolve, reject) => {
      const onData = (chunk: Buffer): void => {
        this.buffered = Buffer.concat([this.buffered, chunk]);
        const end = this.buffered.indexOf('\r\n\r\n');
        if (end < 0) return;
        this.socket.off('data', onData);
        const head = this.buffered.subarray(0, end).toString();
        this.buffered = this.buffered.subarray(end + 4);
        if (!head.startsWith('HTTP/1.1 101')) reject(new Error(`upgrade refused: ${head}`));
        else resolve();
        this.parseFrames();
      };
      this.socket.on('data', onData);
    });
  }

  private onData(chunk: Buffer): void {
    this.buffered = Buffer.concat([this.buffered, chunk]);
    this.parseFrames();
  }

  private parseFrames(): void {
    for (;;) {
      const frame = readFrame(this.buffered);
      if (frame === undefined) return;
      this.frames.push(frame.frame);
      this.buffered = this.buffered.subarray(frame.size);
    }
  }
}

function readFrame(bytes: Buffer): { frame: RawFrame; size: number } | undefined {
  if (bytes.length < 2) return undefined;
  const opcode = (bytes[0] ?? 0) & 0x0f;
  let length = (bytes[1] ?? 0) & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (bytes.length < 4) return undefined;
    length = bytes.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (bytes.length < 10) return undefined;
    length = Number(bytes.readBigUInt64BE(2));
    offset = 10;
  }
  if (bytes.length < offset + length) return undefined;
  return {
    frame: { opcode, payload: bytes.subarray(offset, offset + length) },
    size: offset + length,
  };
}

/** A frame as a hostile client may build it: any FIN bit, opcode and length, masked or not. */
export function frameBytes(options: {
  fin?: boolean;
  opcode: number;
  payload: Buffer;
  masked?: boolean;
}): Buffer {
  const { fin = true, opcode, payload, masked = true } = options;
  const frame = masked ? maskedFrame(opcode, payload) : unmaskedFrame(opcode, payload);
  if (!fin) frame[0] = (frame[0] ?? 0) & 0x7f;
  return frame;
}

function unmaskedFrame(opcode: number, payload: Buffer): Buffer {
  const masked = maskedFrame(opcode, payload);
  const lengthBytes = masked.length - payload.length - 4 - 1; // after byte 0, before the mask
  const header = Buffer.from(masked.subarray(0, 1 + lengthBytes));
  header[1] = (header[1] ?? 0) & 0x7f;
  return Buffer.concat([header, payload]);
}

function maskedFrame(opcode: number, payload: Buffer): Buffer {
  const mask = randomBytes(4);
  const header =
    payload.length < 126
      ? Buffer.from([0x80 | opcode, 0x80 | payload.length])
      : payload.length < 65536
        ? Buffer.from([0x80 | opcode, 0x80 | 126, payload.length >> 8, payload.length & 0xff])
        : Buffer.concat([Buffer.from([0x80 | opcode, 0x80 | 127]), uint64(payload.length)]);
  const masked = Buffer.from(payload.map((byte, i) => byte ^ (mask[i % 4] ?? 0)));
  return Buffer.concat([header, mask, masked]);
}

function uint64(value: number): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64BE(BigInt(value));
  return bytes;
}
