import type { ScheduledTask, Timer } from '../../business/ports/timer.js';

/** The event loop's timers, unref'd so that pending work never holds the process open. */
export class SystemTimer implements Timer {
  after(ms: number, task: () => void): ScheduledTask {
    const handle = setTimeout(task, ms).unref();
    return { cancel: () => clearTimeout(handle) };
  }
}
