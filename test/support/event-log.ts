/** A server event, parsed: every JSON frame or SSE event has an `event_type`. */
export type ServerEvent = Record<string, unknown> & { event_type: string };

/**
 * Every event a test client was sent, in order, so that a test can wait for an event by
 * predicate and assert on order afterwards. The WebSocket and SSE test clients are both one.
 */
export class EventLog {
  readonly events: ServerEvent[] = [];
  private waiters: { match: (e: ServerEvent) => boolean; resolve: (e: ServerEvent) => void }[] = [];

  /** The first recorded or future event matching the predicate. */
  waitFor(match: (event: ServerEvent) => boolean, timeoutMs = 3000): Promise<ServerEvent> {
    const seen = this.events.find(match);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no matching event; got ${JSON.stringify(this.events)}`)),
        timeoutMs,
      );
      this.waiters.push({ match, resolve: (event) => (clearTimeout(timer), resolve(event)) });
    });
  }

  /** The first event of the given type. */
  waitForType(type: string, timeoutMs?: number): Promise<ServerEvent> {
    return this.waitFor((event) => event.event_type === type, timeoutMs);
  }

  /** Waits until `count` events of the type have arrived; returns them in order. */
  async waitForCount(type: string, count: number, timeoutMs = 5000): Promise<ServerEvent[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const matching = this.ofType(type);
      if (matching.length >= count) return matching;
      if (Date.now() > deadline) throw new Error(`only ${matching.length}/${count} ${type} events`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  ofType(type: string): ServerEvent[] {
    return this.events.filter((event) => event.event_type === type);
  }

  protected record(event: ServerEvent): void {
    this.events.push(event);
    const ready = this.waiters.filter((waiter) => waiter.match(event));
    this.waiters = this.waiters.filter((waiter) => !waiter.match(event));
    for (const waiter of ready) waiter.resolve(event);
  }
}
