import type { Socket } from 'node:net';
import type { LinkEnding, SessionLink } from '../connections/session-link.js';
import type { WriteCoalescer } from '../connections/write-coalescer.js';
import { guarded } from '../connections/guarded.js';
import { LineReader } from './line-reader.js';

/**
 * Lines one client may have handed on in one turn of the event loop before it yields to the
 * others: a chunk can hold tens of thousands of short lines.
 */
const LINES_PER_TURN = 128;

/** Kernel keepalive probes find peers that vanished without a FIN (line clients have no ping). */
const KEEPALIVE_DELAY_MS = 60_000;

/** What a line link hands on, and where a bug met handling a line goes. */
export interface LineHandlers {
  line(text: string): void;
  /** A line longer than the limit arrived; it was dropped whole. */
  tooLong(limitBytes: number): void;
  /** The client finished sending (half-closed: `nc` at the end of its input). */
  finished(): void;
  /** Whether a JSON object ends its line at its closing brace now (see LineSink). */
  objectEndsLine?(): boolean;
  fail(error: unknown): void;
}

/**
 * A TCP connection carrying lines (telnet, netcat, MaChat), as a session sees it. Reading stops
 * at a line boundary whenever the session pauses it, or when the client has had its turn, and
 * goes on from the same byte: one chunk can hold thousands of lines, and none is read past a
 * pause.
 */
export class TcpLink implements SessionLink {
  private readonly reader: LineReader;
  private pausedBySession = false;
  private yielding = false;
  private linesThisTurn = 0;
  private handlers: LineHandlers | undefined;

  constructor(
    private readonly socket: Socket,
    private readonly writes: WriteCoalescer,
    maxLineBytes: number,
  ) {
    socket.setNoDelay(true);
    socket.setKeepAlive(true, KEEPALIVE_DELAY_MS);
    this.reader = new LineReader(maxLineBytes, {
      line: (text) => this.onLine(text),
      tooLong: (limit) => this.handlers?.tooLong(limit),
      isPaused: () => this.pausedBySession || this.yielding,
      objectEndsLine: () => this.handlers?.objectEndsLine?.() === true,
    });
  }

  /** Starts reading, handing lines on to `handlers`. */
  start(handlers: LineHandlers): void {
    this.handlers = handlers;
    const fail = (error: unknown): void => handlers.fail(error);
    this.socket.on(
      'data',
      guarded((chunk: Buffer) => {
        this.linesThisTurn = 0;
        this.reader.push(chunk);
      }, fail),
    );
    this.socket.on(
      'end',
      guarded(() => handlers.finished(), fail),
    );
  }

  write(bytes: Buffer): void {
    if (!this.socket.writable || this.socket.writableEnded) return;
    this.writes.write(this.socket, bytes);
  }

  get queuedBytes(): number {
    return this.socket.writableLength;
  }

  get backedUp(): boolean {
    return this.socket.writableNeedDrain;
  }

  onDrain(listener: () => void): void {
    this.socket.on('drain', listener);
  }

  pause(): void {
    this.pausedBySession = true;
    this.socket.pause();
  }

  resume(): void {
    this.pausedBySession = false;
    setImmediate(this.readOn);
  }

  close(): void {
    this.socket.end();
  }

  terminate(): void {
    this.socket.destroy();
  }

  onClosed(listener: (ending: LinkEnding) => void): void {
    this.socket.on('error', () => undefined); // reported as the close that follows
    this.socket.once('close', (hadError) => listener(hadError ? 'dropped' : 'closed'));
  }

  private onLine(text: string): void {
    if (++this.linesThisTurn >= LINES_PER_TURN) this.yieldTurn();
    this.handlers?.line(text);
  }

  private yieldTurn(): void {
    if (this.yielding) return;
    this.yielding = true;
    this.socket.pause();
    setImmediate(() => {
      this.yielding = false;
      this.readOn();
    });
  }

  // In a turn of its own (never inside whatever resumed it), with the lines the reader held;
  // the socket is read again only once those are all handed on.
  private readonly readOn = (): void => {
    if (this.pausedBySession || this.yielding) return;
    this.linesThisTurn = 0;
    try {
      this.reader.resume();
    } catch (error) {
      this.handlers?.fail(error);
    }
    if (!this.reader.isHolding && !this.pausedBySession && !this.yielding) this.socket.resume();
  };
}
