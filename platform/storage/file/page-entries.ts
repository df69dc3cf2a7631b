import type { HistoryQuery } from '../../../business/chat/history-page.js';
import type { OffsetIndex } from './offset-index.js';

/**
 * The index entries [first, end) a history page holds: what `selectPage` would pick from the
 * whole history, found by binary search instead of by looking at every message.
 */
export function pageEntries(index: OffsetIndex, query: HistoryQuery): [number, number] {
  const { after, before, limit } = query;
  const first = after === undefined ? 0 : index.firstAfter(after);
  const end = before === undefined ? index.count : index.firstAfter(before - 1);
  if (end <= first) return [first, first];
  return after === undefined
    ? [Math.max(first, end - limit), end]
    : [first, Math.min(end, first + limit)];
}
