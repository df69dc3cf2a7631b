import { ftruncateSync, writeSync } from 'node:fs';
import { open, readFile, rename, rm, writeFile, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { MainThreadWrites } from './main-thread-writes.js';

/** What recovery found wrong in a file, reported so the operator can look. */
export type JsonlDamage =
  | { readonly kind: 'torn_tail'; readonly bytes: number; readonly savedTo: string }
  | { readonly kind: 'corrupt_line'; readonly line: number; readonly reason: string };

/** The content of a JSON-lines file as recovered on open. */
export interface JsonlContent {
  /** Every line that parsed as JSON, in file order. */
  readonly records: unknown[];
  readonly damage: JsonlDamage[];
}

/**
 * An append-only file of JSON lines that survives crashes.
 *
 * - A crash can leave the last line torn (no newline, or not valid JSON). `recover` moves those
 *   bytes to `<file>.torn-<time>` and cuts them off, so no later line is glued to them; a last
 *   line that is complete JSON but lost only its newline is kept and repaired.
 * - A bad line in the middle is reported and skipped, never removed: the rest is kept.
 * - A failed append is cut back off the file, so a half-written batch never joins the history.
 */
export class JsonlFile {
  private handle: FileHandle | undefined;
  private size = 0;
  private broken: Error | undefined;
  /** Appends and closes run one at a time, in call order. */
  private queue: Promise<unknown> = Promise.resolve();
  /** Tasks queued or running in `queue`: while any is, appends queue behind them. */
  private queued = 0;
  /** The periodic sync in flight, if any: it runs beside appends, and close waits for it. */
  private syncing: Promise<void> | undefined;

  private constructor(
    readonly path: string,
    private readonly inPlace: MainThreadWrites | undefined,
  ) {}

  /**
   * Opens (lazily creating) the file and reads back what survived. With `inPlace`, non-durable
   * appends may be written from the main thread while it allows (see `append`).
   */
  static async recover(
    path: string,
    inPlace?: MainThreadWrites,
  ): Promise<{ file: JsonlFile; content: JsonlContent }> {
    await rm(rewritePath(path), { force: true }); // a rewrite cut short by a crash: never used
    const file = new JsonlFile(path, inPlace);
    const bytes = await readFile(path).catch(ignoreMissing);
    const content = bytes === undefined ? emptyContent() : await file.parse(bytes);
    return { file, content };
  }

  /**
   * Reads the complete lines of a file without repairing anything: safe while another holder
   * appends to it (a line still being written is not complete, so it is not returned).
   */
  static async readRecords(path: string): Promise<unknown[]> {
    const bytes = await readFile(path).catch(ignoreMissing);
    if (bytes === undefined) return [];
    return parseLines(bytes.subarray(0, bytes.lastIndexOf(0x0a) + 1).toString('utf8')).records;
  }

  /**
   * Appends whole lines (the text must end with a newline). Resolves once the OS has the bytes,
   * and with `durable` once they are on disk (fdatasync); rejects, and leaves the file as it
   * was, when that could not be done.
   *
   * A non-durable append to an open file with nothing queued is written at once, in place, if
   * `inPlace` allows: handing a few kilobytes to the page cache takes microseconds, less than a
   * round trip through the thread pool, and the batch behind it can then be fanned out in the
   * same turn (as Redis writes its append-only file from its main thread and syncs it from
   * another). Durable appends, appends while the file is being opened, rewritten or closed, and
   * appends while the disk is slow go through the thread pool, in order.
   */
  append(lines: string, durable = false): Promise<void> {
    const handle = this.handle;
    const atOnce =
      !durable && this.queued === 0 && handle !== undefined && this.inPlace?.allowed === true;
    if (!atOnce || this.broken !== undefined) {
      return this.serialize(() => this.appendNow(lines, durable));
    }
    return this.appendAtOnce(handle.fd, lines, this.inPlace);
  }

  /**
   * Replaces the whole file with `lines`, atomically: they go to a new file, which is synced
   * and then renamed over the old one (and the directory synced). A crash at any point leaves
   * either the old file or the new one, complete. Queued with appends, in call order.
   */
  rewrite(lines: string): Promise<void> {
    return this.serialize(async () => {
      if (this.broken !== undefined) throw this.broken;
      const bytes = Buffer.from(lines, 'utf8');
      const next = await open(rewritePath(this.path), 'w');
      try {
        await writeFully(next, bytes);
        await next.datasync();
      } finally {
        await next.close();
      }
      await this.syncing?.catch(() => undefined);
      const old = this.handle;
      this.handle = undefined;
      await old?.close();
      await rename(rewritePath(this.path), this.path);
      await syncDirectory(dirname(this.path));
      this.size = bytes.length;
    });
  }

  /**
   * Forces written data to the disk (fdatasync). A no-op when nothing is open. It does not
   * queue behind appends, nor appends behind it: a sync taking milliseconds must not delay the
   * next message (the kernel orders a write and a concurrent sync by itself).
   */
  sync(): Promise<void> {
    const handle = this.handle;
    if (handle === undefined) return Promise.resolve();
    const syncing = handle.datasync().finally(() => {
      if (this.syncing === syncing) this.syncing = undefined;
    });
    this.syncing = syncing;
    return syncing;
  }

  /** Closes the descriptor once pending appends and any sync are done; the next append reopens it. */
  close(): Promise<void> {
    return this.serialize(async () => {
      await this.syncing?.catch(() => undefined);
      const handle = this.handle;
      this.handle = undefined;
      await handle?.close();
    });
  }

  private serialize<T>(task: () => Promise<T>): Promise<T> {
    this.queued++;
    const run = this.queue.then(task).finally(() => this.queued--);
    this.queue = run.catch(() => undefined);
    return run;
  }

  // async only so that a failure rejects: the write itself is done before this returns.
  // eslint-disable-next-line @typescript-eslint/require-await
  private async appendAtOnce(fd: number, lines: string, pace: MainThreadWrites): Promise<void> {
    const bytes = Buffer.from(lines, 'utf8');
    const started = performance.now();
    try {
      for (let offset = 0; offset < bytes.length;) {
        offset += writeSync(fd, bytes, offset, bytes.length - offset);
      }
      this.size += bytes.length;
      pace.took(performance.now() - started);
    } catch (error) {
      try {
        ftruncateSync(fd, this.size);
      } catch (cause) {
        this.markBroken(cause);
      }
      throw error;
    }
  }

  private async appendNow(lines: string, durable: boolean): Promise<void> {
    if (this.broken !== undefined) throw this.broken;
    const handle = this.handle ?? (await this.openForAppend());
    const bytes = Buffer.from(lines, 'utf8');
    try {
      await writeFully(handle, bytes);
      if (durable) await handle.datasync();
      this.size += bytes.length;
    } catch (error) {
      await this.rollBack(handle);
      throw error;
    }
  }

  private async openForAppend(): Promise<FileHandle> {
    this.handle = await open(this.path, 'a');
    return this.handle;
  }

  private async rollBack(handle: FileHandle): Promise<void> {
    try {
      await handle.truncate(this.size);
    } catch (error) {
      this.markBroken(error);
    }
  }

  // The file may now end in a partial line; refuse further appends until a restart recovers
  // it, rather than glue a good line onto a broken one.
  private markBroken(cause: unknown): void {
    this.broken = new Error(`${this.path} cannot be repaired after a failed write`, { cause });
  }

  private async parse(bytes: Buffer): Promise<JsonlContent> {
    const lastNewline = bytes.lastIndexOf(0x0a);
    const body = bytes.subarray(0, lastNewline + 1);
    const tail = bytes.subarray(lastNewline + 1);
    const content = parseLines(body.toString('utf8'));
    this.size = body.length;
    if (tail.length > 0) await this.recoverTail(tail, content);
    return content;
  }

  private async recoverTail(tail: Buffer, content: JsonlContent): Promise<void> {
    const record = tryParse(tail.toString('utf8'));
    if (record !== undefined) {
      content.records.push(record.value);
      this.size += tail.length;
      await this.append('\n');
      return;
    }
    const savedTo = `${this.path}.torn-${Date.now()}`;
    await writeFile(savedTo, tail);
    const handle = await open(this.path, 'r+');
    await handle.truncate(this.size).finally(() => handle.close());
    content.damage.push({ kind: 'torn_tail', bytes: tail.length, savedTo });
  }
}

function parseLines(text: string): { records: unknown[]; damage: JsonlDamage[] } {
  const records: unknown[] = [];
  const damage: JsonlDamage[] = [];
  const lines = text.split('\n');
  lines.pop(); // the empty string after the final newline
  lines.forEach((line, index) => {
    const record = tryParse(line);
    if (record !== undefined) records.push(record.value);
    else damage.push({ kind: 'corrupt_line', line: index + 1, reason: 'not valid JSON' });
  });
  return { records, damage };
}

function tryParse(line: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(line) as unknown };
  } catch {
    return undefined;
  }
}

async function writeFully(handle: FileHandle, bytes: Buffer): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset);
    offset += bytesWritten;
  }
}

function rewritePath(path: string): string {
  return `${path}.rewrite`;
}

// A rename is durable only once the directory entry is on disk.
async function syncDirectory(path: string): Promise<void> {
  const directory = await open(path, 'r');
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}

function ignoreMissing(error: unknown): undefined {
  if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
  throw error;
}

function emptyContent(): JsonlContent {
  return { records: [], damage: [] };
}
