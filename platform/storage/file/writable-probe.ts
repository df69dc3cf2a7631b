import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** A probe is written at most this often; readiness checks in between get the last answer. */
const PROBE_EVERY_MS = 2000;

/**
 * Whether the data directory takes writes now (disk full, read-only remount, lost volume): a
 * small file is written, forced to disk and removed, at most every 2 s however often readiness
 * is asked.
 */
export class WritableProbe {
  private last: { at: number; writable: Promise<boolean> } | undefined;

  constructor(private readonly dataDir: string) {}

  writable(): Promise<boolean> {
    const now = Date.now();
    if (this.last === undefined || now - this.last.at >= PROBE_EVERY_MS) {
      this.last = { at: now, writable: this.probe() };
    }
    return this.last.writable;
  }

  private async probe(): Promise<boolean> {
    const path = join(this.dataDir, '.ready-probe');
    try {
      const file = await open(path, 'w');
      try {
        await file.writeFile('ready\n');
        await file.sync();
      } finally {
        await file.close();
      }
      await rm(path, { force: true });
      return true;
    } catch {
      return false;
    }
  }
}
