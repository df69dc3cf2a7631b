import type { Logger } from '../../logging/logger.js';
import { copyLines } from './indexed-lines.js';
import type { JsonlFile } from './jsonl-file.js';
import type { OffsetIndex } from './offset-index.js';
import type { ReadGate } from './read-gate.js';

/**
 * Keeps one room's file near its retention: past a threshold, the file is rewritten with its
 * last `retention` messages. The kept lines are copied from the file as they are, as bytes, so
 * the rewrite never drops or alters a message inside the retention window.
 */
export class RoomCompaction {
  /** Past this many messages in the file, it is rewritten with the last `retention`. */
  private compactAt: number;

  constructor(
    private readonly file: JsonlFile,
    private readonly index: OffsetIndex,
    private readonly gate: ReadGate,
    private readonly retention: number,
    private readonly logger: Logger,
  ) {
    this.compactAt = compactionThreshold(retention);
  }

  /**
   * Compacts the file if it has grown past the threshold. Run between two group-commit batches,
   * so appends wait meanwhile; reads of the file wait too (the gate). A failed rewrite leaves
   * the file intact and is tried again once another `retention` messages have come.
   */
  async compactIfDue(): Promise<void> {
    const { file, index } = this;
    const count = index.count;
    if (count < this.compactAt) return;
    const first = count - this.retention;
    try {
      await this.gate.alone(() =>
        file.rewrite(
          (next) => copyLines(file, index, first, count, next),
          () => index.keepFrom(first),
        ),
      );
      this.compactAt = compactionThreshold(this.retention);
    } catch (error) {
      this.logger.error({ err: error, path: file.path }, 'compaction failed; the file is intact');
      this.compactAt = index.count + this.retention; // try again later, not on every write
    }
  }
}

/**
 * A file is compacted once it holds twice the retention: each message is then copied about
 * once, and the file never holds much more than twice what is kept.
 */
function compactionThreshold(retention: number): number {
  return 2 * retention + 16;
}
