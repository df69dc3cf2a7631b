/** A connection the idle sweep can check. */
export interface IdlePeer {
  /** When the client last sent something (epoch ms); pongs do not count. */
  readonly lastHeardAt: number;
  /** Ends the connection for having been idle too long. */
  expireIdle(): void;
}

/**
 * Disconnects clients that have sent nothing for `idleMs` (`--idle`). One timer for all
 * peers, like Keepalive: each check costs a comparison per peer, and a peer is expired at most
 * a tenth of the timeout (and never more than a second) late.
 */
export class IdleSweep {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly peers: Iterable<IdlePeer>,
    private readonly idleMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Starts checking; does nothing when the timeout is 0 (off). */
  start(): void {
    if (this.idleMs <= 0) return;
    const every = Math.min(1000, Math.max(20, this.idleMs / 10));
    this.timer = setInterval(() => this.expireIdle(), every).unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private expireIdle(): void {
    const cutoff = this.now() - this.idleMs;
    for (const peer of [...this.peers]) if (peer.lastHeardAt <= cutoff) peer.expireIdle();
  }
}
