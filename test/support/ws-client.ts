import { WebSocket } from 'ws';

import { EventLog, type ServerEvent } from './event-log.js';

export type { ServerEvent } from './event-log.js';

/** How a connection ended. */
export interface CloseInfo {
  readonly code: number;
  readonly reason: string;
}

/**
 * A real `ws` client that records every frame the server sends, so a test can wait for an
 * event by predicate and assert on order afterwards.
 */
export class TestClient extends EventLog {
  readonly closed: Promise<CloseInfo>;

  private constructor(readonly socket: WebSocket) {
    super();
    socket.on('message', (data) =>
      this.record(JSON.parse((data as Buffer).toString()) as ServerEvent),
    );
    this.closed = new Promise((resolve) => {
      socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
    });
  }

  /** Connects and resolves once the WebSocket is open. */
  static async connect(
    url: string,
    headers: Readonly<Record<string, string>> = {},
  ): Promise<TestClient> {
    const socket = new WebSocket(url, { headers }); // offers permessage-deflate, as most clients do
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

  /** Closes normally and waits for the close to complete. */
  async close(): Promise<CloseInfo> {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.close(1000);
    return this.closed;
  }
}

/** Connects a client to `/chat/join` and waits until it has seen its own join. */
export async function joinedClient(wsUrl: string, name: string): Promise<TestClient> {
  const client = await TestClient.connect(wsUrl);
  await client.waitFor((e) => e.event_type === 'participant_joined' && e.participant === name);
  return client;
}
