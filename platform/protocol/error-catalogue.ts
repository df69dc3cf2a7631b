import type { ChatErrorCode } from '../../business/chat/chat-error.js';
import type { LeaveReason } from '../../business/chat/room-event.js';
import { CloseCode, type CloseCodeValue } from './close-codes.js';

/** Codes that only the transports produce (the request never reached the domain). */
export type TransportErrorCode =
  | 'invalid_request'
  | 'invalid_json'
  | 'payload_too_large'
  | 'not_found'
  | 'method_not_allowed'
  | 'upgrade_required'
  | 'shutting_down'
  | 'binary_not_supported'
  | 'unsupported_encoding'
  | 'request_timeout'
  | 'headers_too_large'
  | 'invalid_session'
  | 'unauthorized'
  | 'slow_consumer'
  | 'idle_timeout'
  | 'server_full'
  | 'too_many_connections'
  | 'overloaded'
  | 'internal_error'
  | 'auth_required'
  | 'invalid_token'
  | 'token_expired'
  | 'origin_not_allowed'
  | 'kicked';

/** Every error code a client can see, on any transport. */
export type WireErrorCode = ChatErrorCode | TransportErrorCode;

/** How one error code shows on each transport. */
export interface WireErrorForm {
  /** HTTP status when the error answers an HTTP request. */
  readonly status: number;
  /**
   * WebSocket close code when the error ends the connection (on every transport: a TCP line
   * client is disconnected, an SSE stream ended); absent when it stays open.
   */
  readonly close?: CloseCodeValue;
  /** What the room is told when the error ends the connection (default `protocol_error`). */
  readonly leave?: LeaveReason;
  /** Only ever an HTTP answer (a request refused), never shown in a session. */
  readonly httpOnly?: true;
}

/**
 * The one table from error code to wire form. docs/protocol.md mirrors it, and a test keeps
 * the two in step.
 */
export const ERROR_CATALOGUE: Readonly<Record<WireErrorCode, WireErrorForm>> = {
  invalid_room_name: { status: 400 },
  invalid_nickname: { status: 400, close: CloseCode.invalidRequest },
  invalid_request: { status: 400, close: CloseCode.invalidRequest },
  invalid_json: { status: 400 },
  room_not_found: { status: 404, close: CloseCode.roomNotFound },
  nickname_taken: { status: 409, close: CloseCode.nicknameTaken },
  empty_message: { status: 400 },
  not_in_room: { status: 409 },
  storage_unavailable: { status: 503 },
  payload_too_large: { status: 413, close: CloseCode.messageTooBig },
  not_found: { status: 404 },
  method_not_allowed: { status: 405 },
  upgrade_required: { status: 426 },
  shutting_down: { status: 503, close: CloseCode.goingAway, leave: 'server_shutdown' },
  binary_not_supported: { status: 415, close: CloseCode.unsupportedData },
  unsupported_encoding: { status: 415 },
  request_timeout: { status: 408 },
  headers_too_large: { status: 431 },
  invalid_session: { status: 401, httpOnly: true },
  unauthorized: { status: 401, httpOnly: true },
  slow_consumer: { status: 503, close: CloseCode.slowConsumer, leave: 'slow_consumer' },
  idle_timeout: { status: 408, close: CloseCode.idleTimeout, leave: 'idle_timeout' },
  server_full: { status: 503, close: CloseCode.tryAgainLater },
  overloaded: { status: 503, close: CloseCode.tryAgainLater, leave: 'overloaded' },
  room_limit_reached: { status: 403, close: CloseCode.roomLimitReached },
  invalid_history_query: { status: 400 },
  invalid_room_query: { status: 400 },
  unknown_command: { status: 400 },
  participant_not_found: { status: 404 },
  ambiguous_participant: { status: 409 },
  invalid_command: { status: 400 },
  rate_limited: { status: 429 },
  flooding: { status: 429, close: CloseCode.policyViolation, leave: 'rate_limited' },
  too_many_connections: { status: 429, close: CloseCode.policyViolation },
  too_many_rooms_created: { status: 429, close: CloseCode.policyViolation },
  invalid_admin_request: { status: 400, httpOnly: true },
  kicked: { status: 403, close: CloseCode.kicked, leave: 'kicked' },
  internal_error: { status: 500, close: CloseCode.internalError },
  auth_required: { status: 401, close: CloseCode.unauthorized },
  invalid_token: { status: 401, close: CloseCode.unauthorized },
  token_expired: { status: 401, close: CloseCode.unauthorized, leave: 'token_expired' },
  forbidden_room: { status: 403, close: CloseCode.forbidden },
  origin_not_allowed: { status: 403 },
};

/** What a client is told about a bug: nothing it could use, only that it was noticed. */
export const INTERNAL_ERROR_MESSAGE = 'the server could not handle this; it has been logged';

/**
 * A refusal made at the edge (a transport's own, or a domain refusal a transport carries to
 * HTTP as it came), carried to the edge's one error mapper.
 */
export class WireError extends Error {
  override readonly name = 'WireError';

  constructor(
    readonly code: WireErrorCode,
    message: string,
  ) {
    super(message);
  }
}
