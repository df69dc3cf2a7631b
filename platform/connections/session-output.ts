import { BacklogLimit } from './backlog-limit.js';
import type { IngressWindow } from './ingress-window.js';
import type { SessionLink } from './session-link.js';

/**
 * Everything a session sends, bounded. Every byte queued for the client counts toward
 * `--send-buffer-limit`, whatever produced it: room events, answers, errors, prompts (history
 * the client asked for by joining excepted: see BacklogLimit). While answers wait for the
 * network, the client's input is not read: a client that asks and never reads costs nothing.
 */
export class SessionOutput {
  private readonly backlog: BacklogLimit;

  constructor(
    private readonly link: SessionLink,
    limitBytes: number,
    private readonly ingress: IngressWindow,
  ) {
    this.backlog = new BacklogLimit(limitBytes);
  }

  /**
   * Writes one room event; false, writing nothing, when the client is already past its bound
   * (a slow consumer: the room must not wait for it). History replayed on join is written and
   * excused.
   */
  event(bytes: Buffer, replayed: boolean): boolean {
    if (bytes.length === 0) return true; // a dialect with no form for this event
    if (replayed) {
      this.link.write(bytes);
      this.backlog.excuse(this.link.queuedBytes);
      return true;
    }
    if (this.backlog.isExceeded(this.link.queuedBytes)) return false;
    this.link.write(bytes);
    return true;
  }

  /** Writes an answer, an error or a prompt; false when that put the client past its bound. */
  send(bytes: Buffer): boolean {
    if (bytes.length === 0) return true;
    this.link.write(bytes);
    if (this.backlog.isExceeded(this.link.queuedBytes)) return false;
    if (this.link.backedUp) this.ingress.holdForOutput();
    return true;
  }
}
