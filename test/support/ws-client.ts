import { WebSocket } from 'ws';

/** A server frame, parsed. */
export type ServerEvent = Record<string, unknown> & { event_type: string };

/** How a connection ended. */
export interface CloseInfo {
  readonly code: number;
  readonly reason: string;
}

/**
 * A real `ws` client that records every frame the server sends, so a test can wait for an
 * event by predicate and assert on order afterwards.
 */
export class TestClient {
  readonly events: ServerEvent[] = [];
  readonly closed: Promise<CloseInfo>;
  private waiters: { match: (e: ServerEvent) => boolean; resolve: (e: ServerEvent) => void }[] = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) =>
      this.record(JSON.parse((data as Buffer).toString()) as ServerEvent),
    );
    this.closed = new Promise((resolve) => {
      socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
    });
  }

  /** Connects and resolves once the WebSocket is open. */
  static async connect(url: string): Promise<TestClient> {
    const socket = new WebSocket(url); // offers permessage-deflate, as most clients do
    const client = new TestClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return client;
  }

  send(text: string): void {
    this.socket.send(text);
  }

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

  /** Closes normally and waits for the close to complete. */
  async close(): Promise<CloseInfo> {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.close(1000);
    return this.closed;
  }

  private record(event: ServerEvent): void {
    this.events.push(event);
    const ready = this.waiters.filter((waiter) => waiter.match(event));
    this.waiters = this.waiters.filter((waiter) => !waiter.match(event));
    for (const waiter of ready) waiter.resolve(event);
  }
}

/** Connects a client to `/chat/join` and waits until it has seen its own join. */
export async function joinedClient(wsUrl: string, name: string): Promise<TestClient> {
  const client = await TestClient.connect(wsUrl);
  await client.waitFor((e) => e.event_type === 'participant_joined' && e.participant === name);
  return client;
}
