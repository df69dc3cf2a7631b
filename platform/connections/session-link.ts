/** How a connection ended, as its transport saw it. */
export type LinkEnding =
  /** The client closed it properly: a close frame, a FIN after its last line, the end of a stream it ended. */
  | 'closed'
  /** It dropped: a reset, a socket closed without a close frame, a network error. */
  | 'dropped'
  /** The client broke the transport's protocol (a bad frame, invalid UTF-8, a frame too big). */
  | 'protocol_error';

/**
 * What a transport gives a session: the connection itself, reduced to what a chat needs. Each
 * transport implements it in a short adapter (`ws-link`, `tcp-link`, `sse-link`); the session
 * never knows which.
 */
export interface SessionLink {
  /**
   * Queues bytes already encoded for this link (a frame, lines, an SSE event) for the client.
   * Never waits and never throws; writes of one event-loop turn may leave together.
   */
  write(bytes: Buffer): void;
  /** Bytes written for the client and not yet taken by the network. */
  readonly queuedBytes: number;
  /** True while more than the transport's high-water mark is queued; `onDrain` says when not. */
  readonly backedUp: boolean;
  /** Called each time the queue has drained after being backed up. */
  onDrain(listener: () => void): void;
  /** Stops reading what the client sends (it waits in the kernel, then in the client). */
  pause(): void;
  /** Reads what the client sends again. */
  resume(): void;
  /**
   * Ends the connection gracefully: what was written still goes out, then a close frame with
   * `code` and `reason` (WebSocket) or the end of the stream (TCP, SSE). Idempotent.
   */
  close(code: number, reason: string): void;
  /** Cuts the connection at once. */
  terminate(): void;
  /**
   * Sends a keepalive probe; true when the client must answer it (`SessionLink.onPong`), false
   * when the probe needs no answer (an SSE comment line). Absent when the transport has none.
   */
  ping?(): boolean;
  /** Called when the client answers a keepalive probe. */
  onPong?(listener: () => void): void;
  /** Called once when the connection has closed, by either side. */
  onClosed(listener: (ending: LinkEnding) => void): void;
}
