import { ChatError } from './chat-error.js';
import type { Message } from './message.js';

/** Most messages one history page may hold. */
export const HISTORY_PAGE_MAX = 1000;
/** Messages in a page when the query does not say. */
export const HISTORY_PAGE_DEFAULT = 100;

/**
 * A page of a room's history by `seq`. With `after`, the page starts just after it (reading
 * forward, e.g. catching up after a reconnect); otherwise it ends just before `before` (or at
 * the newest message), reading back. Pages are always oldest first.
 */
export interface HistoryQuery {
  readonly after?: number;
  readonly before?: number;
  readonly limit: number;
}

/**
 * Validates a history query as it arrives from a transport (numbers or digit strings).
 * @throws ChatError `invalid_history_query` naming the parameter at fault.
 */
export function parseHistoryQuery(raw: {
  after?: unknown;
  before?: unknown;
  limit?: unknown;
}): HistoryQuery {
  const after = wholeNumber(raw.after, 'after', 0);
  const before = wholeNumber(raw.before, 'before', 1);
  const limit = wholeNumber(raw.limit, 'limit', 1) ?? HISTORY_PAGE_DEFAULT;
  if (limit > HISTORY_PAGE_MAX) {
    throw new ChatError('invalid_history_query', `"limit" is at most ${HISTORY_PAGE_MAX}`);
  }
  return { limit, ...(after !== undefined && { after }), ...(before !== undefined && { before }) };
}

/** The page of `history` (in seq order) that the query asks for. */
export function selectPage(history: readonly Message[], query: HistoryQuery): Message[] {
  const { after, before, limit } = query;
  const inRange = history.filter(
    (m) => (after === undefined || m.seq > after) && (before === undefined || m.seq < before),
  );
  return after === undefined ? inRange.slice(-limit) : inRange.slice(0, limit);
}

function wholeNumber(value: unknown, name: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const number = typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < min) {
    throw new ChatError('invalid_history_query', `"${name}" must be a whole number ≥ ${min}`);
  }
  return number;
}
