import type { LineOpening } from '../dialects/line-dialogue.js';
import { parseHistoryFlag } from '../protocol/history-flag.js';
import { JOIN_PATH } from './join-path.js';

/** What a WebSocket upgrade request asks for, from its path. */
export type UpgradeRoute =
  /** Chatty's `/chat/join?name=&room=<id>`; either may be missing (refused after the upgrade). */
  | {
      readonly kind: 'join';
      readonly room: string | null;
      readonly name: string | null;
      /** Whether to replay recent messages (`history=0` turns it off); undefined: a bad value. */
      readonly history: boolean | undefined;
    }
  /**
   * Line dialects in text frames: MaChat's `/mychat` (a JSON handshake first, then `name:text`
   * lines) and chat-server's `/ws` (the telnet dialogue).
   */
  | { readonly kind: 'lines'; readonly opening: Exclude<LineOpening, 'either'> }
  /** chattypantz's `/v1.0/chat`: its JSON request/response protocol, in any number of rooms. */
  | { readonly kind: 'pantz' }
  /** chattypantz's `/{room}/{nickname}`: the room by id or name, created if missing. */
  | { readonly kind: 'join_by_path'; readonly room: string; readonly name: string }
  /** chattypantz's `/`: the room list, then a normal close. */
  | { readonly kind: 'rooms' }
  /** chattypantz's `/{room}`: who is in the room, then a normal close. */
  | { readonly kind: 'participants'; readonly room: string }
  | { readonly kind: 'not_found' }
  | { readonly kind: 'invalid'; readonly message: string };

/**
 * First path segments Parley uses for something else: `/chat/...` is REST and Chatty's join,
 * the others are pages and endpoints. A room cannot be reached by path under these names (it
 * still can by id, or through `/chat/join`).
 */
const RESERVED = new Set([
  'chat',
  'docs',
  'ping',
  'client',
  'metrics',
  'admin',
  'mychat',
  'ws',
  'v1.0',
]);

/** The seeds' WebSocket paths for line dialects. */
const LINE_PATHS: ReadonlyMap<string, Exclude<LineOpening, 'either'>> = new Map([
  ['/mychat', 'machat'],
  ['/ws', 'person'],
]);

/** chattypantz's WebSocket endpoint (composer22/chattypantz@6c94499 server/const.go). */
export const PANTZ_PATH = '/v1.0/chat';

/** Maps an upgrade request's URL to what it asks for. */
export function routeUpgrade(url: URL): UpgradeRoute {
  if (url.pathname === JOIN_PATH) {
    const { searchParams } = url;
    return {
      kind: 'join',
      room: searchParams.get('room'),
      name: searchParams.get('name'),
      history: parseHistoryFlag(searchParams.get('history')),
    };
  }
  const opening = LINE_PATHS.get(url.pathname);
  if (opening !== undefined) return { kind: 'lines', opening };
  if (url.pathname === PANTZ_PATH) return { kind: 'pantz' };
  const segments = url.pathname.split('/').filter((segment) => segment !== '');
  let decoded: string[];
  try {
    decoded = segments.map((segment) => decodeURIComponent(segment));
  } catch {
    return { kind: 'invalid', message: 'the path is not valid percent-encoding' };
  }
  const [room, name, ...rest] = decoded;
  if (room === undefined) return { kind: 'rooms' };
  if (RESERVED.has(room.toLowerCase()) || rest.length > 0) return { kind: 'not_found' };
  if (name === undefined) return { kind: 'participants', room };
  return { kind: 'join_by_path', room, name };
}
