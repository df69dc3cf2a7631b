import type { FileHandle } from 'node:fs/promises';
import { COPY_CHUNK_BYTES, writeFully } from './file-io.js';
import type { JsonlFile } from './jsonl-file.js';
import type { OffsetIndex } from './offset-index.js';

/** Entries whose lines lie back to back in the file: one read covers them all. */
interface Run {
  readonly first: number;
  readonly end: number;
  readonly offset: number;
  readonly bytes: number;
}

/**
 * The lines of entries [first, end) of the index, each without its newline: one positioned
 * read per run of adjacent lines, so a page costs reads in proportion to its own size.
 */
export async function readLines(
  file: JsonlFile,
  index: OffsetIndex,
  first: number,
  end: number,
): Promise<Buffer[]> {
  const lines: Buffer[] = [];
  for (const run of runs(index, first, end)) {
    const bytes = Buffer.allocUnsafe(run.bytes);
    await file.readAt(bytes, run.bytes, run.offset);
    for (let entry = run.first, at = 0; entry < run.end; entry++) {
      const length = index.lengthAt(entry);
      lines.push(bytes.subarray(at, at + length - 1));
      at += length;
    }
  }
  return lines;
}

/**
 * Copies the lines of entries [first, end) into `next`, back to back in index order, as bytes
 * (nothing parsed or re-encoded) and a chunk at a time; resolves with the bytes written.
 */
export async function copyLines(
  file: JsonlFile,
  index: OffsetIndex,
  first: number,
  end: number,
  next: FileHandle,
): Promise<number> {
  const chunk = Buffer.allocUnsafe(COPY_CHUNK_BYTES);
  let written = 0;
  for (const run of runs(index, first, end)) {
    for (let done = 0; done < run.bytes;) {
      const size = Math.min(chunk.length, run.bytes - done);
      await file.readAt(chunk, size, run.offset + done);
      await writeFully(next, chunk.subarray(0, size));
      done += size;
    }
    written += run.bytes;
  }
  return written;
}

function* runs(index: OffsetIndex, first: number, end: number): Generator<Run> {
  for (let start = first; start < end;) {
    const offset = index.offsetAt(start);
    let stop = start + 1;
    let bytes = index.lengthAt(start);
    while (stop < end && index.offsetAt(stop) === offset + bytes) bytes += index.lengthAt(stop++);
    yield { first: start, end: stop, offset, bytes };
    start = stop;
  }
}
