import { freeTcpPort, LineClient } from '../support/line-client.js';
import type { TestServer } from '../support/test-server.js';
import type { DrivenClient, TransportDriver } from './driven-client.js';
import { ERROR, LineDrivenClient, type LineConnection } from './line-driven-client.js';

function overTcp(client: LineClient): LineConnection {
  return {
    lines: client.lines,
    send: (line) => client.send(line),
    ended: client.ended,
    stopReading: () => client.socket.pause(),
    finish: () => client.finish(),
    drop: () => client.socket.resetAndDestroy(),
  };
}

/** telnet users on the TCP line port, answering the nickname and room prompts. */
export const tcpDriver: TransportDriver = {
  name: 'TCP (telnet)',
  cleanLeaveReason: 'quit',
  serverConfig: async () => ({ tcpPort: await freeTcpPort() }),
  async join(server: TestServer, roomId: string, nickname: string): Promise<DrivenClient> {
    const client = await LineClient.telnet(server.parley.tcpPort ?? 0, nickname, roomId);
    return new LineDrivenClient(nickname, overTcp(client));
  },
  async refusal(server: TestServer, roomId: string, nickname: string): Promise<string> {
    const client = await LineClient.connect(server.parley.tcpPort ?? 0);
    try {
      await client.waitFor(/^Your nickname\?/);
      client.send(nickname);
      await client.waitFor(/Which room\?/);
      client.send(roomId);
      const error = await client.waitFor(ERROR);
      return ERROR.exec(error)?.[1] ?? '';
    } finally {
      client.close();
    }
  },
};
