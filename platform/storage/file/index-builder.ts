import { OffsetIndex } from './offset-index.js';

/**
 * Builds a room file's OffsetIndex from its message lines in file order, which need not be
 * seq order (a file edited by hand, or pieced together): every message is kept, in seq order,
 * and of two lines with the same seq the first in the file is kept and the other reported.
 */
export class IndexBuilder {
  /** Entries in file order. */
  private readonly entries = new OffsetIndex();
  /** The line number of each entry, to report a duplicate by. */
  private readonly lines: number[] = [];
  private inOrder = true;

  add(seq: number, offset: number, length: number, line: number): void {
    if (seq <= this.entries.lastSeq) this.inOrder = false;
    this.entries.push(seq, offset, length);
    this.lines.push(line);
  }

  /** The index in seq order; `duplicate` hears of each line left out, and of the line kept. */
  build(duplicate: (line: number, seq: number, keptLine: number) => void): OffsetIndex {
    if (this.inOrder) return this.entries;
    const { entries, lines } = this;
    const order = Array.from({ length: entries.count }, (_, entry) => entry);
    order.sort((a, b) => entries.seqAt(a) - entries.seqAt(b) || a - b); // ties: file order
    const index = new OffsetIndex();
    let kept = -1;
    for (const entry of order) {
      const seq = entries.seqAt(entry);
      if (kept >= 0 && seq === entries.seqAt(kept)) {
        duplicate(lines[entry] ?? 0, seq, lines[kept] ?? 0);
        continue;
      }
      index.push(seq, entries.offsetAt(entry), entries.lengthAt(entry));
      kept = entry;
    }
    return index;
  }
}
