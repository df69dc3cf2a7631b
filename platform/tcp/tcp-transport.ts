import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { AuditTrail } from '../../business/ports/audit-trail.js';
import type { SessionServices } from '../connections/client-session.js';
import { peerOf } from '../connections/peer.js';
import { SessionSet, type SessionSetOptions } from '../connections/session-set.js';
import type { Transport } from '../connections/transport.js';
import { WriteCoalescer } from '../connections/write-coalescer.js';
import { LineDialogue } from '../dialects/line-dialogue.js';
import { LineEncoding } from '../dialects/line-encoding.js';
import { streamLines } from '../dialects/line-framing.js';
import { LineRenderer } from '../dialects/line-renderer.js';
import type { ConnectionBudget } from '../lifecycle/connection-budget.js';
import type { Logger } from '../logging/logger.js';
import { TcpLink } from './tcp-link.js';

/** Where the line driver listens, and its limits (all from configuration). */
export interface TcpTransportOptions extends SessionSetOptions {
  readonly host: string;
  /** `--tcp-port`; 0 turns the line driver off. */
  readonly port: number;
  /** Longest line accepted (`--max-message-bytes`); longer ones are refused, not split. */
  readonly maxLineBytes: number;
  /** Named in the welcome. */
  readonly serverName: string;
  /** How long the server waits for a MaChat handshake before it greets a person. */
  readonly greetingDelayMs: number;
  /** A client that has not joined a room by then is disconnected. */
  readonly loginTimeoutMs: number;
  /** Whether join and leave events carry the client's address and port. */
  readonly announceAddresses: boolean;
}

/**
 * The TCP line driver (chat-server's telnet driver, MaChat's TCP server): line clients in the
 * same rooms as everyone else, each a session speaking the telnet or MaChat dialect.
 */
export class TcpTransport implements Transport {
  readonly name = 'tcp';
  readonly sessions: SessionSet;
  private readonly server: Server;
  private readonly encoding = new LineEncoding(streamLines);
  private readonly writes = new WriteCoalescer();
  private listening = false;

  constructor(
    services: SessionServices,
    audit: AuditTrail,
    private readonly options: TcpTransportOptions,
    private readonly budget: ConnectionBudget,
    private readonly logger: Logger,
  ) {
    this.sessions = new SessionSet(this.name, services, options, audit, budget, logger);
    // Half-open: a client that has finished sending (nc < file) still gets its answers.
    this.server = createServer({ allowHalfOpen: true }, (socket) => this.accept(socket));
  }

  /** Starts listening unless the port is 0; resolves with the address, if any. */
  async listen(): Promise<AddressInfo | undefined> {
    if (this.options.port === 0) return undefined;
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host, () => resolve());
    });
    this.server.removeAllListeners('error');
    this.server.on('error', (error) => this.logger.error({ err: error }, 'tcp server error'));
    this.listening = true;
    this.sessions.start();
    return this.server.address() as AddressInfo;
  }

  /** Stops listening, then tells every client and closes it (see SessionSet.shutdown). */
  async shutdown(deadline: number): Promise<void> {
    if (this.listening) this.server.close();
    await this.sessions.shutdown(deadline);
  }

  private accept(socket: Socket): void {
    const refusal = this.budget.refusal();
    const link = new TcpLink(socket, this.writes, this.options.maxLineBytes);
    const renderer = new LineRenderer(this.encoding);
    const peer = peerOf(socket);
    const session = this.sessions.open(link, renderer, peer);
    const origin = this.options.announceAddresses ? peer : undefined;
    const { serverName, greetingDelayMs, loginTimeoutMs } = this.options;
    const dialogue = new LineDialogue(session, renderer, {
      opening: 'either',
      serverName,
      greetingDelayMs,
      loginTimeoutMs,
      origin,
    });
    link.start({
      line: (text) => dialogue.line(text),
      tooLong: (limit) =>
        session.sendError(
          'payload_too_large',
          `a line is at most ${limit} bytes; that one was dropped`,
        ),
      finished: () => void session.finishInput(),
      objectEndsLine: () => dialogue.awaitsHandshake,
      fail: (error) => session.fail(error),
    });
    if (this.sessions.overloaded) {
      session.refuse('overloaded', 'the server is short of memory; try again later');
    } else if (refusal !== undefined) {
      session.refuse(refusal.code, refusal.message);
    }
  }
}
