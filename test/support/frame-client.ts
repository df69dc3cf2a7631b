import { WebSocket } from 'ws';
import type { CloseInfo } from './ws-client.js';

/**
 * A real WebSocket client for the text dialects (`/ws`, `/mychat`): it keeps every frame as
 * text, and the lines they hold read as one stream, as MaChat's client reads them
 * (`bufio.Scanner` over `ws.Read`).
 */
export class FrameClient {
  readonly frames: string[] = [];
  readonly closed: Promise<CloseInfo>;
  private waiters: (() => void)[] = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data, isBinary) => {
      this.frames.push(
        isBinary ? `<binary ${(data as Buffer).length}>` : (data as Buffer).toString('utf8'),
      );
      for (const wake of this.waiters.splice(0)) wake();
    });
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) => {
      socket.on('close', (code, reason) => {
        resolve({ code, reason: reason.toString() });
        for (const wake of this.waiters.splice(0)) wake();
      });
    });
  }

  /** Connects with the headers the seed's client sends (x/net: an Origin, no protocol). */
  static async connect(url: string, origin?: string): Promise<FrameClient> {
    const socket = new WebSocket(url, {
      perMessageDeflate: false,
      ...(origin === undefined ? {} : { origin }),
    });
    const client = new FrameClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return client;
  }

  /** The received text split on LF, every frame's final LF ending its last line. */
  get lines(): string[] {
    const text = this.frames.join('');
    const lines = text.split('\n');
    if (lines.at(-1) === '') lines.pop();
    return lines;
  }

  send(text: string): void {
    this.socket.send(text);
  }

  /** The first frame matching the pattern, received or to come. */
  waitForFrame(pattern: RegExp | string, timeoutMs = 3000): Promise<string> {
    return this.waitUntil(() => this.frames.find(matcher(pattern)), pattern, timeoutMs);
  }

  /** The frame at `index` (0: the first the server sent), received or to come. */
  frame(index: number, timeoutMs = 3000): Promise<string> {
    return this.waitUntil(() => this.frames[index], `frame #${index}`, timeoutMs);
  }

  /** The first line matching the pattern, received or to come. */
  waitForLine(pattern: RegExp | string, timeoutMs = 3000): Promise<string> {
    return this.waitUntil(() => this.lines.find(matcher(pattern)), pattern, timeoutMs);
  }

  async close(): Promise<CloseInfo> {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.close(1000);
    return this.closed;
  }

  private async waitUntil(
    found: () => string | undefined,
    pattern: RegExp | string,
    timeoutMs: number,
  ): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = found();
      if (hit !== undefined) return hit;
      const left = deadline - Date.now();
      if (left <= 0 || this.socket.readyState === WebSocket.CLOSED) {
        throw new Error(`nothing matching ${String(pattern)}; got ${JSON.stringify(this.frames)}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => (clearTimeout(timer), resolve()));
      });
    }
  }
}

function matcher(pattern: RegExp | string): (text: string) => boolean {
  return (text) => (typeof pattern === 'string' ? text === pattern : pattern.test(text));
}
