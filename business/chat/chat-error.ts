/**
 * Every refusal the chat domain can produce, by stable code. Codes never change meaning once
 * released: clients branch on them. Each transport maps a code to its own wire form in exactly
 * one place (HTTP status, WebSocket close code, TCP text line); docs/protocol.md lists them.
 */
export type ChatErrorCode =
  | 'invalid_room_name'
  | 'invalid_nickname'
  | 'room_not_found'
  | 'nickname_taken'
  | 'empty_message'
  | 'not_in_room'
  | 'room_limit_reached'
  | 'invalid_history_query'
  | 'invalid_room_query'
  | 'unknown_command'
  | 'participant_not_found'
  | 'ambiguous_participant'
  | 'invalid_command'
  | 'storage_unavailable'
  | 'rate_limited'
  | 'flooding'
  | 'too_many_rooms_created'
  | 'forbidden_room'
  | 'invalid_admin_request';

/** A domain error: what went wrong (the code) and a sentence a person can read (the message). */
export class ChatError extends Error {
  override readonly name = 'ChatError';

  constructor(
    readonly code: ChatErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** True when `error` is a ChatError, optionally with the given code. */
export function isChatError(error: unknown, code?: ChatErrorCode): error is ChatError {
  return error instanceof ChatError && (code === undefined || error.code === code);
}
