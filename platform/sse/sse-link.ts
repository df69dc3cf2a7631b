import type { ServerResponse } from 'node:http';
import type { LinkEnding, SessionLink } from '../connections/session-link.js';
import type { WriteCoalescer } from '../connections/write-coalescer.js';
import { SSE_KEEPALIVE } from './sse-framing.js';

/**
 * The headers of every event stream. The connection ends with the stream (`Connection: close`,
 * set by the transport): while it lasts its session counts it, and after it nothing would.
 */
const STREAM_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-transform',
  'X-Accel-Buffering': 'no', // nginx would otherwise hold the stream back
};

/**
 * A Server-Sent Events stream as a session sees it: events go out on the HTTP response; what
 * the client sends arrives as separate requests (`POST …/messages`), which wait while the
 * session has paused reading. Nothing is sent before `start`: a join that is refused answers
 * with an HTTP status and a JSON error instead of a stream, and what the join delivered while
 * it was under way (history, the join event) follows the first event once the stream starts.
 */
export class SseLink implements SessionLink {
  private started = false;
  private endedByServer = false;
  private early: Buffer[] = [];
  private readingGate: { promise: Promise<void>; open: () => void } | undefined;

  constructor(
    private readonly response: ServerResponse,
    private readonly writes: WriteCoalescer,
  ) {}

  /** True once the stream has begun (status 200 and the first event sent). */
  get isStarted(): boolean {
    return this.started;
  }

  /** Sends the stream's headers, `first`, then what was written before. */
  start(first: Buffer): void {
    if (this.started || this.response.destroyed) return;
    this.started = true;
    this.response.writeHead(200, STREAM_HEADERS);
    this.writes.write(this.response, first);
    for (const bytes of this.early) this.writes.write(this.response, bytes);
    this.early = [];
  }

  write(bytes: Buffer): void {
    if (!this.started) this.early.push(bytes);
    else if (!this.response.writableEnded) this.writes.write(this.response, bytes);
  }

  get queuedBytes(): number {
    if (!this.started) return this.early.reduce((sum, bytes) => sum + bytes.length, 0);
    return this.response.writableLength;
  }

  get backedUp(): boolean {
    return this.response.writableNeedDrain;
  }

  onDrain(listener: () => void): void {
    this.response.on('drain', listener);
  }

  pause(): void {
    if (this.readingGate !== undefined) return;
    let open = (): void => undefined;
    const promise = new Promise<void>((resolve) => (open = resolve));
    this.readingGate = { promise, open };
  }

  resume(): void {
    const gate = this.readingGate;
    this.readingGate = undefined;
    gate?.open();
  }

  /** Resolves when the session takes input again (at once unless it paused reading). */
  reading(): Promise<void> {
    return this.readingGate?.promise ?? Promise.resolve();
  }

  close(): void {
    this.endedByServer = true;
    if (this.started && !this.response.writableEnded) this.response.end();
  }

  terminate(): void {
    this.endedByServer = true;
    this.response.destroy();
  }

  ping(): boolean {
    if (this.started) this.write(SSE_KEEPALIVE);
    return false; // a comment needs no answer; a dead peer shows as a failed write
  }

  // A browser ends a stream only by dropping the connection: there is no clean close to tell
  // from a lost one.
  onClosed(listener: (ending: LinkEnding) => void): void {
    this.response.once('close', () => {
      this.resume(); // requests waiting to be read are let through, to find the session gone
      listener(this.endedByServer ? 'closed' : 'dropped');
    });
  }
}
