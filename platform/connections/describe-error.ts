import { isChatError } from '../../business/chat/chat-error.js';
import type { Logger } from '../logging/logger.js';
import { INTERNAL_ERROR_MESSAGE, type WireErrorCode } from '../protocol/error-catalogue.js';

/** The code and sentence a client is shown for an error; anything unexpected is logged. */
export function describeError(
  error: unknown,
  logger: Logger,
  transport: string,
): [WireErrorCode, string] {
  if (isChatError(error)) return [error.code, error.message];
  logger.error({ err: error }, `unexpected error on a ${transport} connection`);
  return ['internal_error', INTERNAL_ERROR_MESSAGE];
}
