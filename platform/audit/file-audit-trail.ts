import { open, type FileHandle } from 'node:fs/promises';
import type { AuditEntry, AuditTrail } from '../../business/ports/audit-trail.js';
import type { Clock } from '../../business/ports/clock.js';
import type { Logger } from '../logging/logger.js';
import { shiftRotatedFiles } from './rotate-files.js';

/** Where the audit log goes and how much room it may take, on disk and in memory. */
export interface FileAuditTrailOptions {
  /** The log file: created (mode 0o640) if missing, appended to if present. */
  readonly path: string;
  /** Rotate before the file would pass this many bytes; 0 never rotates. */
  readonly maxBytes: number;
  /** Rotated files kept: FILE.1 newest … FILE.maxFiles oldest; 0 keeps none. */
  readonly maxFiles: number;
  /** Entries waiting for the disk may hold this many bytes; past it new ones are dropped. */
  readonly maxQueuedBytes?: number;
}

export const DEFAULT_MAX_QUEUED_BYTES = 4 * 1024 * 1024;

/** Keeps one write, and the string built for it, bounded when a long queue drains. */
const MAX_BATCH_BYTES = 1024 * 1024;

interface Line {
  readonly text: string;
  readonly bytes: number;
}

interface OpenedFile {
  readonly handle: FileHandle;
  readonly size: number;
  readonly regular: boolean;
}

/**
 * The audit trail as JSON lines in a file, rotated by size. `record` only queues: one writer
 * drains the queue a batch at a time, so a slow or failing disk costs dropped entries and a few
 * log lines, never a stalled or crashed conversation.
 */
export class FileAuditTrail implements AuditTrail {
  private readonly queue: Line[] = [];
  /** Queued bytes plus the batch being written: that batch is still in memory. */
  private heldBytes = 0;
  /** Entries refused since the last report (queue full). */
  private dropped = 0;
  private writing = false;
  private drained: Promise<void> = Promise.resolve();
  /** True from a failed write to the next successful one: one error per streak. */
  private failing = false;
  private lostWhileFailing = 0;
  /** Bytes in the current file, as far as this process knows (fstat at open plus writes). */
  private size: number;
  private rotateAt: number;
  private closed = false;
  private closing: Promise<void> | undefined;

  private constructor(
    private file: OpenedFile,
    private readonly options: Required<FileAuditTrailOptions>,
    private readonly logger: Logger,
    private readonly clock: Clock,
  ) {
    this.size = file.size;
    this.rotateAt = options.maxBytes;
  }

  /** Opens (or creates) the log file; rejects, naming the path, when it cannot. */
  static async open(
    options: FileAuditTrailOptions,
    logger: Logger,
    clock: Clock,
  ): Promise<FileAuditTrail> {
    const resolved = {
      ...options,
      maxQueuedBytes: options.maxQueuedBytes ?? DEFAULT_MAX_QUEUED_BYTES,
    };
    for (const name of ['maxBytes', 'maxFiles', 'maxQueuedBytes'] as const) {
      const value = resolved[name];
      if (!Number.isSafeInteger(value) || value < 0) {
        throw new Error(`audit log ${name} must be a whole number ≥ 0, not ${value}`);
      }
    }
    const file = await openAppending(resolved.path);
    return new FileAuditTrail(file, resolved, logger, clock);
  }

  record(entry: AuditEntry): void {
    if (this.closed) return;
    const line = this.format(entry);
    if (line === undefined || this.heldBytes + line.bytes > this.options.maxQueuedBytes) {
      this.dropped += 1;
    } else {
      this.queue.push(line);
      this.heldBytes += line.bytes;
    }
    this.startWriting();
  }

  /** Writes what is queued (or gives up on it), then releases the file. Never rejects. */
  close(): Promise<void> {
    this.closing ??= this.finish();
    return this.closing;
  }

  private async finish(): Promise<void> {
    this.closed = true;
    await this.drained;
    try {
      await this.file.handle.close();
    } catch (error) {
      this.logger.error({ err: error, path: this.options.path }, 'cannot close the audit log');
    }
  }

  private format(fields: object): Line | undefined {
    try {
      const at = new Date(this.clock.now()).toISOString();
      const text = `${JSON.stringify({ at, ...fields })}\n`;
      return { text, bytes: Buffer.byteLength(text) };
    } catch {
      // Only a clock returning an invalid time gets here; the caller must not see it.
      return undefined;
    }
  }

  private startWriting(): void {
    if (this.writing) return;
    this.writing = true;
    this.drained = this.writeAll();
  }

  private async writeAll(): Promise<void> {
    try {
      while (this.queue.length > 0 || this.dropped > 0) await this.writeBatch();
    } finally {
      // Cleared in the same turn as the last look at the queue, so no entry is left behind.
      this.writing = false;
    }
  }

  /** Never rejects: every failure is logged and costs only the batch. */
  private async writeBatch(): Promise<void> {
    this.reportDropped();
    const first = this.queue[0];
    if (first === undefined) return;
    const rotating = this.file.regular && this.options.maxBytes > 0;
    if (rotating && this.size > 0 && this.size + first.bytes > this.rotateAt) await this.rotate();
    const room = rotating ? this.rotateAt - this.size : MAX_BATCH_BYTES;
    const batch = this.take(Math.min(room, MAX_BATCH_BYTES));
    try {
      await this.file.handle.appendFile(batch.text);
      this.size += batch.bytes;
      this.writeSucceeded();
    } catch (error) {
      this.writeFailed(error, batch.count);
    } finally {
      this.heldBytes -= batch.bytes;
    }
  }

  /** Takes queued lines up to `limit` bytes, but always at least one (an oversized line). */
  private take(limit: number): { text: string; bytes: number; count: number } {
    let count = 0;
    let bytes = 0;
    for (const line of this.queue) {
      if (count > 0 && bytes + line.bytes > limit) break;
      count += 1;
      bytes += line.bytes;
    }
    const text = this.queue
      .splice(0, count)
      .map((line) => line.text)
      .join('');
    return { text, bytes, count };
  }

  private reportDropped(): void {
    if (this.dropped === 0) return;
    const count = this.dropped;
    this.dropped = 0;
    this.logger.warn(
      { path: this.options.path, count },
      'audit log could not keep up: entries dropped',
    );
    // Leaves the gap visible in the log itself, not only in the server's own logs.
    const marker = this.format({ event: 'audit_entries_dropped', count });
    if (marker === undefined) return;
    this.queue.push(marker);
    this.heldBytes += marker.bytes;
  }

  private writeSucceeded(): void {
    if (!this.failing) return;
    this.failing = false;
    this.logger.info(
      { path: this.options.path, lost: this.lostWhileFailing },
      'audit log writable again',
    );
    this.lostWhileFailing = 0;
  }

  private writeFailed(error: unknown, count: number): void {
    this.lostWhileFailing += count;
    if (this.failing) return;
    this.failing = true;
    this.logger.error(
      { err: error, path: this.options.path },
      'cannot write the audit log; dropping entries until it works again',
    );
  }

  private async rotate(): Promise<void> {
    const { path, maxBytes, maxFiles } = this.options;
    const old = this.file;
    try {
      await shiftRotatedFiles(path, maxFiles);
      this.file = await openAppending(path);
    } catch (error) {
      // Retrying on every batch would log (and shift files) at the pace of traffic: wait until
      // the current file has grown by another maxBytes.
      this.rotateAt = this.size + maxBytes;
      this.logger.error({ err: error, path }, 'cannot rotate the audit log; writing on in it');
      return;
    }
    this.size = this.file.size;
    this.rotateAt = maxBytes;
    try {
      await old.handle.close();
    } catch (error) {
      this.logger.warn({ err: error, path }, 'cannot close the rotated audit log');
    }
  }
}

/** Opens for appending; only a regular file may be rotated (never /dev/full or a FIFO). */
async function openAppending(path: string): Promise<OpenedFile> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'a', 0o640);
  } catch (error) {
    throw new Error(`cannot open audit log ${path}: ${reason(error)}`, { cause: error });
  }
  try {
    const stats = await handle.stat();
    return { handle, size: stats.size, regular: stats.isFile() };
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw new Error(`cannot stat audit log ${path}: ${reason(error)}`, { cause: error });
  }
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
