import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * A function that runs a full garbage collection. Memory a server has given up (the frames
 * queued for a client it dropped) is only returned at the next collection, and an idle server
 * may not collect for a long time: without this, a reading taken after shedding would still
 * count what was freed. `--expose-gc` set at run time makes `gc` visible in new contexts.
 */
export function garbageCollector(): () => void {
  let gc: (() => void) | undefined;
  // Reached on first use only: Node documents changing V8 flags on a running isolate as
  // unpredictable, so a server that never comes near its high-water mark never does it.
  return () => {
    gc ??= reachGarbageCollector();
    gc();
  };
}

function reachGarbageCollector(): () => void {
  const exposed = (globalThis as { gc?: unknown }).gc;
  if (typeof exposed === 'function') return exposed as () => void;
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as unknown;
  if (typeof gc !== 'function') throw new Error('cannot reach the garbage collector');
  return gc as () => void;
}
