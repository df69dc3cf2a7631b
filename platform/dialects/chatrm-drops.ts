import type { Logger } from '../logging/logger.js';

/**
 * What the Chatrm port swallowed: its client cannot be told anything but a private message (any
 * other line crashes it), so an undeliverable message, a malformed line or an error is dropped,
 * logged at info and counted here. The running total is in every such log line (`dropped`).
 */
export class ChatrmDrops {
  private total = 0;

  constructor(private readonly logger: Logger) {}

  /** How many inputs and errors have been dropped since the server started. */
  get count(): number {
    return this.total;
  }

  /** Records one drop: why (an error code or a reason), and a sentence for the log. */
  drop(reason: string, detail: string, participant?: string): void {
    this.total++;
    this.logger.info(
      { transport: 'chatrm', reason, participant, dropped: this.total },
      `chatrm: dropped (${detail})`,
    );
  }
}
