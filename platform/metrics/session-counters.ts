/**
 * What one transport's sessions did, kept as plain numbers on the delivery path (an increment
 * per delivery) and read only when metrics are scraped.
 */
export class SessionCounters {
  /** Events written to clients (room events, private messages, replays). */
  delivered = 0;
  /** Errors clients were shown, by wire code (rate limited, slow consumer, server full…). */
  readonly refusals = new Map<string, number>();

  refused(code: string): void {
    this.refusals.set(code, (this.refusals.get(code) ?? 0) + 1);
  }
}

/** Each transport's counters, by its name. */
export class TransportCounters {
  private readonly byTransport = new Map<string, SessionCounters>();

  /** The counters of one transport (made on first use). */
  of(transport: string): SessionCounters {
    let counters = this.byTransport.get(transport);
    if (counters === undefined) {
      counters = new SessionCounters();
      this.byTransport.set(transport, counters);
    }
    return counters;
  }

  entries(): IterableIterator<[string, SessionCounters]> {
    return this.byTransport.entries();
  }
}
