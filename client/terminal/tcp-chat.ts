import { type Socket, connect } from 'node:net';
import { Backoff } from '../core/backoff.js';
import type { Chat } from './chat.js';
import type { ChatView } from './chat-view.js';
import type { TcpAddress } from './options.js';
import { outgoing } from './outgoing.js';
import { isMessageLine } from './line-kinds.js';
import { afterOverlap } from './replay-overlap.js';

/** Where and as whom a TCP chat joins. */
export interface TcpChatOptions {
  readonly tcp: TcpAddress;
  readonly room: string;
  readonly name: string;
  readonly to?: string;
  readonly token?: string;
  readonly backoff?: Backoff;
}

/** Handshake refusals that the same handshake would meet again (`! error <code>: …`). */
const FINAL_CODES = new Set([
  'invalid_request',
  'invalid_nickname',
  'invalid_room_name',
  'nickname_taken',
  'room_not_found',
  'room_limit_reached',
  'forbidden_room',
  'auth_required',
  'invalid_token',
  'token_expired',
]);
/** A dropped connection may still hold our nickname on the server for a while (its keepalive). */
const GHOST_RETRIES = 8;
/** How many shown message lines are kept to recognise a replay after a reconnect. */
const TAIL = 1000;
/** The server's answer to `/quit`, after which it closes (docs/protocol.md, "Ending"). */
const GOOD_BYE = '* Good Bye, come back again.';

/**
 * A chat over the TCP line port with MaChat's handshake (`{"name":…,"room":…}`), for networks
 * that allow only raw TCP. The server renders every event as a line, so lines are shown as
 * they come. The line protocol has no seq: after a dropped connection it reconnects with the
 * same jittered backoff as the room client, and the room's replayed history is matched against
 * the end of what was shown (replay-overlap.ts) so that lines are not shown twice; messages
 * beyond the replay (`--history`, 15 by default) are not recovered, and it says so.
 */
export function openTcpChat(options: TcpChatOptions, view: ChatView): Chat {
  const backoff = options.backoff ?? new Backoff();
  const shown: string[] = [];
  let outbox: string[] = [];
  let socket: Socket | undefined;
  let joined = false;
  let joinedOnce = false;
  let leaving = false;
  let ended = false;
  let ghostRetries = 0;
  let refusal: string | undefined;
  let replay: string[] = [];
  let retry: NodeJS.Timeout | undefined;
  let finish: (code: number) => void = () => undefined;
  const finished = new Promise<number>((resolve) => (finish = resolve));
  const status = (state: 'connecting' | 'connected' | 'reconnecting' | 'closed', extra = {}) =>
    view.status({ state, kind: 'tcp', attempt: backoff.attempt, ...extra });

  const end = (code: number, why?: string): void => {
    if (ended) return;
    ended = true;
    clearTimeout(retry);
    socket?.destroy();
    status('closed', why === undefined ? {} : { reason: why });
    finish(code);
  };

  const open = (): void => {
    retry = undefined;
    joined = false;
    refusal = undefined;
    replay = [];
    status(joinedOnce ? 'reconnecting' : 'connecting');
    const current = connect(options.tcp.port, options.tcp.host);
    socket = current;
    current.setEncoding('utf8');
    current.setKeepAlive(true, 10_000);
    let partial = '';
    current.on('connect', () => current.write(`${handshake(options)}\n`));
    current.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) received(line.replace(/\r$/, ''));
    });
    current.on('error', () => undefined); // 'close' follows and decides
    current.on('close', () => {
      if (socket === current) closed();
    });
  };

  const received = (line: string): void => {
    if (line === GOOD_BYE) leaving = true;
    if (!joined) return beforeJoin(line);
    show(line);
  };

  const beforeJoin = (line: string): void => {
    const refused = /^! error (\w+):/.exec(line);
    if (refused !== null) refusal = refused[1];
    if (isOwnJoin(line, options.name)) return joinedNow(line);
    if (joinedOnce && refused === null) replay.push(line);
    else show(line);
  };

  const joinedNow = (line: string): void => {
    const rejoin = joinedOnce;
    joined = true;
    joinedOnce = true;
    ghostRetries = 0;
    backoff.reset();
    status('connected');
    if (rejoin) {
      const { fresh, continues } = afterOverlap(
        shown.filter(isMessageLine),
        replay.filter(isMessageLine),
      );
      if (!continues && shown.length > 0 && replay.length > 0) {
        view.notice('more messages came while away than the server replays: some may be missing');
      }
      for (const replayed of fresh) show(replayed);
    }
    show(line);
    const queued = outbox;
    outbox = [];
    for (const text of queued) socket?.write(`${text}\n`);
  };

  const show = (line: string): void => {
    view.line(line);
    shown.push(line);
    if (shown.length > TAIL * 2) shown.splice(0, shown.length - TAIL);
  };

  const closed = (): void => {
    socket = undefined;
    if (ended) return;
    if (leaving) return end(0, 'quit');
    const ghost = refusal === 'nickname_taken' && joinedOnce && ++ghostRetries <= GHOST_RETRIES;
    if (!joined && refusal !== undefined && FINAL_CODES.has(refusal) && !ghost) {
      view.notice(`the server refused to join (${refusal})`);
      return end(1, refusal);
    }
    const delay = backoff.next();
    status('reconnecting', { retryInMs: delay, reason: refusal ?? 'disconnected' });
    retry = setTimeout(open, delay);
  };

  const write = (text: string): void => {
    if (joined && socket !== undefined) socket.write(`${text}\n`);
    else outbox.push(text);
  };

  open();
  return {
    send: (line) => {
      const text = outgoing(line, options.to);
      if (text !== undefined && !ended) write(text);
    },
    endOfInput: () => write('/quit'),
    leave: () => {
      if (!joined || socket === undefined) return end(0, 'quit');
      leaving = true;
      socket.write('/quit\n');
      setTimeout(() => end(0, 'quit'), 2000).unref();
    },
    identity: () => ({ room: options.room, name: options.name }),
    finished,
  };
}

/** MaChat's first line: a JSON object naming who joins which room (by name or id). */
function handshake(options: TcpChatOptions): string {
  return JSON.stringify({
    name: options.name,
    room: options.room,
    ...(options.token === undefined ? {} : { token: options.token }),
  });
}

/** `* John joined #Lobby`: the server's word that we are in (names compared without case). */
function isOwnJoin(line: string, name: string): boolean {
  const match = /^\* (.+) joined #/.exec(line);
  return match?.[1]?.toLowerCase() === name.trim().toLowerCase();
}
