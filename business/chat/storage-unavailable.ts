import { ChatError, isChatError } from './chat-error.js';

/**
 * Turns a storage or presence failure into `storage_unavailable` (a ChatError passes as is):
 * with a shared store (Redis) out of reach, a client is told its request could not be done,
 * and stays connected, rather than being cut off by an internal error.
 * @example await presence.claim(roomId, participant).catch(storageUnavailable('joined'))
 */
export function storageUnavailable(what: string): (cause: unknown) => never {
  return (cause) => {
    if (isChatError(cause)) throw cause;
    throw new ChatError('storage_unavailable', `storage is unavailable: not ${what}`, { cause });
  };
}
