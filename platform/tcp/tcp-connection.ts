import type { Socket } from 'node:net';
import type { ChatService } from '../../business/chat/chat-service.js';
import type { CommandReply, CommandRunner } from '../../business/chat/command-runner.js';
import { ClientInputs } from '../../business/chat/client-inputs.js';
import type { Membership } from '../../business/chat/membership.js';
import { parseNickname } from '../../business/chat/nickname.js';
import type { Origin } from '../../business/chat/participant.js';
import type { LeaveReason, MemberEvent } from '../../business/chat/room-event.js';
import type { RoomService } from '../../business/chat/room-service.js';
import type { AuditTrail } from '../../business/ports/audit-trail.js';
import type { Outbox } from '../../business/ports/outbox.js';
import { BacklogLimit } from '../connections/backlog-limit.js';
import { ConnectionAudit } from '../connections/connection-audit.js';
import { describeError } from '../connections/describe-error.js';
import { guarded } from '../connections/guarded.js';
import { IngressWindow } from '../connections/ingress-window.js';
import { leaveRoom } from '../connections/leave-room.js';
import type { Logger } from '../logging/logger.js';
import type { SheddableClient } from '../memory/memory-guard.js';
import { ERROR_CATALOGUE, type WireErrorCode } from '../protocol/error-catalogue.js';
import type { WriteCoalescer } from '../connections/write-coalescer.js';
import type { IdlePeer } from '../connections/idle-sweep.js';
import type { LineEncoding } from './line-encoding.js';
import {
  CRLF,
  renderAnnouncement,
  renderError,
  renderReply,
  renderRoomList,
  type LineDialect,
} from './line-format.js';
import { LineReader } from './line-reader.js';
import { looksLikeHandshake, parseHandshake } from './machat-handshake.js';

/** Limits and wording for every line client (all from configuration). */
export interface TcpConnectionOptions {
  /** Longest line accepted (`--max-message-bytes`); longer ones are refused, not split. */
  readonly maxLineBytes: number;
  /** Unsent bytes beyond which the client is dropped as a slow consumer. */
  readonly sendBufferLimit: number;
  /** How long a closing client is given to read its last lines before the socket is cut. */
  readonly closeGraceMs: number;
  /** How long the server waits for a MaChat handshake before it greets a person. */
  readonly greetingDelayMs: number;
  /** A client that has not joined a room by then is disconnected. */
  readonly loginTimeoutMs: number;
  /** Named in the welcome. */
  readonly serverName: string;
  /** Whether join and leave events carry the client's address and port. */
  readonly announceAddresses: boolean;
}

/** The use cases a line client reaches. */
export interface LineConversation {
  readonly chat: ChatService;
  readonly rooms: RoomService;
  readonly commands: CommandRunner;
  readonly audit: AuditTrail;
}

/**
 * Where the client is: waiting to see whether it speaks MaChat, answering the telnet prompts,
 * joining, in a room, or on its way out.
 */
type Phase = 'greeting' | 'nickname' | 'room' | 'joining' | 'joined' | 'closing';

/** Commands a client may use before it is in a room. */
const LOGIN_COMMANDS = ['/rooms', '/help', '/quit'];

/**
 * Lines one client may have handled in one turn of the event loop before it yields to the
 * others: a chunk can hold tens of thousands of short lines.
 */
const LINES_PER_TURN = 128;

/** Kernel keepalive probes find peers that vanished without a FIN (line clients have no ping). */
const KEEPALIVE_DELAY_MS = 60_000;

/**
 * One TCP line client (telnet, netcat, MaChat), from first byte to leave. It parses lines and
 * renders events; the conversation itself (commands, messages, rooms) is the same CommandRunner
 * and ChatService every transport uses.
 *
 * A person is greeted, asked for a nickname and a room, then talks. A client whose first line
 * is a JSON object speaks MaChat: that line names the nickname and room, no prompts are shown,
 * and messages are written `name:text`. When the client finishes sending (a here-document piped
 * to nc), everything it sent is answered before the server closes.
 */
export class TcpConnection implements Outbox, IdlePeer, SheddableClient {
  /** Resolves once the socket is closed and the participant has left. */
  readonly closed: Promise<void>;
  private phase: Phase = 'greeting';
  private dialect: LineDialect = 'telnet';
  private heardAt = Date.now();
  private nickname = '';
  private roomAnswer = '';
  private membership: Membership | undefined;
  private leaveReason: LeaveReason | undefined;
  /** Lines that came while joining: answered, in order, once the join has settled. */
  private typedAhead: string[] = [];
  private joining: Promise<void> = Promise.resolve();
  private readonly running = new Set<Promise<unknown>>();
  private readonly inputs: ClientInputs;
  /** Lines handed on in this turn of the event loop (see LINES_PER_TURN). */
  private linesThisTurn = 0;
  private readonly backlog: BacklogLimit;
  private readonly ingress: IngressWindow;
  private readonly audit: ConnectionAudit;
  private readonly greeting: NodeJS.Timeout;
  private readonly loginDeadline: NodeJS.Timeout;

  constructor(
    private readonly socket: Socket,
    private readonly conversation: LineConversation,
    private readonly encoding: LineEncoding,
    private readonly writes: WriteCoalescer,
    /** Where the client connects from (audited; announced only when configured). */
    private readonly peer: Origin | undefined,
    private readonly options: TcpConnectionOptions,
    private readonly logger: Logger,
  ) {
    this.backlog = new BacklogLimit(options.sendBufferLimit);
    this.inputs = new ClientInputs(conversation.commands);
    this.audit = new ConnectionAudit(conversation.audit, 'tcp', peer);
    this.audit.opened();
    socket.setNoDelay(true);
    socket.setKeepAlive(true, KEEPALIVE_DELAY_MS);
    const reader = new LineReader(options.maxLineBytes, {
      line: (text) => this.onLine(text),
      tooLong: (limit) => this.sendError('payload_too_large', tooLongMessage(limit)),
      isPaused: () => this.ingress.isPaused,
    });
    const fail = (error: unknown): void => this.refuse(...this.describe(error));
    // Reading resumes in a turn of its own (never inside whatever released the window), with
    // the lines the reader held; the socket is read again only once those are all handed on.
    const readOn = guarded(() => {
      this.linesThisTurn = 0;
      reader.resume();
      if (!reader.isHolding && !this.ingress.isPaused) socket.resume();
    }, fail);
    this.ingress = new IngressWindow({
      pause: () => socket.pause(),
      resume: () => setImmediate(readOn),
    });
    socket.on(
      'data',
      guarded((chunk: Buffer) => {
        this.linesThisTurn = 0;
        reader.push(chunk);
      }, fail),
    );
    socket.on('drain', () => this.ingress.outputTaken());
    socket.on('end', () => void this.onPeerFinished().catch(this.logFailure));
    socket.on('error', (error) => {
      this.leaveReason ??= 'disconnected';
      logger.debug({ err: error }, 'tcp socket error');
    });
    this.closed = new Promise((resolve) => {
      socket.once('close', () => void this.onClose().catch(this.logFailure).finally(resolve));
    });
    this.greeting = setTimeout(() => this.greet(), options.greetingDelayMs);
    this.loginDeadline = setTimeout(() => this.loginTimedOut(), options.loginTimeoutMs);
    this.loginDeadline.unref();
  }

  deliver(event: MemberEvent): void {
    if (!this.isOpen) return;
    const viewer = this.membership?.name ?? this.nickname;
    const lines = this.encoding.linesFor(this.dialect, event, viewer);
    if (event.type === 'message_replayed') {
      this.writes.write(this.socket, lines);
      this.backlog.excuse(this.socket.writableLength);
      return;
    }
    if (this.backlog.isExceeded(this.socket.writableLength)) {
      this.dropSlowConsumer();
      return;
    }
    this.writes.write(this.socket, lines);
  }

  /** When the client last sent a line (epoch ms). */
  get lastHeardAt(): number {
    return this.heardAt;
  }

  /** True until the server or the client has begun to close. */
  get isOpen(): boolean {
    return this.phase !== 'closing' && this.socket.writable;
  }

  /** Bytes written for the client and not yet taken by the network. */
  get queuedBytes(): number {
    return this.socket.writableLength;
  }

  expireIdle(): void {
    if (this.isOpen) this.refuse('idle_timeout', 'you sent nothing for too long');
  }

  /** Disconnects the client to free memory. */
  shed(): void {
    if (this.isOpen) this.refuse('overloaded', 'the server is short of memory; try again later');
  }

  /** The server's goodbye notice, then the close. */
  closeForShutdown(notice: string): void {
    if (!this.isOpen) return;
    this.write(renderAnnouncement(notice));
    this.endWith('server_shutdown');
  }

  /** Refuses a client the server cannot take now (full, or short of memory). */
  turnAway(code: WireErrorCode, message: string): void {
    this.refuse(code, message);
  }

  /** Cuts the connection at once (shutdown stragglers). */
  terminate(): void {
    this.socket.destroy();
  }

  private onLine(text: string): void {
    if (this.phase === 'closing') return;
    if (++this.linesThisTurn >= LINES_PER_TURN) this.ingress.yieldTurn();
    this.heardAt = Date.now();
    switch (this.phase) {
      case 'greeting':
        clearTimeout(this.greeting);
        if (looksLikeHandshake(text)) {
          this.joinAsMachat(text);
          return;
        }
        this.greet();
        this.answerNickname(text);
        return;
      case 'nickname':
        this.answerNickname(text);
        return;
      case 'room':
        this.answerRoom(text);
        return;
      case 'joining':
        this.ingress.admit(text.length);
        this.typedAhead.push(text);
        return;
      case 'joined':
        if (this.membership !== undefined && text.trim() !== '') this.run(this.membership, text);
        return;
    }
  }

  private greet(): void {
    if (this.phase !== 'greeting') return;
    const server =
      this.options.serverName === '' ? 'Parley' : `Parley (${this.options.serverName})`;
    this.write(
      renderAnnouncement(
        `Welcome to ${server}! Lines starting with / are commands; /help lists them.`,
      ),
    );
    this.askNickname();
  }

  private askNickname(): void {
    this.phase = 'nickname';
    this.write('Your nickname?');
  }

  private askRoom(): void {
    this.phase = 'room';
    this.write(
      `Which room, ${this.nickname}? A name or an id; a new name creates the room; /rooms lists them.`,
    );
  }

  private answerNickname(text: string): void {
    if (this.answerLoginCommand(text, () => this.askNickname())) return;
    try {
      this.nickname = parseNickname(text);
    } catch (error) {
      this.sendError(...this.describe(error));
      this.askNickname();
      return;
    }
    if (this.roomAnswer === '') this.askRoom();
    else this.join(this.roomAnswer); // the room was chosen; only the nickname was taken there
  }

  private answerRoom(text: string): void {
    if (this.answerLoginCommand(text, () => this.askRoom())) return;
    this.join(text.trim().replace(/^#/, ''));
  }

  // /rooms, /help and /quit work at the prompts; any other command waits for a room.
  private answerLoginCommand(text: string, askAgain: () => void): boolean {
    const command = text.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
    if (!text.trimStart().startsWith('/')) return false;
    if (command === '/quit') {
      this.write('* Goodbye.');
      this.endWith('quit');
      return true;
    }
    if (command === '/rooms') {
      this.track(
        this.conversation.rooms.list().then(
          (rooms) => (this.write(...renderRoomList(rooms)), askAgain()),
          (error: unknown) => (this.sendError(...this.describe(error)), askAgain()),
        ),
        text.length,
      );
      return true;
    }
    if (command !== '/help') this.sendError('invalid_command', 'first answer the question');
    this.write(`* Before joining, only ${LOGIN_COMMANDS.join(', ')} work.`);
    askAgain();
    return true;
  }

  private join(roomAnswer: string): void {
    this.phase = 'joining';
    this.roomAnswer = roomAnswer;
    const { rooms, chat } = this.conversation;
    this.joining = rooms
      .findOrCreate(roomAnswer)
      .then((room) => chat.join(room.id, this.nickname, this, this.announcedOrigin))
      .then(
        (membership) => this.onJoined(membership),
        (error: unknown) => this.onJoinRefused(error),
      );
  }

  private joinAsMachat(line: string): void {
    this.dialect = 'machat';
    const handshake = parseHandshake(line);
    if ('problem' in handshake) {
      this.refuseHandshake('invalid_request', handshake.problem);
      return;
    }
    try {
      this.nickname = parseNickname(handshake.name);
    } catch (error) {
      this.refuseHandshake(...this.describe(error));
      return;
    }
    this.join(handshake.room);
  }

  private onJoined(membership: Membership): void {
    if (this.phase === 'closing') {
      void this.leave(membership); // closed while joining: no ghost
      return;
    }
    this.membership = membership;
    this.phase = 'joined';
    clearTimeout(this.loginDeadline);
    this.logger.debug({ room: membership.room.id, participant: membership.name }, 'tcp joined');
    this.answerTypedAhead();
  }

  // A person is asked again (a taken nickname: a new nickname; a bad room: another room);
  // MaChat has no prompts, so its client is told why and closed.
  private onJoinRefused(error: unknown): void {
    const [code, message] = this.describe(error);
    if (this.phase === 'closing') return;
    if (this.dialect === 'machat') {
      this.refuseHandshake(code, message);
      return;
    }
    this.sendError(code, message);
    if (code === 'nickname_taken' || code === 'invalid_nickname') this.askNickname();
    else if (code === 'internal_error' || code === 'storage_unavailable')
      this.endWith('disconnected');
    else {
      this.roomAnswer = '';
      this.askRoom();
    }
    this.answerTypedAhead();
  }

  private answerTypedAhead(): void {
    const lines = this.typedAhead;
    this.typedAhead = [];
    for (const line of lines) {
      this.onLine(line);
      this.ingress.release(line.length);
    }
  }

  // Inputs take effect and are answered in the order the client sent them (ClientInputs).
  private run(membership: Membership, text: string): void {
    const current = (): Membership => this.membership ?? membership;
    const settled = this.inputs.submit(text, current, (outcome) => {
      if (!outcome.ok) this.sendError(...this.describe(outcome.error));
      else if (outcome.reply) this.answer(outcome.reply);
    });
    this.track(settled, text.length);
  }

  private answer(reply: CommandReply): void {
    if (reply.type === 'moved') {
      this.membership = reply.membership;
      if (this.phase === 'closing') void this.leave(reply.membership); // closed while moving
    }
    this.write(...renderReply(this.dialect, reply));
    if (reply.type === 'quit') this.endWith('quit');
  }

  private loginTimedOut(): void {
    if (this.phase === 'greeting' || this.phase === 'nickname' || this.phase === 'room') {
      this.refuse('idle_timeout', 'you did not join a room in time');
    }
  }

  // nc with a here-document: the client has said everything; answer it all, then close.
  private async onPeerFinished(): Promise<void> {
    for (;;) {
      const joining = this.joining;
      await joining;
      await Promise.allSettled([...this.running]);
      if (joining === this.joining && this.running.size === 0) break;
    }
    if (this.phase === 'joined') this.write('* Goodbye.');
    this.endWith('quit');
  }

  /** Sends the error and closes the connection when the catalogue says the error ends it. */
  private refuse(code: WireErrorCode, message: string): void {
    this.sendError(code, message);
    if (ERROR_CATALOGUE[code].close !== undefined) this.endWith(leaveReasonFor(code));
  }

  // MaChat's own server left a client with a bad handshake silently stuck: here it is told, once,
  // and closed.
  private refuseHandshake(code: WireErrorCode, message: string): void {
    this.sendError(code, message);
    this.endWith(leaveReasonFor(code));
  }

  // When the server ends a connection, the member leaves at once (its nickname is free again,
  // the room is told); a client that never reads its last lines is cut off after the grace.
  private endWith(reason: LeaveReason): void {
    if (this.phase === 'closing') return;
    this.phase = 'closing';
    this.leaveReason ??= reason;
    clearTimeout(this.greeting);
    clearTimeout(this.loginDeadline);
    this.socket.end();
    if (this.membership !== undefined) void this.leave(this.membership);
    setTimeout(() => this.socket.destroy(), this.options.closeGraceMs).unref();
  }

  private async onClose(): Promise<void> {
    clearTimeout(this.greeting);
    clearTimeout(this.loginDeadline);
    this.phase = 'closing';
    this.leaveReason ??= 'disconnected';
    await this.joining;
    const membership = this.membership;
    this.audit.closed(membership, this.leaveReason);
    if (membership !== undefined) await this.leave(membership);
  }

  private leave(membership: Membership): Promise<void> {
    return leaveRoom(membership, this.leaveReason ?? 'disconnected', this.logger);
  }

  private get announcedOrigin(): Origin | undefined {
    return this.options.announceAddresses ? this.peer : undefined;
  }

  // Work a client started on a line of `bytes` (counted in the ingress window until done); a
  // client that half-closes is answered once it is all done.
  private track(work: Promise<unknown>, bytes: number): void {
    this.ingress.admit(bytes);
    this.running.add(work);
    void work.finally(() => {
      this.running.delete(work);
      this.ingress.release(bytes);
    });
  }

  // A rejection here would surface as unhandled and stop the server; it is logged instead.
  private readonly logFailure = (error: unknown): void => {
    this.logger.error({ err: error }, 'closing a line connection failed');
  };

  private sendError(code: WireErrorCode, message: string): void {
    this.audit.error(this.membership, code, message);
    this.write(renderError(message));
  }

  // Every byte queued for the client counts against its bound, whatever produced it: prompts,
  // answers and errors as much as room events. While they wait, the client is not read.
  private write(...lines: string[]): void {
    if (!this.socket.writable || this.socket.writableEnded) return;
    this.socket.write(lines.join(CRLF) + CRLF);
    if (this.backlog.isExceeded(this.socket.writableLength)) this.dropSlowConsumer();
    else if (this.socket.writableNeedDrain) this.ingress.holdForOutput();
  }

  private dropSlowConsumer(): void {
    if (this.leaveReason === 'slow_consumer') return;
    this.leaveReason = 'slow_consumer';
    this.refuse('slow_consumer', 'you were not reading fast enough to keep up with the room');
  }

  private describe(error: unknown): [WireErrorCode, string] {
    return describeError(error, this.logger, 'tcp');
  }
}

function tooLongMessage(limit: number): string {
  return `a line is at most ${limit} bytes; that one was dropped`;
}

/** How the room is told about a client the server closed for this error. */
function leaveReasonFor(code: WireErrorCode): LeaveReason {
  switch (code) {
    case 'idle_timeout':
    case 'slow_consumer':
    case 'overloaded':
      return code;
    case 'shutting_down':
      return 'server_shutdown';
    default:
      return 'protocol_error';
  }
}
