import { isChatError } from '../../business/chat/chat-error.js';
import { PantzText, PantzType } from './pantz-codes.js';
import type { PantzResponse } from './pantz-json.js';

/**
 * The one mapping from Parley's domain errors to chattypantz's error responses, for a request
 * about `room` by `nickname` (docs/protocol.md, "chattypantz"). Undefined for anything that is
 * not a ChatError: a bug, which the session handles as one.
 */
export function pantzErrorFor(
  error: unknown,
  room: string,
  nickname: string,
): PantzResponse | undefined {
  if (!isChatError(error)) return undefined;
  switch (error.code) {
    case 'nickname_taken':
      return answer(room, PantzType.nicknameUsed, PantzText.nicknameUsed(nickname, room));
    case 'invalid_nickname':
      return answer('', PantzType.nicknameMandatory, error.message);
    case 'room_limit_reached':
      return answer(room, PantzType.maxRoomsReached, PantzText.maxRoomsReached);
    case 'room_not_found':
      return answer(room, PantzType.roomUnavailable, PantzText.roomUnavailable);
    default: // a room that cannot take this request: a bad name, an empty message, storage down
      return answer(room, PantzType.roomUnavailable, error.message);
  }
}

/** A response with an empty list. */
export function answer(roomName: string, rspType: number, content: string): PantzResponse {
  return { roomName, rspType, content, list: [] };
}
