/**
 * The `-n` limit, shared by every transport: a WebSocket client and a telnet user take a place
 * each from the same budget. Each transport registers how many connections it holds; the sum
 * is read when a new one knocks, so the count can never drift from the truth.
 */
export class ConnectionBudget {
  private readonly counts: (() => number)[] = [];

  /** @param max connections allowed at once; 0 = unlimited. */
  constructor(readonly max: number) {}

  /** Adds a transport's live count to the total. */
  register(count: () => number): void {
    this.counts.push(count);
  }

  /** True when one more connection would pass the limit. */
  get isFull(): boolean {
    if (this.max === 0) return false;
    let open = 0;
    for (const count of this.counts) open += count();
    return open >= this.max;
  }
}
