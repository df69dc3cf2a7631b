import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { waitUntil } from './wait-until.js';
import type { Logger } from '../logging/logger.js';
import type { WsGateway } from '../ws/ws-gateway.js';

/** Something holding data or connections that must be released last, in order. */
export interface Closable {
  readonly name: string;
  close(): Promise<void>;
}

/** Where to listen and how long shutdown may take. */
export interface ParleyServerOptions {
  readonly host: string;
  readonly port: number;
  readonly shutdownTimeoutMs: number;
}

/**
 * One HTTP server for REST and WebSocket, and the shutdown order for everything behind it.
 */
export class ParleyServer {
  private readonly http: Server;
  private stopping: Promise<void> | undefined;

  constructor(
    app: Express,
    private readonly gateway: WsGateway,
    private readonly closables: readonly Closable[],
    private readonly options: ParleyServerOptions,
    private readonly logger: Logger,
  ) {
    this.http = createServer(app);
    this.http.on('upgrade', gateway.handleUpgrade);
  }

  /** Starts listening; resolves with the real address (port 0 picks a free port). */
  async listen(): Promise<AddressInfo> {
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(this.options.port, this.options.host, () => {
        this.http.off('error', reject);
        resolve();
      });
    });
    return this.http.address() as AddressInfo;
  }

  /** `http://host:port` of the listening server. */
  get url(): string {
    const { address, port, family } = this.http.address() as AddressInfo;
    return `http://${family === 'IPv6' ? `[${address}]` : address}:${port}`;
  }

  /**
   * Graceful shutdown under one deadline (`shutdownTimeoutMs`), in this order:
   * 1. stop accepting HTTP requests and upgrades; drop idle keep-alive connections;
   * 2. send every WebSocket client `server_shutting_down`, close each with 1001, wait for them,
   *    terminate the stragglers at the deadline;
   * 3. let HTTP requests in flight finish until the deadline, then cut them;
   * 4. flush and close storage (never cut short: it is what makes accepted messages durable).
   * Calling it again returns the same promise.
   */
  shutdown(): Promise<void> {
    this.stopping ??= this.runShutdown();
    return this.stopping;
  }

  private async runShutdown(): Promise<void> {
    const deadline = Date.now() + this.options.shutdownTimeoutMs;
    this.logger.info('shutting down: no longer accepting connections');
    const httpClosed = new Promise<void>((resolve) => this.http.close(() => resolve()));
    this.http.closeIdleConnections();
    await this.gateway.shutdown(deadline);
    await this.finishHttp(httpClosed, deadline);
    for (const closable of this.closables) {
      await closable.close();
      this.logger.info({ component: closable.name }, 'closed');
    }
    this.logger.info('shutdown complete');
  }

  private async finishHttp(httpClosed: Promise<void>, deadline: number): Promise<void> {
    if ((await waitUntil(httpClosed, deadline)) === 'done') return;
    this.http.closeAllConnections();
    await httpClosed;
  }
}
