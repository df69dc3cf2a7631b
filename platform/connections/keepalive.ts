/** A connection the keepalive can check. */
export interface KeepalivePeer {
  /** Sends a ping and starts waiting for its answer. */
  ping(): void;
  /** Ends the connection if the last ping was not answered. */
  expireIfSilent(): void;
}

/**
 * Finds dead peers. Every `intervalMs` it pings every peer; `timeoutMs` later it drops those
 * that did not answer. Two timers in all, however many peers: no per-connection timers.
 */
export class Keepalive {
  private sweep: NodeJS.Timeout | undefined;
  private expiry: NodeJS.Timeout | undefined;

  constructor(
    private readonly peers: Iterable<KeepalivePeer>,
    private readonly intervalMs: number,
    private readonly timeoutMs: number,
  ) {}

  /** Starts probing; does nothing when the interval is 0 (off). */
  start(): void {
    if (this.intervalMs <= 0) return;
    this.sweep = setInterval(() => this.pingAll(), this.intervalMs).unref();
  }

  stop(): void {
    clearInterval(this.sweep);
    clearTimeout(this.expiry);
  }

  private pingAll(): void {
    for (const peer of this.peers) peer.ping();
    clearTimeout(this.expiry);
    this.expiry = setTimeout(() => this.expireSilent(), this.timeoutMs).unref();
  }

  private expireSilent(): void {
    for (const peer of [...this.peers]) peer.expireIfSilent();
  }
}
