/** The reading side of one connection: a WebSocket or a TCP socket. */
export interface PausableSource {
  pause(): void;
  resume(): void;
}

/** How much one client may have taken in and not yet handled. */
export interface IngressLimits {
  readonly maxMessages: number;
  readonly maxBytes: number;
}

/** What every connection gets: room for a publisher's burst, yet a bounded heap per client. */
export const DEFAULT_INGRESS_LIMITS: IngressLimits = { maxMessages: 64, maxBytes: 256 * 1024 };

/**
 * Backpressure on what a client sends, shared by every transport. Messages read but not yet
 * handled (stored and fanned out) are counted; at either limit the connection stops reading,
 * so the kernel's buffers and then TCP flow control hold the client back instead of the heap
 * (a disk that falls behind a flood would otherwise queue every message in memory). Reading
 * resumes once the backlog has halved, so a paused client is not woken for every message.
 *
 * The limits are soft by what the transport had already buffered when it paused (a WebSocket
 * parser still emits the frames of the chunk it holds); one message larger than `maxBytes`
 * is always admitted, so no client can wedge itself.
 */
export class IngressWindow {
  private messages = 0;
  private bytes = 0;
  private paused = false;

  constructor(
    private readonly source: PausableSource,
    private readonly limits: IngressLimits = DEFAULT_INGRESS_LIMITS,
  ) {}

  /** True while reading is stopped because the client is too far ahead of the server. */
  get isPaused(): boolean {
    return this.paused;
  }

  /** Counts one message of `bytes` in; `release(bytes)` it, exactly once, when handled. */
  admit(bytes: number): void {
    this.messages++;
    this.bytes += bytes;
    if (!this.paused && this.isFull()) {
      this.paused = true;
      this.source.pause();
    }
  }

  /** Counts one admitted message of `bytes` out: it has been handled (or refused). */
  release(bytes: number): void {
    this.messages--;
    this.bytes -= bytes;
    if (this.paused && this.hasDrained()) {
      this.paused = false;
      this.source.resume();
    }
  }

  private isFull(): boolean {
    return this.messages >= this.limits.maxMessages || this.bytes >= this.limits.maxBytes;
  }

  private hasDrained(): boolean {
    return this.messages <= this.limits.maxMessages / 2 && this.bytes <= this.limits.maxBytes / 2;
  }
}
