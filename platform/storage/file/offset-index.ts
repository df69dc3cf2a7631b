/** Entries an empty index makes room for: a quiet room costs a few hundred bytes. */
const INITIAL_CAPACITY = 16;

/**
 * Where each message of a room file is, in seq order: its seq, the offset of its line and the
 * line's length (newline included). Three typed arrays that grow by doubling, 20 bytes an
 * entry and no object per message: a file at its compaction threshold (2 × retention + 16
 * lines) costs about 400 KB with the default retention of 10,000.
 */
export class OffsetIndex {
  private seqs = new Float64Array(INITIAL_CAPACITY);
  private offsets = new Float64Array(INITIAL_CAPACITY);
  private lengths = new Uint32Array(INITIAL_CAPACITY);
  private size = 0;

  /** Entries held. */
  get count(): number {
    return this.size;
  }

  /** The seq of the last entry, 0 when there is none. */
  get lastSeq(): number {
    return this.size === 0 ? 0 : this.seqAt(this.size - 1);
  }

  seqAt(entry: number): number {
    return this.seqs[entry] ?? Number.NaN;
  }

  offsetAt(entry: number): number {
    return this.offsets[entry] ?? Number.NaN;
  }

  lengthAt(entry: number): number {
    return this.lengths[entry] ?? Number.NaN;
  }

  /** Adds an entry at the end (seq order is the caller's to keep; see IndexBuilder). */
  push(seq: number, offset: number, length: number): void {
    if (this.size === this.seqs.length) this.grow();
    this.seqs[this.size] = seq;
    this.offsets[this.size] = offset;
    this.lengths[this.size] = length;
    this.size++;
  }

  /** The first entry whose seq is greater than `seq` (`count` when there is none). */
  firstAfter(seq: number): number {
    let low = 0;
    let high = this.size;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.seqAt(middle) <= seq) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /**
   * Keeps the entries from `first` on, placed back to back from offset 0: where their lines
   * are once the file is rewritten with exactly those lines, in order (see copyLines).
   */
  keepFrom(first: number): void {
    let offset = 0;
    for (let from = first, to = 0; from < this.size; from++, to++) {
      this.seqs[to] = this.seqAt(from);
      this.offsets[to] = offset;
      this.lengths[to] = this.lengthAt(from);
      offset += this.lengthAt(from);
    }
    this.size = Math.max(0, this.size - first);
  }

  private grow(): void {
    const capacity = this.seqs.length * 2;
    this.seqs = copiedInto(new Float64Array(capacity), this.seqs);
    this.offsets = copiedInto(new Float64Array(capacity), this.offsets);
    this.lengths = copiedInto(new Uint32Array(capacity), this.lengths);
  }
}

function copiedInto<T extends Float64Array | Uint32Array>(target: T, source: T): T {
  target.set(source);
  return target;
}
