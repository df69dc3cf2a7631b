import type { FileHandle } from 'node:fs/promises';

/** How a file is read: chunk by chunk, lines longer than a maximum never assembled. */
export interface ScanOptions {
  readonly chunkBytes: number;
  /** Longer lines are reported as too long instead of being read into memory. */
  readonly maxLineBytes: number;
}

/**
 * A message line is at most about 16 MiB (`--max-message-bytes` accepts no more), so 64 MiB
 * leaves room while bounding what one line can cost to read.
 */
export const SCAN_DEFAULTS: ScanOptions = { chunkBytes: 128 * 1024, maxLineBytes: 64 << 20 };

/**
 * Called for each complete line: its bytes without the newline (a view, valid only during the
 * call; undefined when the line is longer than the maximum), its 1-based number, the offset of
 * its first byte and its length in bytes, newline included.
 */
export type LineVisitor = (
  bytes: Buffer | undefined,
  line: number,
  offset: number,
  length: number,
) => void;

/** What a scan found past the lines it handed over. */
export interface ScanEnd {
  /** Offset just past the last complete line (the file's first byte when it has none). */
  readonly complete: number;
  /** Bytes in the file: past `complete` lies a last line without its newline. */
  readonly size: number;
  /** Complete lines seen. */
  readonly lines: number;
  /** That unfinished last line, unless it is longer than the maximum. */
  readonly tail: Buffer | undefined;
}

/** A UTF-8 byte order mark, as some editors put at the start of a file. */
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Reads a file front to back, a chunk at a time (never the whole file at once), and hands
 * each complete line to `visit`; a line may span chunks. A byte order mark at the start is
 * skipped. Each chunk is one positioned read, so the event loop turns between chunks.
 */
export async function scanLines(
  handle: FileHandle,
  visit: LineVisitor,
  options: ScanOptions = SCAN_DEFAULTS,
): Promise<ScanEnd> {
  const chunk = Buffer.allocUnsafe(options.chunkBytes);
  const partial = new PartialLine(options.maxLineBytes);
  let position = 0;
  let lineStart = 0;
  let lines = 0;
  for (;;) {
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
    if (bytesRead === 0) break;
    const data = chunk.subarray(0, bytesRead);
    let from = position === 0 && startsWithBom(data) ? BOM.length : 0;
    lineStart = position === 0 ? from : lineStart;
    for (let newline = data.indexOf(0x0a, from); newline !== -1;) {
      const end = position + newline + 1;
      visit(partial.end(data.subarray(from, newline)), ++lines, lineStart, end - lineStart);
      lineStart = end;
      from = newline + 1;
      newline = data.indexOf(0x0a, from);
    }
    partial.add(data.subarray(from));
    position += bytesRead;
  }
  const tail = position > lineStart ? partial.end(Buffer.alloc(0)) : undefined;
  return { complete: lineStart, size: position, lines, tail };
}

function startsWithBom(data: Buffer): boolean {
  return data.length >= BOM.length && data.subarray(0, BOM.length).equals(BOM);
}

/** The pieces of a line that spans chunks, copied (the chunk is reused) up to the maximum. */
class PartialLine {
  private pieces: Buffer[] = [];
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  /** Keeps a piece of the line; once the line is too long, only counts. */
  add(piece: Buffer): void {
    if (piece.length === 0) return;
    this.bytes += piece.length;
    if (this.bytes > this.maxBytes) this.pieces = [];
    else this.pieces.push(Buffer.from(piece));
  }

  /** The whole line ending with `last`, or undefined when too long; then starts afresh. */
  end(last: Buffer): Buffer | undefined {
    const bytes = this.bytes + last.length;
    const pieces = this.pieces;
    this.pieces = [];
    this.bytes = 0;
    if (bytes > this.maxBytes) return undefined;
    return pieces.length === 0 ? last : Buffer.concat([...pieces, last], bytes);
  }
}
