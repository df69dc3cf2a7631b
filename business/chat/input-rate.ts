import { ChatError } from './chat-error.js';

/** How fast one connection may send: a token bucket. */
export interface RateLimit {
  /** Inputs per second the bucket refills with; 0 turns the limit off. */
  readonly perSecond: number;
  /** Inputs a client may send at once, on top of the rate (the bucket's size). */
  readonly burst: number;
}

/** What one input meets: taken, refused (`rate_limited`), or refused and the client flooding. */
export type RateVerdict = 'taken' | 'limited' | 'flooding';

/**
 * A client refused this many times within FLOOD_WINDOW_MS keeps flooding: it is closed
 * (`flooding`, close 1008). A client that merely types too fast now and then is only told.
 */
export const FLOOD_REFUSALS = 10;
export const FLOOD_WINDOW_MS = 10_000;

/**
 * One connection's message rate, whatever its transport: every input (a message, a command, a
 * dialect's request) takes a token; the bucket holds `burst` tokens and refills at `perSecond`.
 * An input that finds the bucket empty is refused — it takes no effect — and a connection
 * refused FLOOD_REFUSALS times within FLOOD_WINDOW_MS is flooding.
 *
 * `now` is a monotonic clock in milliseconds (the platform's), so that tests can drive it.
 */
export class InputRate {
  private tokens: number;
  private refilledAt: number;
  /** When the last refusals happened, oldest first, at most FLOOD_REFUSALS of them. */
  private readonly refusals: number[] = [];

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number,
  ) {
    this.tokens = Math.max(1, limit.burst);
    this.refilledAt = now();
  }

  /** True when the limit is off (`perSecond` 0). */
  get isOff(): boolean {
    return this.limit.perSecond <= 0;
  }

  /** Takes a token for one input, or says why it cannot. */
  take(): RateVerdict {
    if (this.isOff) return 'taken';
    const now = this.now();
    const capacity = Math.max(1, this.limit.burst);
    const elapsed = Math.max(0, now - this.refilledAt);
    this.tokens = Math.min(capacity, this.tokens + (elapsed * this.limit.perSecond) / 1000);
    this.refilledAt = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 'taken';
    }
    this.refusals.push(now);
    if (this.refusals.length > FLOOD_REFUSALS) this.refusals.shift();
    const flooding =
      this.refusals.length === FLOOD_REFUSALS && now - (this.refusals[0] ?? now) < FLOOD_WINDOW_MS;
    return flooding ? 'flooding' : 'limited';
  }

  /** The refusal an input that met `verdict` gets (undefined when it was taken). */
  refusal(verdict: RateVerdict): ChatError | undefined {
    if (verdict === 'taken') return undefined;
    const rate = `${this.limit.perSecond} per second after a burst of ${this.limit.burst}`;
    return verdict === 'limited'
      ? new ChatError('rate_limited', `you are sending too fast (at most ${rate}); slow down`)
      : new ChatError('flooding', `you kept sending too fast (at most ${rate}); disconnected`);
  }
}
