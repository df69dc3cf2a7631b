import { appendFile, open, truncate, type FileHandle } from 'node:fs/promises';
import type { DamageReport } from './damage-report.js';
import { copyBytes } from './file-io.js';
import {
  scanLines,
  SCAN_DEFAULTS,
  type LineVisitor,
  type ScanEnd,
  type ScanOptions,
} from './line-scanner.js';

/** What `parse` answers for a line that is not JSON (no JSON value is a symbol). */
const NOT_JSON = Symbol('not JSON');

/**
 * Called for each line that holds JSON, in file order: the parsed value, the line's 1-based
 * number, and where its bytes are (offset and length, newline included).
 */
export type RecordVisitor = (record: unknown, line: number, offset: number, length: number) => void;

/**
 * Reads back a JSON-lines file after a possible crash, streaming it (no string or buffer of the
 * whole file is ever built, whatever its size), and resolves with the file's size once repaired:
 *
 * - every complete line that parses as JSON is handed to `visit`; the others (not JSON, longer
 *   than the scan's maximum) are reported to `damage` and left in place;
 * - a last line without its newline is kept, and the newline added, when it is complete JSON;
 *   otherwise it is torn (a crash mid-write): its bytes go to `<file>.torn-<time>` and are cut
 *   off, so that no later line is glued to them.
 *
 * A missing file is an empty one (size 0).
 */
export async function recoverLines(
  path: string,
  visit: RecordVisitor,
  damage: DamageReport,
  options: ScanOptions = SCAN_DEFAULTS,
): Promise<number> {
  const handle = await open(path, 'r').catch(ignoreMissing);
  if (handle === undefined) return 0;
  try {
    const tooLong = `longer than ${options.maxLineBytes} bytes`;
    const visitLine: LineVisitor = (bytes, line, offset, length) => {
      const record = bytes === undefined ? NOT_JSON : parse(bytes);
      if (record !== NOT_JSON) visit(record, line, offset, length);
      else damage.skip(line, bytes === undefined ? tooLong : 'not valid JSON');
    };
    const end = await scanLines(handle, visitLine, options);
    return await repairTail(path, handle, end, visit, damage);
  } finally {
    await handle.close();
  }
}

async function repairTail(
  path: string,
  handle: FileHandle,
  end: ScanEnd,
  visit: RecordVisitor,
  damage: DamageReport,
): Promise<number> {
  if (end.size === end.complete) return end.size;
  const line = end.lines + 1;
  const record = end.tail === undefined ? NOT_JSON : parse(end.tail);
  if (record !== NOT_JSON) {
    await appendFile(path, '\n');
    visit(record, line, end.complete, end.size - end.complete + 1);
    return end.size + 1;
  }
  const savedTo = `${path}.torn-${Date.now()}`;
  const aside = await open(savedTo, 'w');
  try {
    await copyBytes(handle, end.complete, end.size - end.complete, aside);
  } finally {
    await aside.close();
  }
  await truncate(path, end.complete);
  damage.tornTail(line, end.size - end.complete, savedTo);
  return end.complete;
}

function parse(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch {
    return NOT_JSON;
  }
}

function ignoreMissing(error: unknown): undefined {
  if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
  throw error;
}
