import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { AuditTrail } from '../../business/ports/audit-trail.js';
import type { SessionServices } from '../connections/client-session.js';
import { peerAddressOf, peerOf } from '../connections/peer.js';
import { SessionSet, type SessionSetOptions } from '../connections/session-set.js';
import type { Transport } from '../connections/transport.js';
import { WriteCoalescer } from '../connections/write-coalescer.js';
import type { LineDialect } from '../dialects/line-dialect.js';
import type { ConnectionBudget } from '../lifecycle/connection-budget.js';
import type { Logger } from '../logging/logger.js';
import { TcpLink } from './tcp-link.js';

/** Where a line port listens, and its limits (all from configuration). */
export interface TcpTransportOptions extends SessionSetOptions {
  readonly host: string;
  /** `--tcp-port`, `--chatrm-port`; 0 turns the port off. */
  readonly port: number;
  /** Longest line accepted (`--max-message-bytes`); longer ones are refused, not split. */
  readonly maxLineBytes: number;
}

/**
 * A TCP line port: line clients in the same rooms as everyone else, each a session speaking the
 * port's dialect. `tcp` (chat-server's telnet driver, MaChat's TCP server) and `chatrm` are two
 * of these, differing only in name, port, options and dialect.
 */
export class TcpTransport implements Transport {
  readonly sessions: SessionSet;
  private readonly server: Server;
  private readonly writes = new WriteCoalescer();
  private listening = false;

  /** @param name the transport's name, as the audit trail and logs give it (`tcp`, `chatrm`) */
  constructor(
    readonly name: string,
    private readonly dialect: LineDialect,
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
    this.server.on('error', (error) =>
      this.logger.error({ err: error, transport: this.name }, 'line server error'),
    );
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
    const refusal = this.budget.refusal(peerAddressOf(socket));
    const link = new TcpLink(socket, this.writes, this.options.maxLineBytes);
    const peer = peerOf(socket);
    const conversation = this.dialect.start(
      (renderer) => this.sessions.open(link, renderer, peer),
      peer,
    );
    const { session } = conversation;
    link.start({
      line: (text) => conversation.line(text),
      tooLong: (limit) => conversation.tooLong(limit),
      finished: () => void session.finishInput(),
      objectEndsLine: () => conversation.objectEndsLine?.() === true,
      fail: (error) => session.fail(error),
    });
    if (this.sessions.overloaded) {
      session.refuse('overloaded', 'the server is short of memory; try again later');
    } else if (refusal !== undefined) {
      session.refuse(refusal.code, refusal.message);
    }
  }
}
