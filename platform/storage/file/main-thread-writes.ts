import type { Logger } from '../../logging/logger.js';

/** When a main-thread write counts as slow, and how long the thread pool then takes over. */
export interface MainThreadWritesOptions {
  readonly slowMs: number;
  readonly coolDownMs: number;
}

const DEFAULTS: MainThreadWritesOptions = { slowMs: 5, coolDownMs: 1000 };

/**
 * Whether files may be appended to from the main thread, shared by every room of a store
 * (they share a disk). Handing a batch to the page cache takes microseconds, which is why
 * appends are written in place; but a congested disk (the kernel throttling dirty pages) can
 * hold one `write(2)` for tens of milliseconds, and on the main thread that stalls every room.
 * So one slow write sends every append through the thread pool for a cool-down, after which
 * writing in place is tried again: at most one stall per cool-down, however slow the disk.
 */
export class MainThreadWrites {
  private offUntil = -Infinity;

  constructor(
    private readonly logger: Logger,
    private readonly options: MainThreadWritesOptions = DEFAULTS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** True unless a recent write in place was slow. */
  get allowed(): boolean {
    return this.now() >= this.offUntil;
  }

  /** Records how long one write in place took (milliseconds). */
  took(ms: number): void {
    if (ms < this.options.slowMs) return;
    this.offUntil = this.now() + this.options.coolDownMs;
    this.logger.warn(
      { ms: Math.round(ms), coolDownMs: this.options.coolDownMs },
      'slow disk: appends go through the thread pool for a while',
    );
  }
}
