import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { Origin } from '../../business/chat/participant.js';
import type { EnterOptions } from '../../business/chat/chat-service.js';
import type { RoomService } from '../../business/chat/room-service.js';
import type { AuditTrail } from '../../business/ports/audit-trail.js';
import type { ClientSession, SessionServices } from '../connections/client-session.js';
import { EventFrames } from '../connections/event-frames.js';
import { guarded } from '../connections/guarded.js';
import { peerAddressOf, peerOf } from '../connections/peer.js';
import { SessionSet, type SessionSetOptions } from '../connections/session-set.js';
import type { Transport } from '../connections/transport.js';
import { WriteCoalescer } from '../connections/write-coalescer.js';
import { JsonRenderer } from '../dialects/json-renderer.js';
import { LineDialogue } from '../dialects/line-dialogue.js';
import { LineEncoding } from '../dialects/line-encoding.js';
import { framedLines, linesOfFrame } from '../dialects/line-framing.js';
import { LineRenderer } from '../dialects/line-renderer.js';
import { PantzChatters } from '../dialects/pantz-chatters.js';
import { PantzDialogue } from '../dialects/pantz-dialogue.js';
import { PantzRenderer } from '../dialects/pantz-renderer.js';
import { bearerToken, type Grant, type TokenVerifier } from '../auth/token-verifier.js';
import type { OriginPolicy } from '../auth/origin-policy.js';
import { scrubToken } from '../auth/origin-policy.js';
import { refuseRaw } from '../http/raw-refusal.js';
import { WireError } from '../protocol/error-catalogue.js';
import { requestTarget } from '../http/request-target.js';
import type { ConnectionBudget } from '../lifecycle/connection-budget.js';
import type { Logger } from '../logging/logger.js';
import { CloseCode } from '../protocol/close-codes.js';
import { INTERNAL_ERROR_MESSAGE } from '../protocol/error-catalogue.js';
import { encodeEvent } from '../protocol/event-codec.js';
import { HISTORY_FLAG_PROBLEM } from '../protocol/history-flag.js';
import { textFrame } from './text-frame.js';
import { routeUpgrade, type UpgradeRoute } from './upgrade-route.js';
import { WsLink } from './ws-link.js';

/** WebSocket limits and timings (all from configuration). */
export interface WsTransportOptions extends SessionSetOptions {
  /** Largest frame accepted; larger ones close the connection with 1009. */
  readonly maxMessageBytes: number;
  /** Whether join and leave events carry the client's address and port. */
  readonly announceAddresses: boolean;
  /** Named in the welcome of the line dialects (`/ws`). */
  readonly serverName: string;
  /** A line-dialect client (`/ws`, `/mychat`) that has not joined a room by then is let go. */
  readonly loginTimeoutMs: number;
  /** Checks access tokens, when `--jwt-secret` or `--jwt-public-key` is set. */
  readonly tokens?: TokenVerifier;
  /** Which browser origins may connect (`--allowed-origins`); absent: any. */
  readonly origins?: OriginPolicy;
}

type Accepted = Exclude<UpgradeRoute, { kind: 'not_found' | 'invalid' }>;
type JsonRoute = Exclude<Accepted, { kind: 'lines' | 'pantz' }>;
type LinesRoute = Extract<Accepted, { kind: 'lines' }>;

/** An accepted connection: its session, what reads its frames, and how it begins. */
interface WsClient {
  readonly session: ClientSession;
  frame(data: Buffer, isBinary: boolean): void;
  begin(): void;
}

/**
 * WebSocket clients, on the HTTP server's port. It answers the `upgrade` events — refusing what
 * it cannot serve with a real HTTP status before upgrading — and gives every accepted
 * connection a session speaking JSON events in text frames, or, at the seeds' paths, their
 * dialects: the line dialects in text frames (`/ws`, `/mychat`), chattypantz's JSON requests
 * (`/v1.0/chat`).
 */
export class WsTransport implements Transport {
  readonly name = 'websocket';
  readonly sessions: SessionSet;
  private readonly server: WebSocketServer;
  private readonly frames = new EventFrames((event) => textFrame(encodeEvent(event)));
  private readonly renderer = new JsonRenderer(this.frames, textFrame);
  private readonly lineEncoding = new LineEncoding(framedLines);
  private readonly pantzRenderer = new PantzRenderer();
  private readonly writes = new WriteCoalescer();
  private accepting = true;

  constructor(
    private readonly services: SessionServices & { readonly rooms: RoomService },
    audit: AuditTrail,
    private readonly options: WsTransportOptions,
    private readonly budget: ConnectionBudget,
    private readonly logger: Logger,
    private readonly pantzChatters: PantzChatters = new PantzChatters(),
  ) {
    this.sessions = new SessionSet(this.name, services, options, audit, budget, logger);
    this.server = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: false, // ~20× the memory per connection for chat-sized frames
      maxPayload: options.maxMessageBytes,
    });
  }

  /** Times an event was encoded (once per broadcast, whatever the audience). */
  get encodeCount(): number {
    return this.frames.encodeCount;
  }

  /** Rides on the HTTP server: starts the keepalive and the idle sweep, listens on nothing. */
  listen(): Promise<undefined> {
    this.sessions.start();
    return Promise.resolve(undefined);
  }

  /**
   * The HTTP server's `upgrade` listener. Whatever the request holds, it is answered: a bug met
   * while handling it costs this request a 500, never the server.
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

  /** Refuses new upgrades, then tells every client and closes it (see SessionSet.shutdown). */
  async shutdown(deadline: number): Promise<void> {
    this.accepting = false;
    await this.sessions.shutdown(deadline);
  }

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
    if (this.sessions.overloaded) {
      refuseRaw(socket, 'overloaded', 'the server is short of memory; try again later');
      return;
    }
    const refusal = this.budget.refusal(peerAddressOf(request.socket));
    if (refusal !== undefined) {
      refuseRaw(socket, refusal.code, refusal.message);
      return;
    }
    const { origins } = this.options;
    const origin = request.headers.origin;
    if (
      origins !== undefined &&
      !origins.allows(origin, request.headers.host, route.kind !== 'join')
    ) {
      this.logger.debug({ url: scrubToken(request.url ?? ''), origin }, 'upgrade refused: origin');
      refuseRaw(socket, 'origin_not_allowed', `the origin ${origin ?? ''} may not connect here`);
      return;
    }
    this.authenticate(request, url, route)
      .then(
        (grant) => this.upgradeTo(request, socket, head, route, grant),
        (error: unknown) => {
          if (!(error instanceof WireError)) throw error;
          this.logger.debug(
            { url: scrubToken(request.url ?? ''), code: error.code },
            'upgrade refused',
          );
          refuseRaw(socket, error.code, error.message);
        },
      )
      .catch((error: unknown) => {
        this.logger.error({ err: error }, 'unexpected error handling an upgrade request');
        if (socket.writable) refuseRaw(socket, 'internal_error', INTERNAL_ERROR_MESSAGE);
        else socket.destroy();
      });
  }

  // When tokens are on, a join needs one: `?token=` (a browser cannot set headers on a
  // WebSocket) or `Authorization: Bearer`. The line dialects can also authenticate after the
  // upgrade (`/auth`, the handshake's "token"); listings (`/`, `/{room}`) need none, as GET /chat.
  private async authenticate(
    request: IncomingMessage,
    url: URL,
    route: Accepted,
  ): Promise<Grant | undefined> {
    const { tokens } = this.options;
    if (tokens === undefined || route.kind === 'rooms' || route.kind === 'participants') {
      return undefined;
    }
    const token = url.searchParams.get('token') ?? bearerToken(request.headers.authorization);
    if (token === undefined || token === null) {
      if (route.kind === 'lines') return undefined;
      throw new WireError(
        'auth_required',
        'this server needs an access token: add ?token=… or an Authorization: Bearer header',
      );
    }
    return tokens.verify(token);
  }

  private upgradeTo(
    request: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    route: Accepted,
    grant: Grant | undefined,
  ): void {
    if (socket.destroyed) return;
    this.server.handleUpgrade(request, socket, head, (ws) => {
      try {
        this.accept(ws, socket, route, request, grant);
      } catch (error) {
        this.logger.error({ err: error }, 'unexpected error accepting a WebSocket connection');
        ws.close(CloseCode.internalError, 'internal_error');
      }
    });
  }

  private accept(
    ws: WebSocket,
    socket: Duplex,
    route: Accepted,
    request: IncomingMessage,
    grant: Grant | undefined,
  ): void {
    const link = new WsLink(ws, socket, this.writes);
    const origin = this.originOf(request);
    const client =
      route.kind === 'lines'
        ? this.lineClient(link, route, origin, request)
        : route.kind === 'pantz'
          ? this.pantzClient(link, origin, request)
          : this.jsonClient(link, route, origin, request);
    const { session } = client;
    const { tokens } = this.options;
    if (grant !== undefined && tokens !== undefined) {
      session.authorize(grant, tokens.remainingMs(grant, Date.now()));
    }
    // binaryType 'nodebuffer': always one Buffer
    const onFrame = (data: RawData, isBinary: boolean): void =>
      client.frame(data as Buffer, isBinary);
    ws.on(
      'message',
      guarded(onFrame, (error) => session.fail(error)),
    );
    if (!this.accepting) {
      session.closeForShutdown(); // its handshake finished after shutdown began
      return;
    }
    client.begin();
  }

  private jsonClient(
    link: WsLink,
    route: JsonRoute,
    origin: Origin | undefined,
    request: IncomingMessage,
  ): WsClient {
    const session = this.sessions.open(link, this.renderer, peerOf(request.socket));
    return {
      session,
      frame: (data, isBinary) => {
        if (isBinary) refuseBinary(session);
        else session.receive(data.toString('utf8'), data.length);
      },
      begin: () => this.route(session, route, origin),
    };
  }

  // Each session has its own renderer: the dialect (telnet or MaChat) is known only once the
  // client has said who it is.
  private lineClient(
    link: WsLink,
    route: LinesRoute,
    origin: Origin | undefined,
    request: IncomingMessage,
  ): WsClient {
    const renderer = new LineRenderer(this.lineEncoding);
    const session = this.sessions.open(link, renderer, peerOf(request.socket));
    let dialogue: LineDialogue | undefined;
    return {
      session,
      frame: (data, isBinary) => {
        if (isBinary) refuseBinary(session);
        else for (const line of linesOfFrame(data.toString('utf8'))) dialogue?.line(line);
      },
      begin: () => {
        const { serverName, loginTimeoutMs } = this.options;
        dialogue = new LineDialogue(session, renderer, {
          opening: route.opening,
          serverName,
          greetingDelayMs: 0,
          loginTimeoutMs,
          origin,
          tokens: this.options.tokens,
        });
      },
    };
  }

  // The client speaks first: nothing is sent until it does.
  private pantzClient(
    link: WsLink,
    origin: Origin | undefined,
    request: IncomingMessage,
  ): WsClient {
    const peer = peerOf(request.socket);
    const session = this.sessions.open(link, this.pantzRenderer, peer);
    const figures = this.pantzChatters.open(peer ? `${peer.address}:${peer.port}` : '');
    void session.closed.then(() => this.pantzChatters.closed(figures));
    const { rooms, commands } = this.services;
    const dialogue = new PantzDialogue(session, rooms, commands, origin, figures);
    return {
      session,
      frame: (data) => dialogue.receive(data), // chattypantz takes JSON in binary frames too
      begin: () => undefined,
    };
  }

  private route(session: ClientSession, route: JsonRoute, origin: Origin | undefined): void {
    const { rooms } = this.services;
    switch (route.kind) {
      case 'join':
        if (route.room === null || route.room === '' || route.name === null) {
          session.refuse('invalid_request', 'both "room" and "name" query parameters are required');
          return;
        }
        if (route.history === undefined) {
          session.refuse('invalid_request', HISTORY_FLAG_PROBLEM);
          return;
        }
        this.join(session, { id: route.room }, route.name, { origin, history: route.history });
        return;
      case 'join_by_path':
        this.join(session, { idOrName: route.room }, route.name, { origin });
        return;
      case 'rooms':
        session.answerThenEnd(rooms.list().then((page) => ({ type: 'rooms', page })));
        return;
      case 'participants':
        session.answerThenEnd(
          rooms
            .find(route.room)
            .then((room) => rooms.get(room.id))
            .then((room) => ({ type: 'participants', room })),
        );
        return;
    }
  }

  // A browser cannot read the status of a refused upgrade, so a refused join is told in an
  // `error` event and a documented close code (docs/decisions/0004-refusing-bad-joins.md).
  private join(
    session: ClientSession,
    target: { id: string } | { idOrName: string },
    nickname: string,
    options: EnterOptions,
  ): void {
    void session.join(target, nickname, options, (code, message) => session.refuse(code, message));
  }

  private originOf(request: IncomingMessage): Origin | undefined {
    return this.options.announceAddresses ? peerOf(request.socket) : undefined;
  }
}

function refuseBinary(session: ClientSession): void {
  session.refuse('binary_not_supported', 'only text frames are supported');
}
