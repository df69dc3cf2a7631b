import type { Logger } from '../../logging/logger.js';

/** Lines listed one by one per file; past that, one line says how many more were skipped. */
const LISTED = 100;

/**
 * Tells the operator what recovery of one data file did not use, with the file's path and
 * each line's number (warn: data is being left out). A file full of garbage yields at most
 * LISTED lines of log and a count, not a line of log per line of garbage.
 */
export class DamageReport {
  private skipped = 0;

  constructor(
    private readonly logger: Logger,
    readonly path: string,
  ) {}

  /** A complete line that recovery leaves out (kept in the file, not used). */
  skip(line: number, reason: string): void {
    if (++this.skipped > LISTED) return;
    this.logger.warn(
      { path: this.path, line, reason },
      'line skipped; the rest of the file is used',
    );
  }

  /** A last line cut short by a crash, moved to `savedTo` and cut off the file. */
  tornTail(line: number, bytes: number, savedTo: string): void {
    this.logger.warn(
      { path: this.path, line, bytes, savedTo },
      'torn last line (crash during write) set aside',
    );
  }

  /** Says how many lines were skipped beyond those listed; call once recovery is done. */
  finish(): void {
    if (this.skipped <= LISTED) return;
    this.logger.warn(
      { path: this.path, skipped: this.skipped, listed: LISTED },
      'more lines skipped than listed',
    );
  }
}
