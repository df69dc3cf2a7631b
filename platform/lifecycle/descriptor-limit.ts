import { readFileSync } from 'node:fs';

/**
 * The process's soft limit on open file descriptors (`ulimit -n`), read from
 * `/proc/self/limits`; undefined where that file does not exist (not Linux) or says
 * "unlimited". Node has no call for it.
 */
export function descriptorLimit(): number | undefined {
  let limits: string;
  try {
    limits = readFileSync('/proc/self/limits', 'utf8');
  } catch {
    return undefined;
  }
  const soft = /^Max open files\s+(\d+)/m.exec(limits)?.[1];
  return soft === undefined ? undefined : Number(soft);
}
