import { connect, createServer, type Socket } from 'node:net';

/**
 * A real TCP client, as telnet or nc would be: it records every line the server writes, so a
 * test can wait for a line by pattern and assert on order afterwards.
 */
export class LineClient {
  readonly lines: string[] = [];
  /** Every byte received, to check line endings. */
  raw = '';
  /** Resolves when the server has closed the connection. */
  readonly ended: Promise<void>;
  private partial = '';
  private waiters: { match: (line: string) => boolean; resolve: (line: string) => void }[] = [];

  private constructor(readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => this.onData(text));
    socket.on('error', () => undefined);
    this.ended = new Promise((resolve) => socket.once('close', () => resolve()));
  }

  static async connect(port: number): Promise<LineClient> {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) =>
      socket.once('connect', resolve).once('error', reject),
    );
    return new LineClient(socket);
  }

  /** Connects as a person would: answers the nickname and room prompts, waits to be in. */
  static async telnet(port: number, name: string, room: string): Promise<LineClient> {
    const client = await LineClient.connect(port);
    await client.waitFor(/^Your nickname\?/);
    client.send(name);
    await client.waitFor(/Which room\?/);
    client.send(room);
    await client.waitFor(new RegExp(`^\\* ${escape(name)} joined #`));
    return client;
  }

  /** Connects as a MaChat client: a JSON handshake, no prompts. */
  static async machat(port: number, name: string, room: string): Promise<LineClient> {
    const client = await LineClient.connect(port);
    client.send(JSON.stringify({ name, room }));
    await client.waitFor(new RegExp(`^\\* ${escape(name)} joined #`));
    return client;
  }

  /** Writes one line, with a CRLF ending as telnet sends it. */
  send(line: string): void {
    this.socket.write(`${line}\r\n`);
  }

  /** The first received or future line matching the pattern. */
  waitFor(pattern: RegExp | string, timeoutMs = 3000): Promise<string> {
    const match = (line: string): boolean =>
      typeof pattern === 'string' ? line === pattern : pattern.test(line);
    const seen = this.lines.find(match);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(`no line matching ${String(pattern)}; got ${JSON.stringify(this.lines)}`),
          ),
        timeoutMs,
      );
      this.waiters.push({ match, resolve: (line) => (clearTimeout(timer), resolve(line)) });
    });
  }

  /** Lines received after the one matching `pattern` (for ordering checks). */
  linesAfter(pattern: RegExp): string[] {
    const index = this.lines.findIndex((line) => pattern.test(line));
    return index < 0 ? [] : this.lines.slice(index + 1);
  }

  /** Half-closes (as nc does at the end of its input) and waits for the server to close. */
  async finish(): Promise<void> {
    this.socket.end();
    await this.ended;
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(text: string): void {
    this.raw += text;
    const parts = (this.partial + text).split('\r\n');
    this.partial = parts.pop() ?? '';
    for (const line of parts) this.record(line);
  }

  private record(line: string): void {
    this.lines.push(line);
    const ready = this.waiters.filter((waiter) => waiter.match(line));
    this.waiters = this.waiters.filter((waiter) => !waiter.match(line));
    for (const waiter of ready) waiter.resolve(line);
  }
}

/** A port nothing listens on right now, for a server's line driver (0 means off there). */
export async function freeTcpPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
