import type { MemoryProbe } from './memory-guard.js';

/** Where the memory guard refuses clients (high water) and takes them again (low water). */
export interface MemoryMarks {
  readonly highWaterBytes: number;
  readonly lowWaterBytes: number;
}

/** A memory limit the server already reaches before any client connects. */
export class MemoryLimitTooLowError extends Error {
  override readonly name = 'MemoryLimitTooLowError';

  constructor(
    readonly marks: MemoryMarks,
    readonly inUseBytes: number,
  ) {
    super(`${inUseBytes} bytes in use at start, low water at ${marks.lowWaterBytes}`);
  }
}

/**
 * Refuses, at start, a limit under which the server could serve no one: with memory in use
 * already at the low-water mark, the guard would turn every client away and never take them
 * again. Memory is read once more after a full garbage collection before refusing, so
 * start-up garbage does not count; the collector is reached only when the first reading is
 * that high.
 * @throws MemoryLimitTooLowError
 */
export function checkMemoryLimit(marks: MemoryMarks, probe: MemoryProbe): void {
  if (probe.inUse() < marks.lowWaterBytes) return;
  probe.collect();
  const inUse = probe.inUse();
  if (inUse >= marks.lowWaterBytes) throw new MemoryLimitTooLowError(marks, inUse);
}
