/** Work scheduled for later; cancelling after it ran is harmless. */
export interface ScheduledTask {
  cancel(): void;
}

/** Runs work later: injected so business code stays free of platform timers and tests can run time by hand. */
export interface Timer {
  /**
   * Runs `task` once, about `ms` milliseconds from now, on the same thread as every other
   * business call (never concurrently with them). A pending task must not keep the process
   * alive on its own.
   */
  after(ms: number, task: () => void): ScheduledTask;
}
