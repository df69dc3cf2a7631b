import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ChatService } from '../../business/chat/chat-service.js';
import { ConnectionAudit } from '../connections/connection-audit.js';
import type { ConnectionBudget } from '../lifecycle/connection-budget.js';
import { awaitClosed } from '../connections/await-closed.js';
import type { Logger } from '../logging/logger.js';
import type { RoomService } from '../../business/chat/room-service.js';
import type { CommandRunner } from '../../business/chat/command-runner.js';
import { encodeParticipants, encodeRoomList, encodeShuttingDown } from '../protocol/event-codec.js';
import { routeUpgrade, type UpgradeRoute } from './upgrade-route.js';
import { requestTarget } from '../http/request-target.js';
import { INTERNAL_ERROR_MESSAGE } from '../protocol/error-catalogue.js';
import { CloseCode } from '../protocol/close-codes.js';
import type { Origin } from '../../business/chat/participant.js';
import type { AuditTrail } from '../../business/ports/audit-trail.js';
import type { Sheddable, SheddableClient } from '../memory/memory-guard.js';
import { IdleSweep } from '../connections/idle-sweep.js';
import { Keepalive } from './keepalive.js';
import { refuseRaw } from '../http/raw-refusal.js';
import { SharedEncoding } from './shared-encoding.js';
import { WriteCoalescer } from '../connections/write-coalescer.js';
import { WsConnection, type WsConnectionOptions } from './ws-connection.js';

/** WebSocket limits and timings (all from configuration). */
export interface WsGatewayOptions {
  /** Largest frame accepted; larger ones close the connection with 1009. */
  readonly maxMessageBytes: number;
  /** Unsent bytes per client beyond which it is dropped as a slow consumer. */
  readonly sendBufferLimit: number;
  readonly pingIntervalMs: number;
  readonly pongTimeoutMs: number;
  /** Clients silent this long are disconnected; 0 = never. */
  readonly idleTimeoutMs: number;
  /** Whether join and leave events carry the client's address and port. */
  readonly announceAddresses: boolean;
}

/**
 * Every WebSocket connection of this node. It answers the HTTP server's `upgrade` events
 * (refusing what it cannot serve with a real HTTP status), keeps connections alive, and closes
 * them in order at shutdown.
 */
export class WsGateway implements Sheddable {
  private readonly server: WebSocketServer;
  private readonly connections = new Set<WsConnection>();
  private readonly frames = new SharedEncoding();
  private readonly writes = new WriteCoalescer();
  private readonly keepalive: Keepalive;
  private readonly idleSweep: IdleSweep;
  private readonly connectionOptions: WsConnectionOptions;
  private readonly shutdownFrame = Buffer.from(encodeShuttingDown(), 'utf8');
  private accepting = true;
  private overloaded = false;

  constructor(
    private readonly chat: ChatService,
    private readonly rooms: RoomService,
    private readonly commands: CommandRunner,
    private readonly audit: AuditTrail,
    private readonly options: WsGatewayOptions,
    private readonly budget: ConnectionBudget,
    private readonly logger: Logger,
  ) {
    budget.register(() => this.connections.size);
    this.server = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: false, // ~20× the memory per connection for chat-sized frames
      maxPayload: options.maxMessageBytes,
    });
    this.connectionOptions = {
      sendBufferLimit: options.sendBufferLimit,
      closeGraceMs: options.pongTimeoutMs,
    };
    this.keepalive = new Keepalive(this.connections, options.pingIntervalMs, options.pongTimeoutMs);
    this.keepalive.start();
    this.idleSweep = new IdleSweep(this.connections, options.idleTimeoutMs);
    this.idleSweep.start();
  }

  /** Number of open connections. */
  get size(): number {
    return this.connections.size;
  }

  /** Times an event was encoded (once per broadcast, whatever the audience). */
  get encodeCount(): number {
    return this.frames.encodeCount;
  }

  /**
   * The HTTP server's `upgrade` listener. Whatever the request holds, it is answered: a bug
   * met while handling it costs this request a 500, never the server.
   */
  readonly handleUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', (error) => this.logger.debug({ err: error }, 'upgrade socket error'));
    try {
      this.upgrade(request, socket, head);
    } catch (error) {
      this.logger.error({ err: error }, 'unexpected error handling an upgrade request');
      if (socket.writable) refuseRaw(socket, 'internal_error', INTERNAL_ERROR_MESSAGE);
      else socket.destroy();
    }
  };

  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (!this.accepting) {
      refuseRaw(socket, 'shutting_down', 'the server is shutting down');
      return;
    }
    const url = requestTarget(request.url);
    if (url === undefined) {
      refuseRaw(socket, 'invalid_request', 'the request target is not a valid URL');
      return;
    }
    const route = routeUpgrade(url);
    if (route.kind === 'not_found') {
      refuseRaw(socket, 'not_found', `no WebSocket endpoint at ${url.pathname}`);
      return;
    }
    if (route.kind === 'invalid') {
      refuseRaw(socket, 'invalid_request', route.message);
      return;
    }
    if (this.overloaded) {
      refuseRaw(socket, 'overloaded', 'the server is short of memory; try again later');
      return;
    }
    const refusal = this.budget.refusal();
    if (refusal !== undefined) {
      refuseRaw(socket, refusal.code, refusal.message);
      return;
    }
    this.server.handleUpgrade(request, socket, head, (ws) => {
      try {
        this.accept(ws, socket, route, request);
      } catch (error) {
        this.logger.error({ err: error }, 'unexpected error accepting a WebSocket connection');
        ws.close(CloseCode.internalError, 'internal_error');
      }
    });
  }

  setOverloaded(on: boolean): void {
    this.overloaded = on;
  }

  *sheddableClients(): Iterable<SheddableClient> {
    for (const connection of this.connections) if (connection.isOpen) yield connection;
  }

  /**
   * Shutdown, in order: refuse new upgrades; send every client `server_shutting_down` and a
   * 1001 close; wait for them until `deadline` (epoch ms); terminate the rest; wait until every
   * participant has left.
   */
  async shutdown(deadline: number): Promise<void> {
    this.accepting = false;
    this.keepalive.stop();
    this.idleSweep.stop();
    for (const connection of this.connections) connection.closeForShutdown(this.shutdownFrame);
    await awaitClosed(this.connections, deadline, this.logger);
  }

  private accept(
    ws: WebSocket,
    socket: Duplex,
    route: Exclude<UpgradeRoute, { kind: 'not_found' | 'invalid' }>,
    request: IncomingMessage,
  ): void {
    const { frames, writes, connectionOptions, logger, audit } = this;
    const connection = new WsConnection(
      ws,
      socket,
      this.commands,
      new ConnectionAudit(audit, 'websocket', peerOf(request)),
      frames,
      writes,
      connectionOptions,
      logger,
    );
    this.connections.add(connection);
    void connection.closed.then(() => this.connections.delete(connection));
    if (!this.accepting) {
      connection.closeForShutdown(this.shutdownFrame); // its handshake finished after shutdown began
      return;
    }
    const { chat, rooms } = this;
    switch (route.kind) {
      case 'join':
        if (route.room === null || route.room === '' || route.name === null) {
          connection.refuse(
            'invalid_request',
            'both "room" and "name" query parameters are required',
          );
          return;
        }
        connection.join(chat, route.room, route.name, this.originOf(request));
        return;
      case 'join_by_path': {
        const roomId = rooms.findOrCreate(route.room).then((room) => room.id);
        connection.join(chat, roomId, route.name, this.originOf(request));
        return;
      }
      case 'rooms':
        connection.answerAndClose(rooms.list().then(encodeRoomList));
        return;
      case 'participants':
        connection.answerAndClose(
          rooms
            .find(route.room)
            .then((room) => rooms.get(room.id))
            .then(encodeParticipants),
        );
        return;
    }
  }

  private originOf(request: IncomingMessage): Origin | undefined {
    return this.options.announceAddresses ? peerOf(request) : undefined;
  }
}

/** Where a client connects from. */
function peerOf(request: IncomingMessage): Origin | undefined {
  const { remoteAddress, remotePort } = request.socket;
  if (remoteAddress === undefined || remotePort === undefined) return undefined;
  return { address: remoteAddress, port: remotePort };
}
