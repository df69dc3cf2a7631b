import { readFileSync } from 'node:fs';

/**
 * Bytes a process has read so far with read(2) and friends, whatever the source (Linux
 * `/proc/<pid>/io`, all threads included): a way to measure what a step read from disk
 * without timing it.
 */
export function bytesReadBy(pid: number | 'self' = 'self'): number {
  const io = readFileSync(`/proc/${pid}/io`, 'utf8');
  return Number(/^rchar: (\d+)$/m.exec(io)?.[1] ?? Number.NaN);
}
