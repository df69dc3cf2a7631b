import { joinPath, type TestServer } from '../support/test-server.js';
import { joinedClient, TestClient, type ServerEvent } from '../support/ws-client.js';
import type { DrivenClient, TransportDriver } from './driven-client.js';
import { JsonDrivenClient } from './json-client.js';

class WsDrivenClient extends JsonDrivenClient {
  readonly ended: Promise<void>;

  constructor(
    readonly name: string,
    private readonly client: TestClient,
  ) {
    super();
    this.ended = client.closed.then(() => undefined);
  }

  send(text: string): void {
    this.client.send(text);
  }

  stopReading(): void {
    (this.client.socket as unknown as { _socket: { pause(): void } })._socket.pause();
  }

  async closeCleanly(): Promise<void> {
    await this.client.close();
  }

  drop(): void {
    this.client.socket.terminate();
  }

  protected events(): readonly ServerEvent[] {
    return this.client.events;
  }
}

/** WebSocket clients speaking JSON, joined by Chatty's `/chat/join?name=&room=`. */
export const wsDriver: TransportDriver = {
  name: 'WebSocket',
  cleanLeaveReason: 'quit',
  serverConfig: () => Promise.resolve({}),
  async join(server: TestServer, roomId: string, nickname: string): Promise<DrivenClient> {
    return new WsDrivenClient(
      nickname,
      await joinedClient(server.ws(joinPath(roomId, nickname)), nickname),
    );
  },
  async refusal(server: TestServer, roomId: string, nickname: string): Promise<string> {
    const client = await TestClient.connect(server.ws(joinPath(roomId, nickname)));
    await client.closed;
    return String(client.ofType('error')[0]?.code);
  },
};
