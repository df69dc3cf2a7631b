import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import type { WriteCoalescer } from '../connections/write-coalescer.js';
import type { LinkEnding, SessionLink } from '../connections/session-link.js';

/** What `ws` reports when a connection ended without a close frame (RFC 6455, 7.1.5). */
const ABNORMAL_CLOSURE = 1006;

/**
 * A WebSocket connection as a session sees it. Frames are written to the TCP socket under `ws`
 * directly, whole and pre-built (permessage-deflate is off, so `ws` itself only ever writes
 * whole frames, synchronously, and ours interleave with its pings and closes at frame
 * boundaries), corked per event-loop turn by the coalescer.
 */
export class WsLink implements SessionLink {
  private brokeProtocol = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly socket: Duplex,
    private readonly writes: WriteCoalescer,
  ) {
    // `ws` reports a protocol violation (a bad frame, invalid UTF-8, a frame too big) as an
    // error, then closes with the matching code; the close event alone would say "dropped".
    ws.on('error', () => (this.brokeProtocol = true));
  }

  write(frame: Buffer): void {
    this.writes.write(this.socket, frame);
  }

  get queuedBytes(): number {
    return this.socket.writableLength;
  }

  get backedUp(): boolean {
    return this.socket.writableNeedDrain;
  }

  onDrain(listener: () => void): void {
    this.socket.on('drain', listener);
  }

  pause(): void {
    this.ws.pause();
  }

  resume(): void {
    this.ws.resume();
  }

  // The client's close frame must be read even if its messages were not.
  close(code: number, reason: string): void {
    this.ws.close(code, reason);
    this.ws.resume();
  }

  terminate(): void {
    this.ws.terminate();
  }

  ping(): boolean {
    this.ws.ping();
    return true;
  }

  onPong(listener: () => void): void {
    this.ws.on('pong', listener);
  }

  // The client's close frame, with any code or none (1005, what browsers and `ws` send by
  // default), completes a handshake: it left. Only 1006 means no close frame came.
  onClosed(listener: (ending: LinkEnding) => void): void {
    this.ws.once('close', (code) => {
      if (this.brokeProtocol) listener('protocol_error');
      else listener(code === ABNORMAL_CLOSURE ? 'dropped' : 'closed');
    });
  }
}
