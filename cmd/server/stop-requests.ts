/**
 * How long after a stop signal another copy of the same signal is taken as the same request.
 * A terminal's Ctrl-C and many supervisors signal the whole process group; under `npm start`
 * npm is in that group too and forwards its copy to the server, which lands a few milliseconds
 * after the server's own. A second copy is a duplicate, not an impatient operator.
 */
export const SAME_REQUEST_WINDOW_MS = 1000;

/**
 * What a stop signal asks for: `stop` (the first one), `duplicate` (the same signal again
 * within the window) or `force` (anything after that: exit now).
 */
export type StopRequest = 'stop' | 'duplicate' | 'force';

/**
 * Tells a first stop request, a copy of it and a real second request apart, so that one Ctrl-C
 * is one graceful shutdown and a second Ctrl-C a moment later still forces the exit.
 * @example
 * const requests = new StopRequests();
 * requests.classify('SIGINT'); // 'stop'
 * requests.classify('SIGINT'); // 'duplicate' (within a second), later 'force'
 */
export class StopRequests {
  private first: { readonly signal: string; readonly at: number } | undefined;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly windowMs = SAME_REQUEST_WINDOW_MS,
  ) {}

  /** Classifies a signal that has just arrived. */
  classify(signal: string): StopRequest {
    const at = this.now();
    if (this.first === undefined) {
      this.first = { signal, at };
      return 'stop';
    }
    const sameCopy = signal === this.first.signal && at - this.first.at < this.windowMs;
    return sameCopy ? 'duplicate' : 'force';
  }
}
