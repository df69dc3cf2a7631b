import { SseTestClient, StreamRefused } from '../support/sse-client.js';
import type { TestServer } from '../support/test-server.js';
import type { ServerEvent } from '../support/ws-client.js';
import type { DrivenClient, TransportDriver } from './driven-client.js';
import { JsonDrivenClient } from './json-client.js';

class SseDrivenClient extends JsonDrivenClient {
  readonly ended: Promise<void>;

  constructor(
    readonly name: string,
    private readonly client: SseTestClient,
  ) {
    super();
    this.ended = client.closed.then(() => undefined);
  }

  send(text: string): void {
    this.client.send(text);
  }

  stopReading(): void {
    this.client.stopReading();
  }

  async closeCleanly(): Promise<void> {
    await this.client.close();
  }

  drop(): void {
    void this.client.close();
  }

  protected events(): readonly ServerEvent[] {
    return this.client.events;
  }
}

/** Server-Sent Events streams, sending with `POST …/messages`. */
export const sseDriver: TransportDriver = {
  name: 'SSE',
  cleanLeaveReason: 'disconnected', // a stream can only be dropped: there is no clean close
  serverConfig: () => Promise.resolve({}),
  async join(server: TestServer, roomId: string, nickname: string): Promise<DrivenClient> {
    const client = await SseTestClient.connect(server.url, roomId, nickname);
    await client.waitFor(
      (e) => e.event_type === 'participant_joined' && e.participant === nickname,
    );
    return new SseDrivenClient(nickname, client);
  },
  async refusal(server: TestServer, roomId: string, nickname: string): Promise<string> {
    try {
      const client = await SseTestClient.connect(server.url, roomId, nickname);
      await client.close();
      return 'accepted';
    } catch (error) {
      if (error instanceof StreamRefused) return error.code ?? String(error.status);
      throw error;
    }
  },
};
