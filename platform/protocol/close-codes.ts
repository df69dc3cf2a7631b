/**
 * WebSocket close codes Parley sends (docs/protocol.md, "Close codes").
 * 1xxx are the RFC 6455 codes; 4000–4099 mean "the connection was fine to make, reconnect if
 * you like"; 4400–4499 mean "this request will fail again as it is": their last three digits
 * echo the matching HTTP status.
 */
export const CloseCode = {
  normal: 1000,
  goingAway: 1001,
  unsupportedData: 1003,
  policyViolation: 1008,
  messageTooBig: 1009,
  internalError: 1011,
  tryAgainLater: 1013,
  slowConsumer: 4000,
  idleTimeout: 4001,
  kicked: 4010,
  invalidRequest: 4400,
  unauthorized: 4401,
  roomLimitReached: 4403,
  /** A room the client's token does not let it into (the same code as a room limit: 403). */
  forbidden: 4403,
  roomNotFound: 4404,
  nicknameTaken: 4409,
  roomClosed: 4410,
} as const;

export type CloseCodeValue = (typeof CloseCode)[keyof typeof CloseCode];
