import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import express, { type Request, type RequestHandler, type Response } from 'express';
import type { AuditTrail } from '../../business/ports/audit-trail.js';
import type { ClientSession, SessionServices } from '../connections/client-session.js';
import { EventFrames } from '../connections/event-frames.js';
import { peerAddressOf, peerOf } from '../connections/peer.js';
import { SessionSet, type SessionSetOptions } from '../connections/session-set.js';
import type { Transport } from '../connections/transport.js';
import { WriteCoalescer } from '../connections/write-coalescer.js';
import { JsonRenderer } from '../dialects/json-renderer.js';
import type { OriginPolicy } from '../auth/origin-policy.js';
import { bearerToken, type Grant, type TokenVerifier } from '../auth/token-verifier.js';
import type { ConnectionBudget } from '../lifecycle/connection-budget.js';
import type { Logger } from '../logging/logger.js';
import { HISTORY_FLAG_PROBLEM, parseHistoryFlag } from '../protocol/history-flag.js';
import { WireError, type WireErrorCode } from '../protocol/error-catalogue.js';
import { encodeEvent, encodeSessionKey } from '../protocol/event-codec.js';
import { seqOf, sseEvent } from './sse-framing.js';
import { SseLink } from './sse-link.js';
import { nodeTagOf, type PostOutcome, type SsePostRelay } from './sse-post-relay.js';

/** SSE limits and timings (all from configuration). */
export interface SseTransportOptions extends SessionSetOptions {
  /** Largest posted message accepted; larger ones get 413. */
  readonly maxMessageBytes: number;
  /** Whether join and leave events carry the client's address and port. */
  readonly announceAddresses: boolean;
  /** Checks access tokens, when `--jwt-secret` or `--jwt-public-key` is set. */
  readonly tokens?: TokenVerifier;
  /** Which browser origins may open a stream (`--allowed-origins`); absent: any. */
  readonly origins?: OriginPolicy;
  /** With several nodes: hands posts for streams held elsewhere to their node. */
  readonly relay?: SsePostRelay;
}

/** The two HTTP routes of the transport, mounted by the HTTP app. */
export interface SseRoutes {
  /** `GET /chat/:id/events?name=` */
  readonly openStream: RequestHandler;
  /** `POST /chat/:id/messages` with `Parley-Session` */
  readonly postMessage: RequestHandler[];
}

/** The header a client posts with, naming its stream's session. */
export const SESSION_HEADER = 'Parley-Session';

interface Stream {
  readonly session: ClientSession;
  readonly link: SseLink;
  readonly roomId: string;
}

/**
 * Server-Sent Events: what browsers and proxies that block WebSocket can still use. A client
 * opens `GET /chat/:id/events?name=Ann` and reads the same JSON events a WebSocket client gets,
 * one per SSE event; it sends with `POST /chat/:id/messages`, naming its stream by the key of
 * the stream's first event. Same session, same rules as every transport.
 */
export class SseTransport implements Transport {
  readonly name = 'sse';
  readonly sessions: SessionSet;
  readonly routes: SseRoutes;
  private readonly streams = new Map<string, Stream>();
  private readonly frames = new EventFrames((event) => sseEvent(encodeEvent(event), seqOf(event)));
  private readonly renderer = new JsonRenderer(this.frames, (text) => sseEvent(text));
  private readonly writes = new WriteCoalescer();
  private accepting = true;

  /**
   * @param handOver takes a stream's socket out of the plain HTTP connection count, since its
   *   session counts it now
   */
  constructor(
    services: SessionServices,
    audit: AuditTrail,
    private readonly options: SseTransportOptions,
    private readonly budget: ConnectionBudget,
    private readonly handOver: (socket: Socket) => void,
    logger: Logger,
  ) {
    this.sessions = new SessionSet(this.name, services, options, audit, budget, logger);
    this.routes = {
      openStream: (request, response, next) => {
        this.openStream(request, response).catch(next);
      },
      postMessage: [
        express.text({ type: () => true, limit: options.maxMessageBytes }),
        (request, response, next) => {
          this.post(request, response).catch(next);
        },
      ],
    };
  }

  /**
   * Rides on the HTTP server: starts the keepalive and the idle sweep, and with several nodes
   * takes the posts other nodes hand on; listens on no port of its own.
   */
  async listen(): Promise<undefined> {
    this.sessions.start();
    await this.options.relay?.serve((post) =>
      this.accept(this.streams.get(post.key), post.roomId, post.text, post.subject),
    );
    return undefined;
  }

  /** Refuses new streams, then tells every client and ends its stream. */
  async shutdown(deadline: number): Promise<void> {
    this.accepting = false;
    await this.sessions.shutdown(deadline);
  }

  // A join that cannot happen is answered with an HTTP status and the JSON error, before any
  // stream starts (an EventSource then gives up instead of retrying).
  private async openStream(request: Request, response: Response): Promise<void> {
    // The stream's connection is its session's to count from now on (even when refused: the
    // refusal closes it), so the budget check does not count it twice.
    response.shouldKeepAlive = false;
    this.handOver(request.socket);
    this.refuseIfFull(peerAddressOf(request.socket));
    const { origins } = this.options;
    const origin = request.get('Origin');
    if (origins !== undefined && !origins.allows(origin, request.get('Host'))) {
      throw new WireError('origin_not_allowed', `the origin ${origin ?? ''} may not connect here`);
    }
    const grant = await this.authenticate(request, true);
    const roomId = String(request.params.id);
    const name = request.query.name;
    if (typeof name !== 'string') {
      throw new WireError('invalid_request', 'a "name" query parameter is required');
    }
    const history = parseHistoryFlag(request.query.history);
    if (history === undefined) throw new WireError('invalid_request', HISTORY_FLAG_PROBLEM);
    const link = new SseLink(response, this.writes);
    const peer = peerOf(request.socket);
    const session = this.sessions.open(link, this.renderer, peer);
    const { tokens } = this.options;
    if (grant !== undefined && tokens !== undefined) {
      session.authorize(grant, tokens.remainingMs(grant, Date.now()));
    }
    let refusal: WireError | undefined;
    const announced = this.options.announceAddresses ? peer : undefined;
    await session.join(
      { id: roomId },
      name,
      { origin: announced, history },
      (code: WireErrorCode, message) => {
        refusal = new WireError(code, message);
      },
    );
    if (refusal !== undefined) throw refusal;
    if (!session.isOpen) return; // the client went away while joining
    const random = randomBytes(18).toString('base64url');
    const { relay } = this.options;
    const key = relay === undefined ? random : `${relay.nodeTag}.${random}`;
    this.streams.set(key, { session, link, roomId });
    void session.closed.then(() => this.streams.delete(key));
    link.start(sseEvent(encodeSessionKey(key)));
  }

  // When tokens are on: `Authorization: Bearer`, or `?token=` on the stream (an EventSource
  // cannot set headers). A post must carry the stream's token (or a newer one for its subject).
  private async authenticate(request: Request, queryToo: boolean): Promise<Grant | undefined> {
    const { tokens } = this.options;
    if (tokens === undefined) return undefined;
    const query = queryToo ? request.query.token : undefined;
    const token =
      bearerToken(request.get('Authorization')) ?? (typeof query === 'string' ? query : undefined);
    if (token === undefined) {
      throw new WireError(
        'auth_required',
        'this server needs an access token: send Authorization: Bearer …',
      );
    }
    return tokens.verify(token);
  }

  private refuseIfFull(address: string | undefined): void {
    if (!this.accepting) throw new WireError('shutting_down', 'the server is shutting down');
    if (this.sessions.overloaded) {
      throw new WireError('overloaded', 'the server is short of memory; try again later');
    }
    const refusal = this.budget.refusal(address);
    if (refusal !== undefined) throw new WireError(refusal.code, refusal.message);
  }

  // Accepted (202) once the session takes it in, in order; what it leads to (the message, an
  // answer, an error) arrives on the stream, as it would over WebSocket. A post for a stream
  // another node holds is handed to that node, which decides the same way.
  private async post(request: Request, response: Response): Promise<void> {
    const grant = await this.authenticate(request, false);
    const key = request.get(SESSION_HEADER) ?? '';
    const roomId = String(request.params.id);
    const text = typeof request.body === 'string' ? request.body : '';
    const subject = grant?.subject;
    const { relay } = this.options;
    const holder = nodeTagOf(key);
    const elsewhere = relay !== undefined && holder !== undefined && holder !== relay.nodeTag;
    const outcome = elsewhere
      ? await relay.forward(holder, {
          key,
          roomId,
          text,
          ...(subject === undefined ? {} : { subject }),
        })
      : await this.accept(this.streams.get(key), roomId, text, subject);
    if (!outcome.accepted) throw new WireError(outcome.code, outcome.message);
    response.status(202).end();
  }

  /** Takes a posted text into its stream's session, in order, or says why not. */
  private async accept(
    stream: Stream | undefined,
    roomId: string,
    text: string,
    subject: string | undefined,
  ): Promise<PostOutcome> {
    if (stream === undefined || stream.roomId !== roomId || !stream.session.isOpen) {
      return refused(invalidSession());
    }
    if (subject !== undefined && subject !== stream.session.grant?.subject) {
      return refused(
        new WireError('invalid_token', "the token is not the one of this stream's subject"),
      );
    }
    await stream.link.reading();
    if (!stream.session.isOpen) return refused(invalidSession());
    const rate = stream.session.receive(text, Buffer.byteLength(text));
    if (rate === 'taken') return { accepted: true };
    const code = rate === 'limited' ? 'rate_limited' : 'flooding';
    return refused(new WireError(code, 'you are sending too fast; slow down (see the stream)'));
  }
}

function refused(error: WireError): PostOutcome {
  return { accepted: false, code: error.code, message: error.message };
}

function invalidSession(): WireError {
  return new WireError(
    'invalid_session',
    `no open stream of this room has that ${SESSION_HEADER} key: open GET /chat/{id}/events first`,
  );
}
