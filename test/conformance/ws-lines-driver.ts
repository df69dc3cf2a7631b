import { FrameClient } from '../support/frame-client.js';
import type { TestServer } from '../support/test-server.js';
import type { DrivenClient, TransportDriver } from './driven-client.js';
import { ERROR, LineDrivenClient, type LineConnection } from './line-driven-client.js';

function overFrames(client: FrameClient): LineConnection {
  return {
    get lines() {
      return client.lines;
    },
    send: (line) => client.send(line),
    ended: client.closed.then(() => undefined),
    stopReading: () => (client.socket as unknown as { _socket: { pause(): void } })._socket.pause(),
    finish: async () => void (await client.close()),
    drop: () => client.socket.terminate(),
  };
}

/** Connects to `/ws` and answers the nickname and room questions. */
async function enter(server: TestServer, roomId: string, nickname: string): Promise<FrameClient> {
  const client = await FrameClient.connect(server.ws('/ws'));
  await client.waitForLine(/^Your nickname\?/);
  client.send(nickname);
  await client.waitForLine(/Which room\?/);
  client.send(roomId);
  return client;
}

/** chat-server's browser page: the telnet dialogue in WebSocket text frames at `/ws`. */
export const wsLinesDriver: TransportDriver = {
  name: 'WebSocket /ws (chat-server)',
  cleanLeaveReason: 'quit',
  serverConfig: () => Promise.resolve({}),
  async join(server: TestServer, roomId: string, nickname: string): Promise<DrivenClient> {
    const client = await enter(server, roomId, nickname);
    await client.waitForLine(new RegExp(`^\\* ${escapeRegExp(nickname)} joined #`));
    return new LineDrivenClient(nickname, overFrames(client));
  },
  async refusal(server: TestServer, roomId: string, nickname: string): Promise<string> {
    const client = await enter(server, roomId, nickname);
    try {
      const error = await client.waitForLine(ERROR);
      return ERROR.exec(error)?.[1] ?? '';
    } finally {
      client.socket.terminate();
    }
  },
};

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
