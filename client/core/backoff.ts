/**
 * Reconnect delays: exponential with full jitter (a random delay between 0 and the current
 * ceiling), so clients dropped together by a restart do not come back together.
 */
export interface BackoffOptions {
  /** The ceiling of the first delay (ms). */
  readonly initialMs?: number;
  /** The ceiling never grows past this (ms). */
  readonly maxMs?: number;
  /** A number in [0, 1); injectable for tests. */
  readonly random?: () => number;
}

export class Backoff {
  readonly #initialMs: number;
  readonly #maxMs: number;
  readonly #random: () => number;
  #attempt = 0;

  constructor(options: BackoffOptions = {}) {
    this.#initialMs = options.initialMs ?? 500;
    this.#maxMs = options.maxMs ?? 15_000;
    this.#random = options.random ?? Math.random;
  }

  /** How many delays were handed out since the last reset. */
  get attempt(): number {
    return this.#attempt;
  }

  /** The next delay (ms); each call doubles the ceiling up to the maximum. */
  next(): number {
    const ceiling = Math.min(this.#maxMs, this.#initialMs * 2 ** this.#attempt);
    this.#attempt += 1;
    return Math.round(this.#random() * ceiling);
  }

  /** After a connection that worked: the next failure starts from the first delay again. */
  reset(): void {
    this.#attempt = 0;
  }
}
