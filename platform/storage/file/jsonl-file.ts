import { ftruncateSync, writeSync } from 'node:fs';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from '../../logging/logger.js';
import type { DamageReport } from './damage-report.js';
import { readFully, syncDirectory, writeFully } from './file-io.js';
import { recoverLines, type RecordVisitor } from './jsonl-recovery.js';
import type { MainThreadWrites } from './main-thread-writes.js';
import { WriteFailures } from './write-failures.js';

/** What opening a JSON-lines file needs besides its path. */
export interface JsonlOpenOptions {
  /** Sees every line that holds JSON (see recoverLines). */
  readonly visit: RecordVisitor;
  /** Hears about every line recovery leaves out. */
  readonly damage: DamageReport;
  /** Told when writes start failing and when they work again. */
  readonly logger: Logger;
  /** With it, non-durable appends may be written from the main thread (see `append`). */
  readonly inPlace?: MainThreadWrites;
}

/**
 * An append-only file of JSON lines that survives crashes.
 *
 * - On open, the file is read back a chunk at a time (see recoverLines): a torn last line is
 *   set aside, a bad line in the middle is reported and skipped, never removed.
 * - A failed append is cut back off the file, so a half-written batch never joins the history.
 * - Lines can be read back by position while appends go on (`readAt`).
 */
export class JsonlFile {
  private handle: FileHandle | undefined;
  /** Opened on the first positioned read; closed with the file and when it is replaced. */
  private reader: Promise<FileHandle> | undefined;
  private broken: Error | undefined;
  /** Appends and closes run one at a time, in call order. */
  private queue: Promise<unknown> = Promise.resolve();
  /** Tasks queued or running in `queue`: while any is, appends queue behind them. */
  private queued = 0;
  /** The periodic sync in flight, if any: it runs beside appends, and close waits for it. */
  private syncing: Promise<void> | undefined;

  private constructor(
    readonly path: string,
    /** Bytes in the file: where the next append lands. */
    private size: number,
    private readonly failures: WriteFailures,
    private readonly inPlace: MainThreadWrites | undefined,
  ) {}

  /** Reads back what survived in the file (lazily creating it on the first append). */
  static async recover(path: string, options: JsonlOpenOptions): Promise<JsonlFile> {
    await rm(rewritePath(path), { force: true }); // a rewrite cut short by a crash: never used
    const size = await recoverLines(path, options.visit, options.damage);
    const failures = new WriteFailures(options.logger, path);
    return new JsonlFile(path, size, failures, options.inPlace);
  }

  /**
   * Appends whole lines (the bytes must end with a newline) and resolves with the offset they
   * start at, once the OS has them, and with `durable` once they are on disk (fdatasync);
   * rejects, and leaves the file as it was, when that could not be done.
   *
   * A non-durable append to an open file with nothing queued is written at once, in place, if
   * `inPlace` allows: handing a few kilobytes to the page cache takes microseconds, less than a
   * round trip through the thread pool, and the batch behind it can then be fanned out in the
   * same turn (as Redis writes its append-only file from its main thread and syncs it from
   * another). Durable appends, appends while the file is being opened, rewritten or closed, and
   * appends while the disk is slow go through the thread pool, in order.
   */
  append(bytes: Buffer, durable = false): Promise<number> {
    const handle = this.handle;
    const atOnce =
      !durable && this.queued === 0 && handle !== undefined && this.inPlace?.allowed === true;
    if (!atOnce || this.broken !== undefined) {
      return this.serialize(() => this.appendNow(bytes, durable));
    }
    return this.appendAtOnce(handle.fd, bytes, this.inPlace);
  }

  /**
   * Reads `length` bytes at `position` into `into`. A positioned read: it runs beside appends
   * and never moves where they land. The caller makes sure no `rewrite` replaces the file
   * meanwhile (RoomHistory's ReadGate does), since offsets mean nothing across a rewrite.
   */
  async readAt(into: Buffer, length: number, position: number): Promise<void> {
    await readFully(await this.openReader(), into, length, position);
  }

  /**
   * Replaces the whole file, atomically: `fill` writes the new content to a new file (and
   * resolves with its size; it may `readAt` this file meanwhile), which is synced and renamed
   * over the old one, and the directory is synced. A crash at any point leaves either the old
   * file or the new one, complete. `swapped` runs the moment the new file is in place. Queued
   * with appends, in call order.
   */
  rewrite(fill: (next: FileHandle) => Promise<number>, swapped: () => void): Promise<void> {
    return this.serialize(async () => {
      if (this.broken !== undefined) throw this.broken;
      const size = await this.writeReplacement(fill);
      await this.syncing?.catch(() => undefined);
      await this.closeHandles();
      await rename(rewritePath(this.path), this.path);
      this.size = size;
      swapped();
      await syncDirectory(dirname(this.path));
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

  /** Closes the descriptors once pending appends and any sync are done; using the file reopens them. */
  close(): Promise<void> {
    return this.serialize(async () => {
      await this.syncing?.catch(() => undefined);
      await this.closeHandles();
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
  private async appendAtOnce(fd: number, bytes: Buffer, pace: MainThreadWrites): Promise<number> {
    const at = this.size;
    const started = performance.now();
    try {
      for (let offset = 0; offset < bytes.length;) {
        offset += writeSync(fd, bytes, offset, bytes.length - offset);
      }
    } catch (error) {
      this.failures.failed(error);
      try {
        ftruncateSync(fd, at);
      } catch (cause) {
        this.markBroken(cause);
      }
      throw error;
    }
    this.size += bytes.length;
    this.failures.succeeded();
    pace.took(performance.now() - started);
    return at;
  }

  private async appendNow(bytes: Buffer, durable: boolean): Promise<number> {
    const at = this.size;
    let handle: FileHandle | undefined;
    try {
      if (this.broken !== undefined) throw this.broken;
      handle = this.handle ?? (await this.openForAppend());
      await writeFully(handle, bytes);
      if (durable) await handle.datasync();
    } catch (error) {
      this.failures.failed(error);
      if (handle !== undefined) await this.rollBack(handle, at);
      throw error;
    }
    this.size += bytes.length;
    this.failures.succeeded();
    return at;
  }

  private async openForAppend(): Promise<FileHandle> {
    this.handle = await open(this.path, 'a');
    return this.handle;
  }

  private openReader(): Promise<FileHandle> {
    const reader = this.reader ?? open(this.path, 'r');
    this.reader = reader;
    reader.catch(() => {
      if (this.reader === reader) this.reader = undefined; // try again on the next read
    });
    return reader;
  }

  private async writeReplacement(fill: (next: FileHandle) => Promise<number>): Promise<number> {
    const next = await open(rewritePath(this.path), 'w');
    try {
      const size = await fill(next);
      await next.datasync();
      return size;
    } catch (error) {
      await rm(rewritePath(this.path), { force: true });
      throw error;
    } finally {
      await next.close();
    }
  }

  private async closeHandles(): Promise<void> {
    const handle = this.handle;
    const reader = this.reader;
    this.handle = undefined;
    this.reader = undefined;
    await handle?.close();
    await (await reader?.catch(() => undefined))?.close();
  }

  private async rollBack(handle: FileHandle, size: number): Promise<void> {
    try {
      await handle.truncate(size);
    } catch (error) {
      this.markBroken(error);
    }
  }

  // The file may now end in a partial line; refuse further appends until a restart recovers
  // it, rather than glue a good line onto a broken one.
  private markBroken(cause: unknown): void {
    this.failures.unrepairable(cause);
    this.broken = new Error(`${this.path} cannot be repaired after a failed write`, { cause });
  }
}

function rewritePath(path: string): string {
  return `${path}.rewrite`;
}
