import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Waits for `work` until `deadline` (epoch ms) and says which came first. The timer is
 * cancelled either way, so it never keeps the process alive.
 * @example if ((await waitUntil(allClosed, deadline)) === 'timed_out') terminateAll();
 */
export async function waitUntil(
  work: Promise<unknown>,
  deadline: number,
): Promise<'done' | 'timed_out'> {
  const abort = new AbortController();
  const timeUp = sleep(Math.max(0, deadline - Date.now()), 'timed_out' as const, {
    signal: abort.signal,
  }).catch(() => 'done' as const);
  try {
    return await Promise.race([work.then(() => 'done' as const), timeUp]);
  } finally {
    abort.abort();
  }
}
