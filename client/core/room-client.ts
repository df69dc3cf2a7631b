import { Backoff } from './backoff.js';
import type { Channel, ChannelEnd, ChannelFactory } from './channel.js';
import { Conversation, type Gap } from './conversation.js';
import { type ChatMessage, type ServerEvent, isError, isMessage } from './events.js';
import type { ParleyApi } from './parley-api.js';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'closed';

/** What a person is shown about the connection, always. */
export interface ConnectionStatus {
  readonly state: ConnectionState;
  /** The transport in use or being tried (`websocket`, `sse`). */
  readonly kind: string;
  /** Failed attempts since the connection last worked. */
  readonly attempt: number;
  /** While reconnecting: when the next attempt starts (ms from now). */
  readonly retryInMs?: number;
  /** Why the last connection ended or was refused (a server error code), if known. */
  readonly reason?: string;
}

/** Why a room client stopped for good. */
export interface RoomClientEnd {
  /** An error code (`room_not_found`, `nickname_taken`, `kicked`…) or `quit` after leaving. */
  readonly reason: string;
  readonly message: string;
}

export interface RoomClientListener {
  status(status: ConnectionStatus): void;
  /** Messages to show, in seq order, each once, across reconnects. */
  messages(messages: readonly ChatMessage[]): void;
  /** Every other event (presence, private messages, command replies, errors, announcements). */
  event(event: ServerEvent): void;
  /** Messages the server no longer keeps, so no client can show them (retention). */
  missing(gap: Gap): void;
  /** The client stopped and will not reconnect. */
  ended(end: RoomClientEnd): void;
}

/** `setTimeout` that returns its own cancel; injectable for tests. */
export type Schedule = (run: () => void, delayMs: number) => () => void;

export interface RoomClientOptions {
  readonly api: ParleyApi;
  readonly roomId: string;
  readonly name: string;
  /** Transports in order of preference; a later one is used when an earlier cannot connect. */
  readonly channels: readonly ChannelFactory[];
  readonly listener: RoomClientListener;
  readonly backoff?: Backoff;
  readonly schedule?: Schedule;
  /** Messages per history request when filling a gap (1–1000). */
  readonly pageSize?: number;
  /** How many of the room's recent messages to show at the first join (the server's replay). */
  readonly replay?: boolean;
}

/** Refusals that the same join would meet again: reconnecting cannot help. */
const FINAL_REASONS = new Set([
  'room_not_found',
  'room_closed',
  'invalid_nickname',
  'invalid_request',
  'auth_required',
  'invalid_token',
  'token_expired',
  'forbidden_room',
  'room_limit_reached',
  'kicked',
  'nickname_taken',
]);
/** Close codes of a client the server will refuse again as it is (docs/protocol.md, "Close codes"). */
const FINAL_CLOSE_CODES = new Set([1003, 1007, 1009]);
/**
 * After a dropped connection our own nickname may still be held by the server's side of it until
 * its keepalive notices (up to `--ping-interval` + `--pong-timeout`, 35 s by default): a reconnect
 * refused with `nickname_taken` is retried this many times before it is taken as final.
 */
const GHOST_RETRIES = 8;

const defaultSchedule: Schedule = (run, delayMs) => {
  const timer = setTimeout(run, delayMs);
  return () => clearTimeout(timer);
};

/**
 * One person in one room, kept there across dropped connections: it joins, shows the room's
 * messages through one `Conversation` (so nothing is shown twice or out of order), reconnects
 * with jittered backoff, fills the gap a disconnection left from the history API by `seq`,
 * falls back from WebSocket to SSE when WebSocket cannot connect but the server answers HTTP,
 * and keeps what the person typed while disconnected to send, in order, once back.
 *
 * Texts sent on a connection that then dropped are not sent again: they may have arrived (the
 * filled gap shows it). Private messages are not stored by the server, so those sent to us
 * while we were disconnected are not recovered.
 */
export class RoomClient {
  readonly #options: RoomClientOptions;
  readonly #backoff: Backoff;
  readonly #schedule: Schedule;
  readonly #pageSize: number;
  #conversation = new Conversation();
  #roomId: string;
  #name: string;
  #channel: Channel | undefined;
  #channelIndex = 0;
  #state: ConnectionState = 'connecting';
  #joinedOnce = false;
  #ghostRetries = 0;
  #leaving = false;
  #lastError: { code: string; message: string } | undefined;
  #outbox: string[] = [];
  #cancelRetry: (() => void) | undefined;
  #filling = false;
  #fillAgain = false;

  constructor(options: RoomClientOptions) {
    this.#options = options;
    this.#roomId = options.roomId;
    this.#name = options.name;
    this.#backoff = options.backoff ?? new Backoff();
    this.#schedule = options.schedule ?? defaultSchedule;
    this.#pageSize = options.pageSize ?? 200;
  }

  get state(): ConnectionState {
    return this.#state;
  }

  /** The room this client is in (it changes with `/join`). */
  get roomId(): string {
    return this.#roomId;
  }

  /** Our nickname (it changes with `/nick`). */
  get name(): string {
    return this.#name;
  }

  /** The transport in use or being tried. */
  get kind(): string {
    return this.#factory().kind;
  }

  /** The oldest seq shown, for reading further back with the history API. */
  get oldestSeq(): number | undefined {
    return this.#conversation.oldestSeq;
  }

  start(): void {
    this.#connect();
  }

  /** Sends a message or a `/command`; while disconnected it waits, in order, for the reconnect. */
  send(text: string): void {
    if (this.#state === 'closed') return;
    if (this.#state === 'connected' && this.#channel !== undefined) this.#channel.send(text);
    else this.#outbox.push(text);
  }

  /**
   * While waiting out a reconnect delay: tries now instead (a person's "reconnect now", once
   * they know the network is back). Does nothing in any other state.
   */
  reconnectNow(): void {
    if (this.#state !== 'reconnecting' || this.#cancelRetry === undefined) return;
    this.#cancelRetry();
    this.#connect();
  }

  /** Reads the page of messages just older than the oldest shown; returns those new to the view. */
  async olderPage(limit = 50): Promise<ChatMessage[]> {
    const before = this.#conversation.oldestSeq;
    if (before !== undefined && before <= 1) return [];
    const page = await this.#options.api.history(this.#roomId, {
      ...(before === undefined ? {} : { before }),
      limit,
    });
    return this.#conversation.prepend(page);
  }

  /** Leaves the room cleanly (`/quit`: the room sees reason `quit`) and stops reconnecting. */
  leave(reason?: string): void {
    if (this.#leaving || this.#state === 'closed') return;
    this.#leaving = true;
    this.#cancelRetry?.();
    if (this.#state === 'connected' && this.#channel !== undefined) {
      this.#channel.send(reason === undefined ? '/quit' : `/quit ${reason}`);
      // The server answers `goodbye` and closes; a server that does not is not waited for.
      this.#schedule(() => this.#channel?.close(), 2000);
    } else {
      this.#channel?.close();
      this.#finish({ reason: 'quit', message: 'you left' });
    }
  }

  #factory(): ChannelFactory {
    const factory = this.#options.channels[this.#channelIndex];
    if (factory === undefined) throw new Error('RoomClient needs at least one channel factory');
    return factory;
  }

  #status(state: ConnectionState, extra: { retryInMs?: number; reason?: string } = {}): void {
    this.#state = state;
    this.#options.listener.status({
      state,
      kind: this.kind,
      attempt: this.#backoff.attempt,
      ...extra,
    });
  }

  #connect(): void {
    this.#cancelRetry = undefined;
    if (this.#leaving) return;
    this.#status(this.#joinedOnce ? 'reconnecting' : 'connecting');
    this.#lastError = undefined;
    const channel = this.#factory().open(
      {
        baseUrl: this.#options.api.baseUrl,
        roomId: this.#roomId,
        name: this.#name,
        history: this.#options.replay ?? true,
        ...(this.#options.api.token === undefined ? {} : { token: this.#options.api.token }),
      },
      {
        opened: () => undefined,
        event: (event) => {
          if (this.#channel === channel) this.#event(event);
        },
        ended: (end) => {
          if (this.#channel !== channel) return;
          this.#channel = undefined;
          void this.#ended(end);
        },
      },
    );
    this.#channel = channel;
  }

  #event(event: ServerEvent): void {
    if (isMessage(event)) {
      this.#switchRoomIfMoved(event.room);
      this.#show(this.#conversation.receive(event));
      if (this.#conversation.gap !== undefined) void this.#fill();
      return;
    }
    if (isError(event)) this.#lastError = { code: event.code, message: event.message };
    if (event.event_type === 'participant_joined' && event.participant === this.#name) {
      this.#switchRoomIfMoved(typeof event.room === 'string' ? event.room : undefined);
      this.#joined();
    }
    if (event.event_type === 'participant_renamed' && event.from === this.#name) {
      if (typeof event.to === 'string') this.#name = event.to;
    }
    if (event.event_type === 'goodbye') this.#leaving = true;
    this.#options.listener.event(event);
  }

  /** `/join #other` moves this connection: the new room's events carry its id. */
  #switchRoomIfMoved(roomId: string | undefined): void {
    if (roomId === undefined || roomId === this.#roomId) return;
    this.#roomId = roomId;
    this.#conversation = new Conversation();
  }

  #joined(): void {
    const rejoin = this.#joinedOnce;
    this.#joinedOnce = true;
    this.#ghostRetries = 0;
    this.#backoff.reset();
    this.#status('connected');
    const outbox = this.#outbox;
    this.#outbox = [];
    for (const text of outbox) this.#channel?.send(text);
    // Messages sent while we were away: the replay may not reach back far enough, and a room
    // with no new traffic would not reveal the gap, so catch up explicitly.
    if (rejoin) void this.#fill(true);
  }

  #show(messages: readonly ChatMessage[]): void {
    if (messages.length > 0) this.#options.listener.messages(messages);
  }

  /** Reads history after the last shown seq until caught up or the gap is filled. */
  async #fill(catchUp = false): Promise<void> {
    if (this.#filling) {
      this.#fillAgain ||= catchUp;
      return;
    }
    this.#filling = true;
    let reading = catchUp;
    try {
      while (reading || this.#conversation.gap !== undefined) {
        const roomId = this.#roomId;
        const after = this.#conversation.lastSeq;
        if (after === undefined) break;
        const page = await this.#options.api.history(roomId, { after, limit: this.#pageSize });
        if (roomId !== this.#roomId) break;
        const before = this.#conversation.lastSeq;
        this.#show(this.#conversation.receive(...page));
        const gap = this.#conversation.gap;
        if (gap !== undefined && this.#conversation.lastSeq === before) {
          // The server has nothing between: those messages are past its retention.
          this.#options.listener.missing(gap);
          this.#show(this.#conversation.skipGap());
        }
        reading = page.length === this.#pageSize || this.#fillAgain;
        this.#fillAgain = false;
      }
    } catch {
      // Unreachable for now: the next reconnect or the next gap tries again.
    } finally {
      this.#filling = false;
    }
  }

  async #ended(end: ChannelEnd): Promise<void> {
    if (this.#state === 'closed') return;
    const reason = end.reason || this.#lastError?.code || '';
    if (this.#leaving) return this.#finish({ reason: 'quit', message: 'you left the room' });
    if (this.#isFinal(end, reason)) {
      return this.#finish({
        reason,
        message: this.#lastError?.message ?? `the server refused the connection (${reason})`,
      });
    }
    if (!end.opened && this.#channelIndex < this.#options.channels.length - 1) {
      // WebSocket never opened: if the server answers HTTP, something on the way blocks it.
      if (await this.#options.api.reachable()) {
        this.#channelIndex += 1;
        return this.#connect();
      }
    }
    const delay = this.#backoff.next();
    this.#status('reconnecting', { retryInMs: delay, reason: reason || 'disconnected' });
    this.#cancelRetry = this.#schedule(() => this.#connect(), delay);
  }

  #isFinal(end: ChannelEnd, reason: string): boolean {
    if (reason === 'nickname_taken' && this.#joinedOnce) {
      this.#ghostRetries += 1;
      return this.#ghostRetries > GHOST_RETRIES;
    }
    if (FINAL_REASONS.has(reason) || FINAL_CLOSE_CODES.has(end.code)) return true;
    const refusedRequest = end.code >= 4400 && end.code < 4500; // WebSocket: fix the request
    const refusedHttp = end.code >= 400 && end.code < 500 && end.code !== 429; // SSE refusals
    return refusedRequest || refusedHttp;
  }

  #finish(end: RoomClientEnd): void {
    if (this.#state === 'closed') return;
    this.#cancelRetry?.();
    this.#outbox = [];
    this.#status('closed', { reason: end.reason });
    this.#options.listener.ended(end);
  }
}
