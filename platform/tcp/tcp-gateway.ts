import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { ConnectionBudget } from '../lifecycle/connection-budget.js';
import { awaitClosed } from '../connections/await-closed.js';
import type { Logger } from '../logging/logger.js';
import type { Sheddable, SheddableClient } from '../memory/memory-guard.js';
import { IdleSweep } from '../connections/idle-sweep.js';
import { WriteCoalescer } from '../connections/write-coalescer.js';
import { LineEncoding } from './line-encoding.js';
import {
  TcpConnection,
  type LineConversation,
  type TcpConnectionOptions,
} from './tcp-connection.js';

/** Where the line driver listens, and its limits (all from configuration). */
export interface TcpGatewayOptions extends TcpConnectionOptions {
  readonly host: string;
  /** `--tcp-port`; 0 turns the line driver off. */
  readonly port: number;
  /** Clients silent this long are disconnected; 0 = never. */
  readonly idleTimeoutMs: number;
}

const SHUTDOWN_NOTICE = 'The server is shutting down. Goodbye.';

/**
 * The TCP line driver (chat-server's telnet driver, MaChat's TCP server): every line client of
 * this node, in the same rooms as the WebSocket ones. Shares the connection limit with the
 * other transports and is shed under memory pressure like them.
 */
export class TcpGateway implements Sheddable {
  private readonly server: Server;
  private readonly connections = new Set<TcpConnection>();
  private readonly encoding = new LineEncoding();
  private readonly writes = new WriteCoalescer();
  private readonly idleSweep: IdleSweep;
  private overloaded = false;
  private listening = false;

  constructor(
    private readonly conversation: LineConversation,
    private readonly options: TcpGatewayOptions,
    private readonly budget: ConnectionBudget,
    private readonly logger: Logger,
  ) {
    budget.register(() => this.connections.size);
    // Half-open: a client that has finished sending (nc < file) still gets its answers.
    this.server = createServer({ allowHalfOpen: true }, (socket) => this.accept(socket));
    this.server.on('error', (error) => logger.error({ err: error }, 'tcp server error'));
    this.idleSweep = new IdleSweep(this.connections, options.idleTimeoutMs);
  }

  /** Starts listening unless the port is 0; resolves with the address, if any. */
  async listen(): Promise<AddressInfo | undefined> {
    if (this.options.port === 0) return undefined;
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.listening = true;
    this.idleSweep.start();
    return this.server.address() as AddressInfo;
  }

  /** Open connections. */
  get size(): number {
    return this.connections.size;
  }

  setOverloaded(on: boolean): void {
    this.overloaded = on;
  }

  *sheddableClients(): Iterable<SheddableClient> {
    for (const connection of this.connections) if (connection.isOpen) yield connection;
  }

  /**
   * Shutdown: stop listening; tell every client the server is going and close; wait for them
   * until `deadline` (epoch ms); cut the rest; wait until every participant has left.
   */
  async shutdown(deadline: number): Promise<void> {
    this.idleSweep.stop();
    if (this.listening) this.server.close();
    for (const connection of this.connections) connection.closeForShutdown(SHUTDOWN_NOTICE);
    await awaitClosed(this.connections, deadline, this.logger);
  }

  private accept(socket: Socket): void {
    const { remoteAddress: address, remotePort: port } = socket;
    const peer = address !== undefined && port !== undefined ? { address, port } : undefined;
    const refusal = this.budget.refusal();
    const connection = new TcpConnection(
      socket,
      this.conversation,
      this.encoding,
      this.writes,
      peer,
      this.options,
      this.logger,
    );
    this.connections.add(connection);
    void connection.closed.then(() => this.connections.delete(connection));
    if (this.overloaded) {
      connection.turnAway('overloaded', 'the server is short of memory; try again later');
    } else if (refusal !== undefined) {
      connection.turnAway(refusal.code, refusal.message);
    }
  }
}
