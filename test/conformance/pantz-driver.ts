import { PantzClient } from '../support/pantz-client.js';
import type { TestServer } from '../support/test-server.js';
import { until, type DrivenClient, type SeenLeave, type TransportDriver } from './driven-client.js';

interface PantzResponse {
  readonly rspType: number;
  readonly content: string;
}

/** chattypantz's error numbers, as Parley's codes (docs/protocol.md, "chattypantz"). */
const CODES: Readonly<Record<number, string>> = {
  1001: 'invalid_request',
  1002: 'room_limit_reached',
  1003: 'not_in_room',
  1004: 'invalid_nickname',
  1005: 'invalid_command',
  1006: 'nickname_taken',
  1007: 'hidden',
  1008: 'unknown_command',
};

/** A chattypantz client at `/v1.0/chat`, in one room, its responses read back as the suite's terms. */
class PantzDrivenClient implements DrivenClient {
  readonly ended: Promise<void>;

  constructor(
    readonly name: string,
    private readonly client: PantzClient,
    private readonly roomId: string,
  ) {
    this.ended = client.closed.then(() => undefined);
  }

  send(text: string): void {
    this.client.send(JSON.stringify({ roomName: this.roomId, reqType: 108, content: text }));
  }

  messages(): string[] {
    return this.contents(108).map((content) => content.slice(content.indexOf(': ') + 2));
  }

  history(): string[] {
    return []; // chattypantz has no history: its joins replay none
  }

  privateMessages(): string[] {
    return this.contents(108)
      .filter((content) => / \(private\): /.test(content))
      .map((content) => content.slice(content.indexOf('): ') + 3));
  }

  errors(): string[] {
    return this.responses()
      .filter((response) => response.rspType > 1000)
      .map((response) => CODES[response.rspType] ?? String(response.rspType));
  }

  replies(): string[] {
    return this.responses()
      .filter((response) => response.rspType === 105)
      .map(() => 'participants');
  }

  joins(): string[] {
    return this.contents(104).map((content) => content.replace(/ has joined the room\.$/, ''));
  }

  leaves(): SeenLeave[] {
    return this.contents(109)
      .filter((content) => content.endsWith(' has left the room.'))
      .map((content) => ({
        participant: content.replace(/ has left the room\.$/, ''),
        reason: '',
      }));
  }

  // chattypantz has no notice: its client is told by the close, 1001 going away.
  shutdownNotices(): number {
    return this.client.closeCode === 1001 ? 1 : 0;
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

  private responses(): PantzResponse[] {
    return this.client.frames.map((frame) => JSON.parse(frame) as PantzResponse);
  }

  private contents(rspType: number): string[] {
    return this.responses()
      .filter((response) => response.rspType === rspType)
      .map((response) => response.content);
  }
}

async function connect(server: TestServer, roomId: string, nickname: string) {
  const client = await PantzClient.connect(server.ws('/v1.0/chat'));
  client.send(JSON.stringify({ reqType: 101, content: nickname }));
  client.send(JSON.stringify({ roomName: roomId, reqType: 104 }));
  return new PantzDrivenClient(nickname, client, roomId);
}

/**
 * chattypantz clients at `/v1.0/chat`, joining by the room's id in a 104 request. Its protocol
 * has no history replay, no commands, and no way to send a private message or ignore anyone:
 * the suite skips those tests for it.
 */
export const pantzDriver: TransportDriver = {
  name: 'chattypantz (/v1.0/chat)',
  cleanLeaveReason: 'quit',
  joinInputs: 2,
  lacks: ['history', 'commands', 'private_messages', 'ignore', 'errors'],
  serverConfig: () => Promise.resolve({}),
  async join(server: TestServer, roomId: string, nickname: string): Promise<DrivenClient> {
    const client = await connect(server, roomId, nickname);
    await until(`${nickname}'s own join`, () => client.joins().includes(nickname));
    return client;
  },
  async refusal(server: TestServer, roomId: string, nickname: string): Promise<string> {
    const client = await connect(server, roomId, nickname);
    await until('the refusal', () => client.errors().length > 0);
    client.drop();
    return client.errors()[0] ?? '';
  },
};
