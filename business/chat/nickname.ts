import { ChatError } from './chat-error.js';
import { unreadableNameReason } from './name-characters.js';
import { codePointLength } from './text-rules.js';

/** Longest nickname accepted, in characters. */
export const NICKNAME_MAX_LENGTH = 32;

/** Prefixes reserved for command syntax: `@nick`, `#room`, `/command`. */
const RESERVED_PREFIXES = ['@', '#', '/'];

/**
 * Validates a requested nickname and returns it trimmed.
 * @throws ChatError `invalid_nickname` with a sentence saying which rule failed.
 */
export function parseNickname(raw: unknown): string {
  if (typeof raw !== 'string') throw invalidNickname('a nickname is required');
  const name = raw.trim();
  if (name.length === 0) throw invalidNickname('a nickname must not be blank');
  if (codePointLength(name) > NICKNAME_MAX_LENGTH) {
    throw invalidNickname(`a nickname is at most ${NICKNAME_MAX_LENGTH} characters`);
  }
  const unreadable = unreadableNameReason(name);
  if (unreadable !== undefined) throw invalidNickname(`a nickname ${unreadable}`);
  if (RESERVED_PREFIXES.some((prefix) => name.startsWith(prefix))) {
    throw invalidNickname('a nickname must not start with @, # or /');
  }
  return name;
}

function invalidNickname(reason: string): ChatError {
  return new ChatError('invalid_nickname', reason);
}
