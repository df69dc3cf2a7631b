import { request, type IncomingMessage } from 'node:http';
import { EventLog, type ServerEvent } from './event-log.js';
import type { CloseInfo } from './ws-client.js';

/** Why a stream could not open: the HTTP status and the JSON error code of the refusal. */
export class StreamRefused extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
  ) {
    super(`the stream was refused: ${status} ${code ?? ''}`);
  }
}

/**
 * A Server-Sent Events client on Node's HTTP client (so a test can stop reading, as a stalled
 * browser would), plus `POST …/messages` to send. It records every event like the WebSocket
 * TestClient. (`test/e2e/sse.test.ts` also drives the server with a real `EventSource`.)
 */
export class SseTestClient extends EventLog {
  /** The `id:` of each event that had one (message seqs), in order. */
  readonly eventIds: string[] = [];
  /** Comment lines received (keepalives). */
  comments = 0;
  readonly closed: Promise<CloseInfo>;
  private key = '';
  private buffered = '';

  private constructor(
    private readonly response: IncomingMessage,
    private readonly messagesUrl: string,
    private readonly headers: Readonly<Record<string, string>>,
  ) {
    super();
    response.setEncoding('utf8');
    response.on('data', (text: string) => this.onData(text));
    this.closed = new Promise((resolve) => {
      response.once('close', () => resolve({ code: 0, reason: 'stream ended' }));
    });
  }

  /**
   * Opens `GET /chat/:room/events?name=` (and `more` query parameters, `&`-joined) and resolves
   * once its session event has come. `headers` go with the stream's request and every post.
   */
  static connect(
    baseUrl: string,
    roomId: string,
    name: string,
    more = '',
    headers: Readonly<Record<string, string>> = {},
  ): Promise<SseTestClient> {
    const room = encodeURIComponent(roomId);
    const url = `${baseUrl}/chat/${room}/events?name=${encodeURIComponent(name)}${more}`;
    const sent = { Accept: 'text/event-stream', ...headers };
    return new Promise((resolve, reject) => {
      const outgoing = request(url, { headers: sent }, (response) => {
        if (response.statusCode !== 200) {
          let body = '';
          response.on('data', (chunk: Buffer) => (body += chunk.toString()));
          response.on('end', () => reject(refusal(response.statusCode ?? 0, body)));
          return;
        }
        const client = new SseTestClient(response, `${baseUrl}/chat/${room}/messages`, headers);
        void client.waitForType('session').then((event) => {
          client.key = String(event.session);
          resolve(client);
        }, reject);
      });
      outgoing.on('error', reject);
      outgoing.end();
    });
  }

  /** The key the stream's first event gave. */
  get sessionKey(): string {
    return this.key;
  }

  /** Posts one input as this participant; resolves with the HTTP status. */
  async post(text: string, key = this.key): Promise<number> {
    const response = await fetch(this.messagesUrl, {
      method: 'POST',
      headers: {
        'Parley-Session': key,
        'Content-Type': 'text/plain; charset=utf-8',
        ...this.headers,
      },
      body: text,
    });
    await response.arrayBuffer();
    return response.status;
  }

  /** Sends without waiting for the answer; posts go one at a time, in order. */
  send(text: string): void {
    this.sending = this.sending
      .then(() => this.post(text))
      .then(
        () => undefined,
        () => undefined,
      );
  }

  /** Stops reading the stream (the server's writes back up). */
  stopReading(): void {
    this.response.pause();
  }

  /** Ends the stream from the client's side, as a closed browser tab does. */
  close(): Promise<CloseInfo> {
    this.response.destroy();
    return this.closed;
  }

  private sending: Promise<void> = Promise.resolve();

  // An event is lines up to a blank line: `id:` and `data:` fields, or `:` comments.
  private onData(text: string): void {
    this.buffered += text;
    for (let end = this.buffered.indexOf('\n\n'); end >= 0; end = this.buffered.indexOf('\n\n')) {
      const block = this.buffered.slice(0, end);
      this.buffered = this.buffered.slice(end + 2);
      this.onEvent(block.split('\n'));
    }
  }

  private onEvent(lines: string[]): void {
    if (lines.every((line) => line.startsWith(':'))) {
      this.comments++;
      return;
    }
    const id = lines.find((line) => line.startsWith('id: '))?.slice(4);
    const data = lines.filter((line) => line.startsWith('data: ')).map((line) => line.slice(6));
    if (id !== undefined) this.eventIds.push(id);
    this.record(JSON.parse(data.join('\n')) as ServerEvent);
  }
}

function refusal(status: number, body: string): StreamRefused {
  try {
    return new StreamRefused(
      status,
      (JSON.parse(body) as { error?: { code?: string } }).error?.code,
    );
  } catch {
    return new StreamRefused(status, undefined);
  }
}
