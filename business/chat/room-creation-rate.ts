import { ChatError } from './chat-error.js';

/** A minute, the window of `--room-creation-rate`. */
export const CREATION_WINDOW_MS = 60_000;

/** Addresses above which a creation sweeps out the ones with no creation in the window. */
const SWEEP_ABOVE = 10_000;

/**
 * How many rooms one peer address may create per minute (a sliding minute), whatever it creates
 * them through: creating rooms is cheap for a client and lasting for the server. Addresses are
 * opaque strings (the platform says where a client connects from); a creation with no address
 * (the server's own) is not limited. Memory is bounded by the addresses that created a room in
 * the last minute, each holding at most `perMinute` times.
 */
export class RoomCreationRate {
  private readonly recent = new Map<string, number[]>();

  /** @param perMinute rooms per address per minute; 0 = unlimited. */
  constructor(
    private readonly perMinute: number,
    private readonly now: () => number,
  ) {}

  /**
   * Throws when `address` may not create one more room now.
   * @throws ChatError `too_many_rooms_created`
   */
  check(address: string | undefined): void {
    if (this.perMinute <= 0 || address === undefined) return;
    if (this.within(address).length >= this.perMinute) {
      throw new ChatError(
        'too_many_rooms_created',
        `at most ${this.perMinute} rooms a minute may be created from one address; try again later`,
      );
    }
  }

  /** Counts a room `address` has just created. */
  created(address: string | undefined): void {
    if (this.perMinute <= 0 || address === undefined) return;
    if (this.recent.size > SWEEP_ABOVE) this.sweep();
    const times = this.within(address);
    times.push(this.now());
    this.recent.set(address, times);
  }

  private within(address: string): number[] {
    const since = this.now() - CREATION_WINDOW_MS;
    const times = (this.recent.get(address) ?? []).filter((at) => at > since);
    if (times.length === 0) this.recent.delete(address);
    else this.recent.set(address, times);
    return times;
  }

  private sweep(): void {
    for (const address of [...this.recent.keys()]) this.within(address);
  }
}
