import { connect, type Socket } from 'node:net';

/** What a lean socket reports to its owner. */
export interface LeanSocketEvents {
  /** A text frame, as `buffer[start..end)`: valid only during the call. */
  onText(socket: LeanSocket, buffer: Buffer, start: number, end: number): void;
  onClose(socket: LeanSocket): void;
}

const PING = 0x9;
const CLOSE = 0x8;
const TEXT = 0x1;
const EMPTY = Buffer.alloc(0);

/**
 * Every lean socket of the process reads into this one buffer (`onread`): frames are handled
 * synchronously in the read callback, and only an incomplete trailing frame is copied out.
 */
const READ_BUFFER = Buffer.allocUnsafe(256 * 1024);

/**
 * A WebSocket client reduced to what a load generator needs, so that it costs far less CPU per
 * message than the server it measures (a stock `ws` client costs about as much as the server):
 * reads go into a shared buffer with no stream machinery and no per-read allocation; frames are
 * walked by offset, never copied, decoded or parsed as JSON; and the masking key is all zeros,
 * which the protocol allows and which makes masking a no-op.
 */
export class LeanSocket {
  readonly socket: Socket;
  closed = false;
  private pending: Buffer = EMPTY;
  private open = false;
  private upgraded: () => void = () => undefined;
  private failed: (error: Error) => void = () => undefined;

  private constructor(
    port: number,
    private readonly events: LeanSocketEvents,
  ) {
    this.socket = connect({
      port,
      host: '127.0.0.1',
      noDelay: true,
      onread: {
        buffer: READ_BUFFER,
        callback: (bytes: number, buffer: Uint8Array) => this.onRead(bytes, buffer),
      },
    });
    this.socket.on('close', () => {
      this.closed = true;
      events.onClose(this);
    });
    this.socket.on('error', (error) => this.failed(error));
  }

  /** Connects and performs the upgrade handshake; resolves once the server answered 101. */
  static connect(port: number, path: string, events: LeanSocketEvents): Promise<LeanSocket> {
    const lean = new LeanSocket(port, events);
    return new Promise((resolve, reject) => {
      lean.upgraded = () => resolve(lean);
      lean.failed = reject;
      lean.socket.once('connect', () =>
        lean.socket.write(
          `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
            'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
        ),
      );
    });
  }

  /** Sends one text frame (masked with a zero key). */
  sendText(text: string): void {
    const length = Buffer.byteLength(text);
    const header = length < 126 ? 6 : 8;
    const frame = Buffer.allocUnsafe(header + length);
    frame[0] = 0x81;
    if (length < 126) {
      frame[1] = 0x80 | length;
    } else {
      frame[1] = 0x80 | 126;
      frame.writeUInt16BE(length, 2);
    }
    frame.writeUInt32BE(0, header - 4);
    frame.write(text, header);
    this.socket.write(frame);
  }

  /** Stops reading (a slow consumer); the server's writes back up. */
  pause(): void {
    this.socket.pause();
  }

  close(): void {
    this.socket.destroy();
  }

  private onRead(bytes: number, shared: Uint8Array): boolean {
    const chunk = Buffer.from(shared.buffer, shared.byteOffset, bytes);
    let buffer = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    if (!this.open) {
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) {
        this.pending = Buffer.from(buffer);
        return true;
      }
      if (buffer.toString('latin1', 9, 12) !== '101') {
        this.failed(new Error(buffer.toString('latin1', 0, end)));
        return true;
      }
      this.open = true;
      buffer = buffer.subarray(end + 4);
      this.upgraded();
    }
    const rest = this.parseFrames(buffer);
    this.pending = rest === buffer.length ? EMPTY : Buffer.from(buffer.subarray(rest));
    return true;
  }

  /** Handles every complete frame; returns the offset of an incomplete last one. */
  private parseFrames(buffer: Buffer): number {
    let offset = 0;
    while (buffer.length - offset >= 2) {
      const opcode = (buffer[offset] as number) & 0x0f;
      let length = (buffer[offset + 1] as number) & 0x7f;
      let start = offset + 2;
      if (length === 126) {
        if (buffer.length - offset < 4) break;
        length = buffer.readUInt16BE(offset + 2);
        start += 2;
      } else if (length === 127) {
        if (buffer.length - offset < 10) break;
        length = buffer.readUInt32BE(offset + 6);
        start += 8;
      }
      const end = start + length;
      if (buffer.length < end) break;
      if (opcode === TEXT) this.events.onText(this, buffer, start, end);
      else if (opcode === PING) this.pong(buffer.subarray(start, end));
      else if (opcode === CLOSE) this.socket.end();
      offset = end;
    }
    return offset;
  }

  private pong(payload: Buffer): void {
    this.socket.write(
      Buffer.concat([Buffer.from([0x8a, 0x80 | payload.length, 0, 0, 0, 0]), payload]),
    );
  }
}
