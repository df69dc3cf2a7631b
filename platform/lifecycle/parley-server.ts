import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { waitUntil } from './wait-until.js';
import type { Logger } from '../logging/logger.js';
import type { Duplex } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import type { Transport } from '../connections/transport.js';
import type { HttpConnections } from '../http/http-connections.js';
import { httpFront, upgradeFront } from '../http/http-front.js';
import { answerClientError } from '../http/client-errors.js';
import { ListenError } from './listen-error.js';

/** Something holding data or connections that must be released last, in order. */
export interface Closable {
  readonly name: string;
  close(): Promise<void>;
}

/** The HTTP server's `upgrade` listener (the WebSocket transport's). */
export type UpgradeListener = (request: IncomingMessage, socket: Duplex, head: Buffer) => void;

/** Where each transport with a listener of its own listens, by transport name. */
export type TransportAddresses = ReadonlyMap<string, AddressInfo>;

/** Where to listen and how long shutdown may take. */
export interface ParleyServerOptions {
  readonly host: string;
  readonly port: number;
  readonly shutdownTimeoutMs: number;
  /** Time a client has to send its request headers; then 408 (slowloris). */
  readonly headersTimeoutMs: number;
}

/** How often the HTTP server looks for requests past their time. */
const TIMEOUT_CHECK_MS = 1000;

/**
 * One HTTP server for REST, SSE and WebSocket upgrades, the transports (some on it, some with
 * listeners of their own), and the shutdown order for everything behind them.
 */
export class ParleyServer {
  private readonly http: Server;
  private stopping: Promise<void> | undefined;

  /** True once shutdown has begun (readiness turns false). */
  get shuttingDown(): boolean {
    return this.stopping !== undefined;
  }

  constructor(
    app: Express,
    upgrade: UpgradeListener,
    private readonly transports: readonly Transport[],
    private readonly connections: HttpConnections,
    private readonly closables: readonly Closable[],
    private readonly options: ParleyServerOptions,
    private readonly logger: Logger,
  ) {
    const front = httpFront(app, connections);
    this.http = createServer({ connectionsCheckingInterval: TIMEOUT_CHECK_MS }, front);
    this.http.headersTimeout = options.headersTimeoutMs;
    this.http.on('clientError', answerClientError);
    this.http.on('connection', connections.accept);
    this.http.on('upgrade', upgradeFront(upgrade, connections));
  }

  /**
   * Starts listening; resolves with the real HTTP address (port 0 picks a free port) and those
   * of the transports with listeners of their own that are on.
   * @throws ListenError naming the listener that could not start.
   */
  async listen(): Promise<{ http: AddressInfo; transports: TransportAddresses }> {
    await new Promise<void>((resolve, reject) => {
      const refuse = (error: NodeJS.ErrnoException) => reject(new ListenError('http', error));
      this.http.once('error', refuse);
      this.http.listen(this.options.port, this.options.host, () => {
        this.http.off('error', refuse);
        resolve();
      });
    });
    // Once listening, a failed accept is the server's problem to log, not a reason to stop.
    this.http.on('error', (error) => this.logger.error({ err: error }, 'http server error'));
    const transports = new Map<string, AddressInfo>();
    for (const transport of this.transports) {
      const address = await transport.listen().catch((error: NodeJS.ErrnoException) => {
        throw new ListenError(transport.name, error);
      });
      if (address !== undefined) transports.set(transport.name, address);
    }
    return { http: this.http.address() as AddressInfo, transports };
  }

  /** `http://host:port` of the listening server. */
  get url(): string {
    const { address, port, family } = this.http.address() as AddressInfo;
    return `http://${family === 'IPv6' ? `[${address}]` : address}:${port}`;
  }

  /**
   * Graceful shutdown under one deadline (`shutdownTimeoutMs`), in this order:
   * 1. stop accepting HTTP requests and upgrades; drop idle keep-alive connections;
   * 2. every transport tells its clients the server is going (WebSocket: `server_shutting_down`
   *    and 1001; lines: a goodbye) and closes them; wait for them, terminate the stragglers at
   *    the deadline;
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
    await Promise.all(this.transports.map((transport) => transport.shutdown(deadline)));
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
    this.connections.destroyAll(); // upgraded sockets no transport took, refused ones
    await httpClosed;
  }
}
