import { freeTcpPort, LineClient } from '../support/line-client.js';
import type { TestServer } from '../support/test-server.js';
import type { DrivenClient, SeenLeave, TransportDriver } from './driven-client.js';

const MESSAGE = /^\[[^\]]+\] <([^>]+)> (.*)$/;
const PRIVATE = /^\[private(?: to [^\]]+)?\] <([^>]+)> (.*)$/;
const ERROR = /^! error ([a-z_]+): /;
const JOINED = /^\* (.+) joined #/;
const LEFT = /^\* (.+) left(?: \((.+)\))?$/;
const REPLIES: [RegExp, string][] = [
  [/^\* In #/, 'participants'],
  [/^\* Commands/, 'help'],
  [/^\* The last /, 'history'],
  [/^\* (Rooms \(|No rooms)/, 'rooms'],
  [/^\* You are ignoring/, 'ignored'],
  [/^\* Goodbye\.$/, 'goodbye'],
];
const SHUTDOWN = '*** The server is shutting down. Goodbye.';

/** A telnet user, its lines read back into what it was shown. */
class TcpDrivenClient implements DrivenClient {
  readonly ended: Promise<void>;

  constructor(
    readonly name: string,
    private readonly client: LineClient,
  ) {
    this.ended = client.ended;
  }

  send(text: string): void {
    this.client.send(text);
  }

  messages(): string[] {
    return this.afterOwnJoin().flatMap((line) => match(MESSAGE, line, 2));
  }

  // Lines before its own join are the history it was replayed.
  history(): string[] {
    const own = this.ownJoin();
    return this.client.lines.slice(0, Math.max(own, 0)).flatMap((line) => match(MESSAGE, line, 2));
  }

  privateMessages(): string[] {
    return this.client.lines.flatMap((line) => match(PRIVATE, line, 2));
  }

  errors(): string[] {
    return this.client.lines.flatMap((line) => match(ERROR, line, 1));
  }

  replies(): string[] {
    return this.client.lines.flatMap((line) =>
      REPLIES.filter(([pattern]) => pattern.test(line)).map(([, kind]) => kind),
    );
  }

  joins(): string[] {
    return this.client.lines.flatMap((line) => match(JOINED, line, 1));
  }

  leaves(): SeenLeave[] {
    return this.client.lines.flatMap((line) => {
      const found = LEFT.exec(line);
      if (found === null || MESSAGE.test(line)) return [];
      const reason = found[2] === undefined ? 'quit' : found[2].replaceAll(' ', '_');
      return [{ participant: found[1] ?? '', reason }];
    });
  }

  shutdownNotices(): number {
    return this.client.lines.filter((line) => line === SHUTDOWN).length;
  }

  stopReading(): void {
    this.client.socket.pause();
  }

  closeCleanly(): Promise<void> {
    return this.client.finish();
  }

  drop(): void {
    this.client.socket.resetAndDestroy();
  }

  private ownJoin(): number {
    return this.client.lines.findIndex((line) => line.startsWith(`* ${this.name} joined #`));
  }

  private afterOwnJoin(): string[] {
    return this.client.lines.slice(this.ownJoin() + 1);
  }
}

function match(pattern: RegExp, line: string, group: number): string[] {
  const found = pattern.exec(line);
  return found === null ? [] : [found[group] === undefined ? '' : found[group]];
}

/** telnet users on the TCP line port, answering the nickname and room prompts. */
export const tcpDriver: TransportDriver = {
  name: 'TCP (telnet)',
  cleanLeaveReason: 'quit',
  serverConfig: async () => ({ tcpPort: await freeTcpPort() }),
  async join(server: TestServer, roomId: string, nickname: string): Promise<DrivenClient> {
    const client = await LineClient.telnet(server.parley.tcpPort ?? 0, nickname, roomId);
    return new TcpDrivenClient(nickname, client);
  },
  async refusal(server: TestServer, roomId: string, nickname: string): Promise<string> {
    const client = await LineClient.connect(server.parley.tcpPort ?? 0);
    try {
      await client.waitFor(/^Your nickname\?/);
      client.send(nickname);
      await client.waitFor(/^Which room/);
      client.send(roomId);
      const error = await client.waitFor(ERROR);
      return ERROR.exec(error)?.[1] ?? '';
    } finally {
      client.close();
    }
  },
};
