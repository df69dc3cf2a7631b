import type { ChatService, EnterOptions, RoomTarget } from '../../business/chat/chat-service.js';
import {
  ClientInputs,
  type InputKind,
  type InputOutcome,
} from '../../business/chat/client-inputs.js';
import type { CommandReply, CommandRunner } from '../../business/chat/command-runner.js';
import { isChatError } from '../../business/chat/chat-error.js';
import { InputRate, type RateLimit, type RateVerdict } from '../../business/chat/input-rate.js';
import type { Membership } from '../../business/chat/membership.js';
import type { Room } from '../../business/chat/room.js';
import type { LeaveReason, MemberEvent } from '../../business/chat/room-event.js';
import type { Outbox } from '../../business/ports/outbox.js';
import { grantAdmits, type Grant } from '../auth/token-verifier.js';
import type { Logger } from '../logging/logger.js';
import { SessionCounters, type TransportCounters } from '../metrics/session-counters.js';
import type { SheddableClient } from '../memory/memory-guard.js';
import { CloseCode } from '../protocol/close-codes.js';
import { ERROR_CATALOGUE, type WireErrorCode } from '../protocol/error-catalogue.js';
import type { ConnectionAudit } from './connection-audit.js';
import { describeError } from './describe-error.js';
import type { IdlePeer } from './idle-sweep.js';
import { IngressWindow } from './ingress-window.js';
import { leaveRoom } from './leave-room.js';
import type { LinkEnding, SessionLink } from './session-link.js';
import type { Reader, SessionRenderer } from './session-renderer.js';
import { SessionOutput } from './session-output.js';
import { SessionRooms } from './session-rooms.js';

/** Connections opened since the process started: each session's number in the logs. */
let connectionsOpened = 0;

/**
 * Where a session is: connected but in no room (`open`: a telnet user at the prompts), joining,
 * in a room, being ended by the server (it has already left its rooms), or closed.
 */
export type SessionState = 'open' | 'joining' | 'joined' | 'ending' | 'ended';

/** What every session uses, one of each for the whole server. */
export interface SessionServices {
  readonly chat: ChatService;
  readonly commands: CommandRunner;
  readonly logger: Logger;
  /** Where deliveries and refusals are counted for metrics, by transport (none: not counted). */
  readonly counters?: TransportCounters;
}

/** Limits every session keeps. */
export interface SessionOptions {
  /** Unsent bytes beyond which the client is dropped as a slow consumer. */
  readonly sendBufferLimit: number;
  /** How long a client the server is closing has to take its last bytes before it is cut. */
  readonly closeGraceMs: number;
  /** Each connection's input rate (`--rate-limit`, `--rate-burst`); absent or 0/s: no limit. */
  readonly rate?: RateLimit;
}

const NO_RATE_LIMIT: RateLimit = { perSecond: 0, burst: 0 };

/**
 * One client's life, whatever its transport and dialect: joining (by id or by name), its
 * membership, its inputs (taken in, run in order, answered), what it is sent (bounded by
 * `--send-buffer-limit`), keepalive and idle bookkeeping, errors, and every way it can end. A
 * transport adapter supplies only the link and the renderer.
 *
 * No ghost, ever: whichever way the session ends, it leaves each room exactly once — at once
 * when the server ends it (its nickname is free again and the room is told), when the link
 * closes otherwise, and as soon as a join or a move still under way when it ended completes.
 */
export class ClientSession implements Outbox, IdlePeer, SheddableClient, Reader {
  /** Resolves once the link has closed and the session has left every room. */
  readonly closed: Promise<void>;
  private readonly rooms = new SessionRooms();
  private stateNow: SessionState = 'open';
  private leaveReason: LeaveReason | undefined;
  private joining: Promise<void> = Promise.resolve();
  private held: { readonly text: string; readonly bytes: number; readonly rate: RateVerdict }[] =
    [];
  private heardAt = Date.now();
  private awaitingPong = false;
  private readonly inputs: ClientInputs;
  private readonly rate: InputRate;
  private readonly ingress: IngressWindow;
  private readonly output: SessionOutput;
  private readonly counters: SessionCounters;
  private readonly connection = ++connectionsOpened;
  private logger: Logger | undefined;
  /** Inputs that arrive while the session is in no room (the telnet prompts); none: refused. */
  private unjoined: ((text: string) => void) | undefined;
  /** What the client's access token allows, once it has shown one. */
  private grantNow: Grant | undefined;
  private expiry: NodeJS.Timeout | undefined;

  constructor(
    private readonly link: SessionLink,
    private readonly renderer: SessionRenderer,
    private readonly services: SessionServices,
    private readonly options: SessionOptions,
    private readonly audit: ConnectionAudit,
    private readonly transport: string,
    /** Where the client connects from, for the limits per address (see peerAddressOf). */
    readonly peerAddress?: string,
  ) {
    this.inputs = new ClientInputs(services.commands);
    this.counters = services.counters?.of(transport) ?? new SessionCounters();
    this.rate = new InputRate(options.rate ?? NO_RATE_LIMIT, () => performance.now());
    this.ingress = new IngressWindow(link);
    this.output = new SessionOutput(link, options.sendBufferLimit, this.ingress);
    link.onDrain(() => this.ingress.outputTaken());
    link.onPong?.(() => (this.awaitingPong = false));
    audit.opened();
    this.closed = new Promise((resolve) => {
      link.onClosed(
        (ending) => void this.onLinkClosed(ending).catch(this.logFailure).finally(resolve),
      );
    });
  }

  /**
   * This connection's logger: every line about it carries its transport and connection number,
   * so one client's story can be followed. Made on first use: most connections never log.
   */
  private get log(): Logger {
    return (this.logger ??= this.services.logger.child({
      transport: this.transport,
      connection: this.connection,
    }));
  }

  get state(): SessionState {
    return this.stateNow;
  }

  /** True until the server or the client has begun to close. */
  get isOpen(): boolean {
    return this.stateNow !== 'ending' && this.stateNow !== 'ended';
  }

  /** When the client last sent something (epoch ms); answers to keepalive probes do not count. */
  get lastHeardAt(): number {
    return this.heardAt;
  }

  get heldBytes(): number {
    return this.link.queuedBytes + this.ingress.bytesInFlight;
  }

  /** What the client's access token allows, when it has shown one. */
  get grant(): Grant | undefined {
    return this.grantNow;
  }

  /**
   * Takes the client's verified token: from now on its nickname is the token's subject, it may
   * enter only the rooms the token names (if it names any), and it is closed with
   * `token_expired` when the token runs out — one timer, whatever the transport.
   * @param remainingMs until the token expires (clock skew included); undefined: never
   */
  authorize(grant: Grant, remainingMs: number | undefined): void {
    this.grantNow = grant;
    this.mayEnter = grant.rooms === undefined ? undefined : (room) => grantAdmits(grant, room);
    clearTimeout(this.expiry);
    if (remainingMs === undefined) return;
    this.expiry = setTimeout(() => {
      if (this.isOpen)
        this.refuse('token_expired', 'your token has expired; reconnect with a new one');
    }, remainingMs);
    this.expiry.unref();
  }

  /**
   * Outbox: whether the client's token lets it into the room; absent (any room, no lookups)
   * until it has shown a token with a `rooms` claim.
   */
  mayEnter: ((room: { readonly id: string; readonly name: string }) => boolean) | undefined;

  /** The nickname a join takes: the token's subject when there is a token, else the one asked. */
  nicknameFor(requested: string): string {
    return this.grantNow?.subject ?? requested;
  }

  /** The room the client speaks in now, if any. */
  get membership(): Membership | undefined {
    return this.rooms.current;
  }

  /** The client's nickname in the room (for renderings that depend on who reads). */
  nameIn(roomId: string): string {
    return this.rooms.nameIn(roomId);
  }

  /** The room's name, for a room the session is in (for renderings that show rooms by name). */
  roomNameOf(roomId: string): string {
    return this.rooms.roomNameOf(roomId);
  }

  /** The session's membership in the room, if it is in it (a session may be in several). */
  membershipIn(roomId: string): Membership | undefined {
    return this.rooms.in(roomId);
  }

  /**
   * One request of a dialect whose inputs are not lines (chattypantz's JSON requests), taken in
   * its turn: `work` takes effect after everything the client sent before it, and `answered`
   * gets its outcome in the order the requests came, like every input (ClientInputs).
   */
  request<R>(
    bytes: number,
    kind: InputKind,
    work: () => Promise<R>,
    answered: (outcome: InputOutcome<R>) => void,
  ): void {
    if (!this.isOpen) return; // closing: nothing more is taken in
    this.heardAt = Date.now();
    this.ingress.admit(bytes);
    const refusal = this.rate.refusal(this.rate.take());
    const run = refusal === undefined ? work : () => Promise.reject(refusal);
    void this.inputs.perform(kind, run, (outcome) => {
      this.ingress.release(bytes);
      if (!this.isOpen) return;
      if (!outcome.ok && isChatError(outcome.error, 'flooding')) this.refuseFlooding(outcome.error);
      else answered(outcome);
    });
  }

  /**
   * Joins one more room, keeping the rooms the session is in (chattypantz: a connection in
   * several rooms at once); the session speaks in the new one by default. No ghost: if the
   * session ends while joining, it leaves the room as soon as the join lands, and the end
   * waits for it.
   * @throws ChatError as ChatService.enter.
   */
  enterAlso(room: Room, nickname: string, options: EnterOptions): Promise<Membership> {
    this.rooms.entering(room);
    const entering = this.services.chat
      .enter({ id: room.id }, this.nicknameFor(nickname), this, options)
      .then(async (membership) => {
        if (!this.isOpen) {
          await this.leave(membership); // ended while joining: no ghost
          return membership;
        }
        this.enter(membership);
        if (this.stateNow === 'open') this.stateNow = 'joined';
        return membership;
      })
      .finally(() => this.rooms.notEntering(room.id));
    const before = this.joining;
    this.joining = Promise.all([before, entering.catch(() => undefined)]).then(() => undefined);
    return entering;
  }

  /**
   * Leaves one room, keeping the others (the room sees the leave as `quit`). Resolves false,
   * doing nothing, when the session is not in it.
   */
  async leaveOne(roomId: string): Promise<boolean> {
    const membership = this.rooms.take(roomId);
    if (membership === undefined) return false;
    if (this.rooms.size === 0 && this.stateNow === 'joined') this.stateNow = 'open';
    await leaveRoom(membership, 'quit', this.log);
    return true;
  }

  /** Gives the inputs that arrive while the session is in no room to the transport's dialogue. */
  whileUnjoined(handler: (text: string) => void): void {
    this.unjoined = handler;
  }

  /**
   * Joins the room the target names. Inputs that arrive meanwhile wait, and run once it is in.
   * A refusal goes to `refused` first (a transport closes, a dialogue asks again), then the
   * waiting inputs go to `whileUnjoined` (a telnet user's next answers).
   */
  join(
    target: RoomTarget,
    nickname: string,
    options: EnterOptions,
    refused: (code: WireErrorCode, message: string) => void,
  ): Promise<void> {
    this.stateNow = 'joining';
    const name = this.nicknameFor(nickname);
    const joining = this.services.chat.enter(target, name, this, options).then(
      (membership) => this.joined(membership),
      (error: unknown) => {
        if (this.stateNow === 'joining') this.stateNow = 'open';
        refused(...this.describe(error));
        this.replayHeld();
      },
    );
    const settled = joining.catch(this.logFailure);
    this.joining = settled;
    return settled;
  }

  /**
   * One input from the client (a frame, a line, a posted body), taken in its turn. Every input
   * takes a token of the connection's rate (`--rate-limit`): one that finds none is refused in
   * its turn (`rate_limited`, or `flooding`, which ends the session). Answers what the input met
   * (an SSE POST answers 429 at once); lines given to a dialogue's prompts are not counted.
   */
  receive(text: string, bytes: number): RateVerdict {
    if (!this.isOpen) return 'taken'; // closing: nothing more is taken in
    this.heardAt = Date.now();
    if (this.stateNow === 'open' && this.unjoined !== undefined) {
      this.unjoined(text);
      return 'taken';
    }
    const rate = this.rate.take();
    this.take(text, bytes, rate);
    return rate;
  }

  deliver(event: MemberEvent): void {
    if (!this.isOpen) return;
    const bytes = this.renderer.event(event, this);
    this.counters.delivered++;
    if (!this.output.event(bytes, event.type === 'message_replayed')) this.dropSlowConsumer();
  }

  /** Shows the client an error and, when the catalogue says the error ends it, ends it. */
  refuse(code: WireErrorCode, message: string): void {
    this.sendError(code, message);
    const { close, leave } = ERROR_CATALOGUE[code];
    if (close !== undefined) this.end(leave ?? 'protocol_error', close, code);
  }

  /**
   * Shows the client an error and ends the session whatever the error (a MaChat handshake that
   * cannot be taken: its client has nothing to answer), as the catalogue says or else as a
   * protocol error.
   */
  refuseAndEnd(code: WireErrorCode, message: string): void {
    this.sendError(code, message);
    const { close, leave } = ERROR_CATALOGUE[code];
    this.end(leave ?? 'protocol_error', close ?? CloseCode.invalidRequest, code);
  }

  /** A bug met while handling this client: logged, and the client gets `internal_error`. */
  fail(error: unknown): void {
    this.refuse(...this.describe(error));
  }

  /**
   * Runs a command for a client in no room yet (`/help`, `/rooms`, `/quit` at a prompt) through
   * the same runner and order as every input; resolves once it is answered.
   */
  command(text: string): Promise<void> {
    this.ingress.admit(text.length);
    const refusal = this.rate.refusal(this.rate.take());
    const settled = (outcome: InputOutcome): void => this.settled(outcome, text.length);
    if (refusal !== undefined) return this.inputs.perform('command', reject(refusal), settled);
    return this.inputs.submit(text, () => this.rooms.current, settled);
  }

  /** Shows the client an error; the session goes on. */
  sendError(code: WireErrorCode, message: string): void {
    this.audit.error(this.rooms.current, code, message);
    this.counters.refused(code);
    this.send(this.renderer.error(code, message));
  }

  /** Sends bytes the transport's dialogue rendered itself (prompts, a welcome). */
  say(bytes: Buffer): void {
    this.send(bytes);
  }

  /**
   * For a connection that asks one question (chattypantz's room and people listings): sends the
   * answer and ends normally, or the error and ends as it says.
   */
  answerThenEnd(answer: Promise<CommandReply>): void {
    answer.then(
      (reply) => {
        this.send(this.renderer.reply(reply));
        this.end('quit', CloseCode.normal, '');
      },
      (error: unknown) => this.refuse(...this.describe(error)),
    );
  }

  /**
   * The client has said everything it will (a script piped to nc): once every input is answered,
   * it is told goodbye (if it is in a room) and the session ends.
   */
  async finishInput(): Promise<void> {
    for (;;) {
      const joining = this.joining;
      await joining;
      await this.inputs.idle();
      if (joining === this.joining && this.held.length === 0) break;
    }
    if (this.stateNow === 'joined') this.send(this.renderer.reply({ type: 'quit', reason: '' }));
    this.end('quit', CloseCode.normal, 'quit');
  }

  closeForShutdown(): void {
    if (!this.isOpen) return;
    this.send(this.renderer.shuttingDown());
    this.end('server_shutdown', CloseCode.goingAway, 'server_shutting_down');
  }

  /** Shows the client an operator's announcement; false when its dialect has no way to. */
  announce(text: string, at: number): boolean {
    if (!this.isOpen) return false;
    const bytes = this.renderer.announcement(text, at);
    if (bytes.length === 0) return false;
    this.send(bytes);
    return true;
  }

  /**
   * The room was deleted: if the session is in it, the client is told and disconnected (close
   * 4410, its rooms see it leave with reason `room_closed`). False when it is not in the room.
   */
  closeRoom(roomId: string, at: number): boolean {
    if (!this.isOpen || this.rooms.in(roomId) === undefined) return false;
    this.send(this.renderer.roomClosed(roomId, at, this));
    this.end('room_closed', CloseCode.roomClosed, 'room_closed');
    return true;
  }

  /**
   * If the session is the room's participant with this nickname, it is shown the `kicked` error
   * with the operator's reason and disconnected as the catalogue says. False otherwise.
   */
  kick(roomId: string, participant: string, reason: string): boolean {
    if (!this.isOpen || this.rooms.in(roomId)?.name !== participant) return false;
    this.refuse('kicked', reason);
    return true;
  }

  expireIdle(): void {
    if (this.isOpen) this.refuse('idle_timeout', 'you sent nothing for too long');
  }

  /** Disconnects the client to free memory (try again later). */
  shed(): void {
    if (this.isOpen) this.refuse('overloaded', 'the server is short of memory; try again later');
  }

  /** Sends a keepalive probe, if the transport has one. */
  ping(): void {
    if (this.isOpen && this.link.ping?.() === true) this.awaitingPong = true;
  }

  // A client whose reading the server itself paused cannot have its answer read: it is given
  // the benefit of the doubt until reading resumes.
  expireIfSilent(): void {
    if (!this.awaitingPong || this.ingress.isWaitingOnServer) return;
    this.leaveReason ??= 'ping_timeout';
    this.link.terminate();
  }

  /** Cuts the connection at once (shutdown stragglers). */
  terminate(): void {
    this.link.terminate();
  }

  /**
   * Ends the session from the server's side: it leaves every room at once (a client that never
   * reads its close must not linger as a ghost), the link is closed, and cut after the grace.
   */
  end(reason: LeaveReason, code: number, closeReason: string): void {
    if (!this.isOpen) return;
    this.stateNow = 'ending';
    this.leaveReason ??= reason;
    void this.leaveAll();
    this.link.close(code, closeReason);
    setTimeout(() => this.link.terminate(), this.options.closeGraceMs).unref();
  }

  // An input that met its rate: held while joining, else run in its turn.
  private take(text: string, bytes: number, rate: RateVerdict): void {
    this.ingress.admit(bytes);
    if (this.stateNow === 'joining') this.held.push({ text, bytes, rate });
    else this.run(text, bytes, rate);
  }

  // Inputs take effect and are answered in the order the client sent them (ClientInputs); one
  // refused for its rate takes no effect, and its error is answered in the same order.
  private run(text: string, bytes: number, rate: RateVerdict): void {
    const settled = (outcome: InputOutcome): void => this.settled(outcome, bytes);
    const refusal = this.rate.refusal(rate);
    if (refusal !== undefined) void this.inputs.perform('message', reject(refusal), settled);
    else void this.inputs.submit(text, () => this.rooms.current, settled);
  }

  private settled(outcome: InputOutcome, bytes: number): void {
    this.ingress.release(bytes);
    if (outcome.ok) {
      if (outcome.reply !== undefined) this.answer(outcome.reply);
    } else if (isChatError(outcome.error, 'flooding')) this.refuseFlooding(outcome.error);
    else this.sendError(...this.describe(outcome.error));
  }

  private refuseFlooding(error: Error): void {
    if (!this.isOpen) return; // inputs refused behind the one that ended it
    this.log.info('closing a flooding client');
    this.refuse('flooding', error.message);
  }

  private answer(reply: CommandReply): void {
    if (reply.type === 'moved') this.moved(reply.membership);
    this.send(this.renderer.reply(reply));
    if (reply.type === 'quit') this.end('quit', CloseCode.normal, 'quit');
  }

  private joined(membership: Membership): void {
    if (!this.isOpen) {
      void this.leave(membership); // ended while joining: no ghost
      return;
    }
    this.enter(membership);
    this.stateNow = 'joined';
    this.replayHeld();
  }

  private moved(to: Membership): void {
    this.rooms.moved(to);
    if (!this.isOpen) void this.leaveAll(); // ended while moving: no ghost
  }

  private enter(membership: Membership): void {
    this.rooms.enter(membership);
    this.log.debug({ room: membership.room.id, participant: membership.name }, 'joined');
  }

  private replayHeld(): void {
    const held = this.held;
    this.held = [];
    for (const { text, bytes, rate } of held) {
      this.ingress.release(bytes);
      if (!this.isOpen) continue;
      if (this.stateNow === 'open' && this.unjoined !== undefined) this.unjoined(text);
      else this.take(text, bytes, rate);
    }
  }

  private send(bytes: Buffer): void {
    if (this.isOpen && !this.output.send(bytes)) this.dropSlowConsumer();
  }

  private dropSlowConsumer(): void {
    if (this.leaveReason === 'slow_consumer') return;
    this.leaveReason = 'slow_consumer';
    this.refuse('slow_consumer', 'you were not reading fast enough to keep up with the room');
  }

  private async onLinkClosed(ending: LinkEnding): Promise<void> {
    clearTimeout(this.expiry);
    const wasOpen = this.isOpen;
    this.stateNow = 'ended';
    this.leaveReason ??= leaveReasonOf(ending);
    this.log.debug({ ending, reason: this.leaveReason, wasOpen }, 'connection closed');
    await this.joining; // a join under way: leave the room it lands in, not none
    this.audit.closed(this.rooms.current, this.leaveReason);
    await this.leaveAll();
  }

  private leaveAll(): Promise<void> {
    return this.rooms.leaveAll(this.leaveReason ?? 'disconnected', this.log);
  }

  private leave(membership: Membership): Promise<void> {
    return leaveRoom(membership, this.leaveReason ?? 'disconnected', this.log);
  }

  private describe(error: unknown): [WireErrorCode, string] {
    return describeError(error, this.log, this.transport);
  }

  // A rejection here would surface as unhandled and stop the server; it is logged instead.
  private readonly logFailure = (error: unknown): void => {
    this.log.error({ err: error }, 'closing a connection failed');
  };
}

function reject(refusal: Error): () => Promise<never> {
  return () => Promise.reject(refusal);
}

function leaveReasonOf(ending: LinkEnding): LeaveReason {
  if (ending === 'closed') return 'quit';
  return ending === 'protocol_error' ? 'protocol_error' : 'disconnected';
}
