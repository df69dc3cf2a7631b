import type { LeanSocket } from './lean-socket.js';

/**
 * How to speak to one kind of server with a lean socket: where to connect, how to join, how
 * to send a chat message, and how to recognise a delivered one — by looking at a few bytes,
 * never by parsing JSON.
 */
export interface Dialect {
  path(room: string, name: string): string;
  /** Handles a frame (a copy) before the join completed; returns true once joined. */
  setupFrame(socket: LeanSocket, payload: Buffer, room: string, name: string): boolean;
  /** The text frame that carries a chat message. */
  message(text: string): string;
  /** True for a frame (`buffer[start..end)`) that is a delivered chat message. */
  isMessage(buffer: Buffer, start: number, end: number): boolean;
  /** True for a frame that is an error event (a refused message, say). */
  isError(buffer: Buffer, start: number, end: number): boolean;
  /** Answers protocol-level keepalives carried in text frames; true when the frame was one. */
  keepalive(socket: LeanSocket, buffer: Buffer, start: number, end: number): boolean;
}

const MESSAGE_AT_15 = Buffer.from('message"'); // {"event_type":"message"…

function startsWithMessageEvent(buffer: Buffer, start: number, end: number): boolean {
  return end - start > 23 && buffer.compare(MESSAGE_AT_15, 0, 8, start + 15, start + 23) === 0;
}

const ERROR_AT_15 = Buffer.from('error"'); // {"event_type":"error"…

function startsWithErrorEvent(buffer: Buffer, start: number, end: number): boolean {
  return end - start > 21 && buffer.compare(ERROR_AT_15, 0, 6, start + 15, start + 21) === 0;
}

/** Parley: the Chatty protocol. Joined once its own participant_joined (the first frame) arrives. */
export const parleyDialect: Dialect = {
  path: (room, name) => `/chat/join?name=${name}&room=${room}`,
  setupFrame: () => true,
  message: (text) => text,
  isMessage: startsWithMessageEvent,
  isError: startsWithErrorEvent,
  keepalive: () => false,
};

/** The raw ws peers: joined on their `joined` frame; messages are plain text frames. */
export const rawWsDialect: Dialect = {
  path: (room, name) => `/join?room=${room}&name=${name}`,
  setupFrame: () => true,
  message: (text) => text,
  isMessage: startsWithMessageEvent,
  isError: () => false,
  keepalive: () => false,
};

/** Socket.IO 4 over its websocket transport (Engine.IO v4 packets in text frames). */
export const socketIoDialect: Dialect = {
  path: () => '/socket.io/?EIO=4&transport=websocket',
  setupFrame: (socket, payload, room, name) => {
    const text = payload.toString();
    if (text.startsWith('0{'))
      socket.sendText('40'); // Engine.IO open → Socket.IO connect
    else if (text.startsWith('40'))
      socket.sendText(`42${JSON.stringify(['join', { room, name }])}`);
    else if (text.startsWith('42["joined"')) return true;
    return false;
  },
  message: (text) => `42${JSON.stringify(['say', text])}`,
  isMessage: (buffer, start) =>
    buffer[start] === 0x34 && buffer[start + 1] === 0x32 && buffer[start + 4] === 0x6d, // 42["m
  isError: () => false,
  keepalive: (socket, buffer, start, end) => {
    if (end - start !== 1 || buffer[start] !== 0x32) return false; // Engine.IO ping "2"
    socket.sendText('3');
    return true;
  },
};

export const DIALECTS = {
  parley: parleyDialect,
  'raw-ws': rawWsDialect,
  socketio: socketIoDialect,
} as const;
export type DialectName = keyof typeof DIALECTS;
