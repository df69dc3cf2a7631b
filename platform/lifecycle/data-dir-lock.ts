import { closeSync, ftruncateSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';

/** The lock file's name inside the data directory. */
export const LOCK_FILE = 'parley.lock';

/** Who holds a data directory, as the holder wrote it into the lock file. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
}

/** Another process holds the data directory. */
export class DataDirLockedError extends Error {
  override readonly name = 'DataDirLockedError';

  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder | undefined,
  ) {
    super(`data directory ${dataDir} is locked by another process`);
  }
}

/**
 * One server per data directory: two would each count `seq` from what they loaded and write
 * interleaved lines into the same files. The lock is a kernel lock on `parley.lock` (see
 * docs/decisions/0009-data-dir-lock.md), so a server killed with SIGKILL or by a crash holds
 * it no longer: a restart takes it at once. The pid, host and start time written into the file
 * only name the holder in the refusal; nothing is decided from them.
 */
export class DataDirLock {
  private constructor(private fd: number | undefined) {}

  /**
   * Creates the directory if needed and takes its lock.
   * @throws DataDirLockedError when another process holds it.
   */
  static async acquire(dataDir: string): Promise<DataDirLock> {
    const { tryLock } = await import('fs-native-extensions');
    const directory = resolve(dataDir);
    mkdirSync(directory, { recursive: true });
    const path = join(directory, LOCK_FILE);
    // A plain descriptor, not a FileHandle: a FileHandle is closed when garbage collected,
    // and closing it would drop the lock.
    const fd = openSync(path, 'a+');
    if (!tryLock(fd)) {
      closeSync(fd);
      throw new DataDirLockedError(directory, readHolder(path));
    }
    ftruncateSync(fd);
    const holder: LockHolder = {
      pid: process.pid,
      host: hostname(),
      since: new Date().toISOString(),
    };
    writeSync(fd, `${JSON.stringify(holder)}\n`);
    return new DataDirLock(fd);
  }

  /** Lets the directory go (at the end of shutdown, after storage is closed). */
  release(): Promise<void> {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    return Promise.resolve();
  }
}

function readHolder(path: string): LockHolder | undefined {
  try {
    const holder = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockHolder>;
    if (typeof holder.pid !== 'number' || typeof holder.host !== 'string') return undefined;
    return { pid: holder.pid, host: holder.host, since: String(holder.since) };
  } catch {
    return undefined; // written by a holder still starting, or not by Parley
  }
}
