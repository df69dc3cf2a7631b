/**
 * Lets reads of a file by position run together, and a rewrite of it run alone: the rewrite
 * waits for the reads in flight, and reads that arrive meanwhile wait for it, so no read ever
 * mixes offsets from before a rewrite with the file from after it. A read's task must choose
 * what to read before its first `await`: it then sees the file as it is when it starts.
 */
export class ReadGate {
  private reading = 0;
  private drained: (() => void) | undefined;
  /** Set while a rewrite holds the gate; resolves when it lets go. */
  private held: Promise<void> | undefined;

  /** True while reads are in flight or a rewrite holds the gate. */
  get busy(): boolean {
    return this.reading > 0 || this.held !== undefined;
  }

  /** Runs a read once no rewrite holds the gate. */
  async read<T>(task: () => Promise<T>): Promise<T> {
    while (this.held !== undefined) await this.held;
    this.reading++;
    try {
      return await task();
    } finally {
      if (--this.reading === 0) this.drained?.();
    }
  }

  /** Runs a rewrite once the reads in flight are done, holding new reads back meanwhile. */
  async alone<T>(task: () => Promise<T>): Promise<T> {
    while (this.held !== undefined) await this.held;
    let release = (): void => undefined;
    this.held = new Promise((resolve) => (release = resolve));
    try {
      await this.drain();
      return await task();
    } finally {
      this.held = undefined;
      release();
    }
  }

  private drain(): Promise<void> {
    if (this.reading === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.drained = () => {
        this.drained = undefined;
        resolve();
      };
    });
  }
}
