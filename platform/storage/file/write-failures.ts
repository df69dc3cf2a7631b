import type { Logger } from '../../logging/logger.js';
import { errorCode } from './file-io.js';

/**
 * Tells the operator when writes to one file start failing (disk full, read-only, I/O error)
 * and when they work again: one line each way per streak of failures, never one per message,
 * however many are refused meanwhile.
 */
export class WriteFailures {
  private streak = 0;

  constructor(
    private readonly logger: Logger,
    private readonly path: string,
  ) {}

  /** A write failed; what it carried is being refused. */
  failed(error: unknown): void {
    if (this.streak++ > 0) return;
    this.logger.error(
      { path: this.path, code: errorCode(error), err: error },
      'writes to this file fail; what they carry is refused until they work again',
    );
  }

  /**
   * A failed write could not even be cut back off the file, which may now end in half a line:
   * nothing more is written to it until a restart recovers it.
   */
  unrepairable(cause: unknown): void {
    this.logger.error(
      { path: this.path, code: errorCode(cause), err: cause },
      'a failed write could not be cut back; no more writes to this file until a restart',
    );
  }

  /** A write succeeded. Costs one comparison unless a streak just ended: it is on every append. */
  succeeded(): void {
    if (this.streak === 0) return;
    this.logger.info(
      { path: this.path, failedWrites: this.streak },
      'writes to this file work again',
    );
    this.streak = 0;
  }
}
