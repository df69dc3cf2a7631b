import type { Duplex } from 'node:stream';
import { WebSocket, type RawData } from 'ws';
import type { ChatService } from '../../business/chat/chat-service.js';
import type { Membership } from '../../business/chat/membership.js';
import type { LeaveReason, MemberEvent } from '../../business/chat/room-event.js';
import type { Outbox } from '../../business/ports/outbox.js';
import { BacklogLimit } from '../connections/backlog-limit.js';
import type { ConnectionAudit } from '../connections/connection-audit.js';
import { describeError } from '../connections/describe-error.js';
import { guarded } from '../connections/guarded.js';
import { IngressWindow } from '../connections/ingress-window.js';
import { leaveRoom } from '../connections/leave-room.js';
import type { Logger } from '../logging/logger.js';
import { CloseCode } from '../protocol/close-codes.js';
import { ERROR_CATALOGUE, type WireErrorCode } from '../protocol/error-catalogue.js';
import type { CommandReply, CommandRunner } from '../../business/chat/command-runner.js';
import { ClientInputs } from '../../business/chat/client-inputs.js';
import { encodeError, encodeReply } from '../protocol/event-codec.js';
import type { Origin } from '../../business/chat/participant.js';
import type { IdlePeer } from '../connections/idle-sweep.js';
import type { KeepalivePeer } from './keepalive.js';
import type { SharedEncoding } from './shared-encoding.js';
import type { WriteCoalescer } from '../connections/write-coalescer.js';

/** Limits applied to every connection. */
export interface WsConnectionOptions {
  /** Unsent bytes beyond which the client is dropped as a slow consumer. */
  readonly sendBufferLimit: number;
  /** How long a closing slow consumer is given to read its close frame before termination. */
  readonly closeGraceMs: number;
}

const TEXT_FRAME = { binary: false } as const;

/** What `ws` reports when a connection ended without a close frame (RFC 6455, 7.1.5). */
const ABNORMAL_CLOSURE = 1006;

/**
 * One WebSocket client, from join to leave: the pipeline between a socket and its Membership.
 * Text frames become messages (in arrival order, even those sent before the join completed);
 * room events are written without ever waiting for the client; a client whose unsent data
 * passes the limit is dropped rather than allowed to delay anyone else.
 */
export class WsConnection implements Outbox, KeepalivePeer, IdlePeer {
  /** Resolves once the socket is closed and the participant has left. */
  readonly closed: Promise<void>;
  private heardAt = Date.now();
  private membership: Membership | undefined;
  private joined: Promise<Membership | undefined> = Promise.resolve(undefined);
  private leaveReason: LeaveReason | undefined;
  private ended = false;
  private awaitingPong = false;
  private readonly backlog: BacklogLimit;
  private readonly ingress: IngressWindow;
  private readonly inputs: ClientInputs;

  /**
   * @param socket the TCP socket under `ws`: room events are written to it directly as
   *   pre-built frames (safe because permessage-deflate is off, so `ws` itself only ever writes
   *   whole frames, synchronously).
   */
  constructor(
    private readonly ws: WebSocket,
    private readonly socket: Duplex,
    commands: CommandRunner,
    private readonly audit: ConnectionAudit,
    private readonly frames: SharedEncoding,
    private readonly writes: WriteCoalescer,
    private readonly options: WsConnectionOptions,
    private readonly logger: Logger,
  ) {
    this.backlog = new BacklogLimit(options.sendBufferLimit);
    this.inputs = new ClientInputs(commands);
    this.ingress = new IngressWindow(ws);
    socket.on('drain', () => this.ingress.outputTaken());
    audit.opened();
    const fail = (error: unknown): void => this.refuse(...this.describe(error));
    ws.on(
      'message',
      guarded((data: RawData, isBinary: boolean) => this.onFrame(data, isBinary), fail),
    );
    ws.on('pong', () => (this.awaitingPong = false));
    ws.on('error', (error) => this.onProtocolError(error));
    this.closed = new Promise((resolve) => {
      ws.once('close', (code) => void this.onClose(code).catch(this.logFailure).finally(resolve));
    });
  }

  /** Joins the room; on refusal the client gets an `error` event and a documented close. */
  join(
    chat: ChatService,
    roomId: string | Promise<string>,
    nickname: string,
    origin?: Origin,
  ): void {
    const joining = Promise.resolve(roomId).then((id) => chat.join(id, nickname, this, origin));
    this.joined = joining.then(
      (membership) => this.onJoined(membership),
      (error: unknown) => {
        this.refuse(...this.describe(error));
        return undefined;
      },
    );
  }

  /**
   * For connections that ask one question (chattypantz's room and people listings): sends the
   * answer and closes normally, or sends the error and closes with its code.
   */
  answerAndClose(answer: Promise<string>): void {
    this.leaveReason = 'quit';
    answer.then(
      (text) => {
        if (this.ws.readyState !== WebSocket.OPEN) return;
        this.send(text);
        this.endWith(CloseCode.normal);
      },
      (error: unknown) => this.refuse(...this.describe(error)),
    );
  }

  deliver(event: MemberEvent): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    const frame = this.frames.frameFor(event);
    const socket = this.socket;
    if (event.type === 'message_replayed') {
      this.writes.write(socket, frame);
      this.backlog.excuse(socket.writableLength);
      return;
    }
    if (this.backlog.isExceeded(socket.writableLength)) {
      this.dropSlowConsumer();
      return;
    }
    this.writes.write(socket, frame);
  }

  /** Sends an `error` event and closes with the code the catalogue gives the error. */
  refuse(code: WireErrorCode, message: string): void {
    this.leaveReason ??= 'protocol_error';
    this.sendError(code, message);
    this.endWith(ERROR_CATALOGUE[code].close ?? CloseCode.internalError, code);
  }

  ping(): void {
    this.awaitingPong = true;
    this.ws.ping();
  }

  // A client whose reading the server itself paused cannot have its pong read: it is given
  // the benefit of the doubt until reading resumes.
  expireIfSilent(): void {
    if (!this.awaitingPong || this.ingress.isWaitingOnServer) return;
    this.leaveReason = 'ping_timeout';
    this.ws.terminate();
  }

  expireIdle(): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    this.leaveReason = 'idle_timeout';
    this.refuse('idle_timeout', 'you sent nothing for too long');
  }

  /** Tells the client the server is going away (the frame is pre-encoded once for all). */
  closeForShutdown(frame: Buffer): void {
    this.leaveReason = 'server_shutdown';
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(frame, TEXT_FRAME);
    this.ws.close(CloseCode.goingAway, 'server_shutting_down');
  }

  /** When the client last sent a frame (epoch ms); the server's pings and their pongs do not count. */
  get lastHeardAt(): number {
    return this.heardAt;
  }

  /** True until the close handshake has begun. */
  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /** Bytes written for the client and not yet taken by the network. */
  get queuedBytes(): number {
    return this.socket.writableLength;
  }

  /** Disconnects the client to free memory (close 1013: try again later). */
  shed(): void {
    if (!this.isOpen) return;
    this.dropNow('overloaded', 'the server is short of memory; try again later');
  }

  /** Drops the connection at once (shutdown stragglers). */
  terminate(): void {
    this.ws.terminate();
  }

  private onJoined(membership: Membership): Membership | undefined {
    if (this.ended) {
      void this.leave(membership);
      return undefined;
    }
    this.membership = membership;
    this.logger.debug({ room: membership.room.id, participant: membership.name }, 'joined');
    return membership;
  }

  private onFrame(data: RawData, isBinary: boolean): void {
    if (this.ws.readyState !== WebSocket.OPEN) return; // closing: nothing more is taken in
    this.heardAt = Date.now();
    if (isBinary) {
      this.refuse('binary_not_supported', 'only text frames are supported');
      return;
    }
    const text = (data as Buffer).toString('utf8'); // binaryType 'nodebuffer': always one Buffer
    const bytes = (data as Buffer).length;
    this.ingress.admit(bytes);
    if (this.membership !== undefined) this.run(this.membership, text, bytes);
    else
      void this.joined.then((membership) =>
        membership ? this.run(membership, text, bytes) : this.ingress.release(bytes),
      );
  }

  // Inputs take effect and are answered in the order the client sent them (ClientInputs).
  private run(membership: Membership, text: string, bytes: number): void {
    const current = (): Membership => this.membership ?? membership;
    void this.inputs.submit(text, current, (outcome) => {
      this.ingress.release(bytes);
      if (!outcome.ok) this.sendError(...this.describe(outcome.error));
      else if (outcome.reply) this.answer(outcome.reply);
    });
  }

  private answer(reply: CommandReply): void {
    if (reply.type === 'moved') {
      this.membership = reply.membership;
      if (this.ended) void this.leave(reply.membership); // closed while moving: no ghost
    }
    this.send(encodeReply(reply));
    if (reply.type !== 'quit') return;
    this.leaveReason = 'quit';
    this.endWith(CloseCode.normal, 'quit');
  }

  private dropSlowConsumer(): void {
    if (this.leaveReason === 'slow_consumer') return;
    this.dropNow('slow_consumer', 'you were not reading fast enough to keep up with the room');
  }

  private dropNow(reason: 'slow_consumer' | 'overloaded', message: string): void {
    this.leaveReason = reason;
    this.refuse(reason, message);
  }

  // When the server ends a connection, the member leaves at once (its nickname is free again,
  // the room is told) rather than when the close handshake completes: a client that never
  // answers the close frame must not linger as a ghost. It is cut off after the grace period.
  private endWith(code: number, reason?: string): void {
    this.ws.close(code, reason);
    this.ws.resume(); // the client's close frame must be read even if its messages were not
    if (this.membership !== undefined) void this.leave(this.membership);
    setTimeout(() => this.ws.terminate(), this.options.closeGraceMs).unref();
  }

  private onProtocolError(error: Error): void {
    this.leaveReason ??= 'protocol_error';
    this.logger.debug({ err: error }, 'websocket protocol error');
  }

  private async onClose(code: number): Promise<void> {
    this.ended = true;
    // The client's close frame, with any code or none (1005, what browsers and `ws` send by
    // default), completes a handshake: it left. Only 1006 means no close frame came.
    this.leaveReason ??= code === ABNORMAL_CLOSURE ? 'disconnected' : 'quit';
    this.logger.debug({ code, reason: this.leaveReason }, 'connection closed');
    const membership = this.membership ?? (await this.joined);
    this.audit.closed(membership, this.leaveReason);
    if (membership !== undefined) await this.leave(membership);
  }

  private leave(membership: Membership): Promise<void> {
    return leaveRoom(membership, this.leaveReason ?? 'disconnected', this.logger);
  }

  // A rejection here would surface as unhandled and stop the server; it is logged instead.
  private readonly logFailure = (error: unknown): void => {
    this.logger.error({ err: error }, 'closing a WebSocket connection failed');
  };

  private sendError(code: WireErrorCode, message: string): void {
    this.audit.error(this.membership, code, message);
    this.send(encodeError(code, message));
  }

  // Every byte queued for the client counts against its bound, whatever produced it: answers
  // and errors as much as room events. A client that asks and never reads is dropped too.
  private send(text: string): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    this.ws.send(text);
    if (this.backlog.isExceeded(this.socket.writableLength)) this.dropSlowConsumer();
    else if (this.socket.writableNeedDrain) this.ingress.holdForOutput();
  }

  private describe(error: unknown): [WireErrorCode, string] {
    return describeError(error, this.logger, 'websocket');
  }
}
