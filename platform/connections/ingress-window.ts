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
 * Backpressure on what a client sends, shared by every transport. The connection stops reading
 * for either of two reasons, so the kernel's buffers and then TCP flow control hold the client
 * back instead of the heap:
 *
 * - **the server is behind:** messages read but not yet handled (stored and fanned out) are
 *   counted; at either limit reading stops, until the backlog has halved (a disk that falls
 *   behind a flood would otherwise queue every message in memory);
 * - **the client is behind:** what was written to it (answers, errors, prompts) has not been
 *   taken by the network yet; reading stops until it has, so a client that asks and never reads
 *   the answers costs neither memory nor time;
 * - **its turn is over:** a transport that has handed on many inputs in one turn of the event
 *   loop yields until the next, so one client's burst cannot hold the loop from the others.
 *
 * The limits are soft by what the transport had already buffered when it paused (a WebSocket
 * parser still emits the frames of the chunk it holds); one message larger than `maxBytes`
 * is always admitted, so no client can wedge itself.
 */
export class IngressWindow {
  private messages = 0;
  private bytes = 0;
  private backlogged = false;
  private waitingForOutput = false;
  private yielding = false;
  private paused = false;

  constructor(
    private readonly source: PausableSource,
    private readonly limits: IngressLimits = DEFAULT_INGRESS_LIMITS,
  ) {}

  /** Bytes admitted and not yet released: what the client has sent and the server holds. */
  get bytesInFlight(): number {
    return this.bytes;
  }

  /** True while reading is stopped, for any reason. */
  get isPaused(): boolean {
    return this.paused;
  }

  /**
   * True while reading is stopped because the server has not handled what the client sent: the
   * client is not to blame (its pongs, say, wait unread behind its messages).
   */
  get isWaitingOnServer(): boolean {
    return this.backlogged;
  }

  /** Counts one message of `bytes` in; `release(bytes)` it, exactly once, when handled. */
  admit(bytes: number): void {
    this.messages++;
    this.bytes += bytes;
    if (!this.backlogged && this.isFull()) this.backlogged = true;
    this.apply();
  }

  /** Counts one admitted message of `bytes` out: it has been handled (or refused). */
  release(bytes: number): void {
    this.messages--;
    this.bytes -= bytes;
    if (this.backlogged && this.hasDrained()) this.backlogged = false;
    this.apply();
  }

  /** The client has not taken what was written to it: read nothing more until `outputTaken`. */
  holdForOutput(): void {
    this.waitingForOutput = true;
    this.apply();
  }

  /** The client has taken what was written to it (the socket drained). */
  outputTaken(): void {
    this.waitingForOutput = false;
    this.apply();
  }

  /** Reads nothing more in this turn of the event loop; reading goes on in the next. */
  yieldTurn(): void {
    if (this.yielding) return;
    this.yielding = true;
    this.apply();
    setImmediate(() => {
      this.yielding = false;
      this.apply();
    });
  }

  private apply(): void {
    const pause = this.backlogged || this.waitingForOutput || this.yielding;
    if (pause === this.paused) return;
    this.paused = pause;
    if (pause) this.source.pause();
    else this.source.resume();
  }

  private isFull(): boolean {
    return this.messages >= this.limits.maxMessages || this.bytes >= this.limits.maxBytes;
  }

  private hasDrained(): boolean {
    return this.messages <= this.limits.maxMessages / 2 && this.bytes <= this.limits.maxBytes / 2;
  }
}
