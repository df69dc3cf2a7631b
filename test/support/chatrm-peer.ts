import { connect, type Socket } from 'node:net';
import { eventually } from './eventually.js';

/**
 * A TCP client that writes exactly what Chatrm's client (lucas-flanagan/chatrm @ b510dc0,
 * client.go) writes, and keeps every byte it receives, to assert on them exactly.
 */
export class ChatrmPeer {
  /** Every byte received so far, as text. */
  received = '';
  /** Resolves when the server has closed the connection. */
  readonly ended: Promise<void>;
  private closedNow = false;

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => (this.received += text));
    socket.on('error', () => undefined);
    this.ended = new Promise((resolve) =>
      socket.once('close', () => {
        this.closedNow = true;
        resolve();
      }),
    );
  }

  /** Connects, as client.go:74 does before it asks its user for a name (`net.Dial`). */
  static async connect(port: number): Promise<ChatrmPeer> {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) =>
      socket.once('connect', resolve).once('error', reject),
    );
    return new ChatrmPeer(socket);
  }

  /** True once the server has closed the connection. */
  get closed(): boolean {
    return this.closedNow;
  }

  /** Writes bytes as they are (client.go:31 and :39 each write one string). */
  write(bytes: string | Buffer): void {
    this.socket.write(bytes);
  }

  /** Waits until exactly `expected` has been received (and fails on anything else). */
  async receives(expected: string, timeoutMs = 3000): Promise<void> {
    const wrong = (): Error =>
      new Error(`received ${JSON.stringify(this.received)}, expected ${JSON.stringify(expected)}`);
    try {
      await eventually(
        JSON.stringify(expected),
        () => {
          if (!expected.startsWith(this.received)) throw wrong();
          return this.received === expected;
        },
        timeoutMs,
      );
    } catch {
      throw wrong();
    }
  }

  close(): void {
    this.socket.destroy();
  }
}
