import { WebSocket } from 'ws';
import type { CloseInfo } from './ws-client.js';

/**
 * A chattypantz client as its own test and pages are (composer22/chattypantz@6c94499
 * server/server_test.go, client/angular/app/scripts/controllers/main.js): it sends each request
 * as one frame and reads the answers as raw frame texts, in order, to compare byte for byte.
 */
export class PantzClient {
  /** Every frame received, as text, in order. */
  readonly frames: string[] = [];
  /** Whether each frame was a text frame. */
  readonly textFrames: boolean[] = [];
  readonly closed: Promise<CloseInfo>;
  /** The close code, once closed. */
  closeCode: number | undefined;
  private read = 0;
  private waiters: (() => void)[] = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data, isBinary) => {
      this.frames.push((data as Buffer).toString('utf8'));
      this.textFrames.push(!isBinary);
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.closed = new Promise((resolve) => {
      socket.on('close', (code, reason) => {
        this.closeCode = code;
        resolve({ code, reason: reason.toString() });
        for (const wake of this.waiters.splice(0)) wake();
      });
    });
  }

  /** Connects to `/v1.0/chat` (x/net's dial sends an Origin; the Go test's is ws://localhost/). */
  static async connect(url: string, origin = 'ws://localhost/'): Promise<PantzClient> {
    const socket = new WebSocket(url, { origin, perMessageDeflate: false });
    const client = new PantzClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return client;
  }

  send(text: string): void {
    this.socket.send(text);
  }

  sendBinary(text: string): void {
    this.socket.send(Buffer.from(text), { binary: true });
  }

  /** The next frame not read yet; fails after `timeoutMs`. */
  async next(timeoutMs = 3000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (this.read >= this.frames.length) {
      if (Date.now() > deadline) throw new Error(`no frame within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
    return this.frames[this.read++] as string;
  }

  /** Sends a request and resolves with the next frame. */
  async ask(text: string): Promise<string> {
    this.send(text);
    return this.next();
  }

  /** Frames received and not read yet. */
  get unread(): string[] {
    return this.frames.slice(this.read);
  }

  async close(): Promise<CloseInfo> {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.close(1000);
    return this.closed;
  }
}
