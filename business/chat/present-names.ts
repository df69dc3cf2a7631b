import type { PresenceRegistry } from '../ports/presence-registry.js';
import { visibleNames } from './participant.js';
import { PARTICIPANT_LIST_MAX } from './room-page.js';

/**
 * Who a room shows as present right after a join or a leave (hidden participants left out), for
 * the dialects whose join and leave notices carry the list (chattypantz). Undefined in a room of
 * more than PARTICIPANT_LIST_MAX, where listing on every join would cost O(N²), or when presence
 * cannot be read: the notice goes out without it rather than not at all.
 */
export async function presentNames(
  presence: PresenceRegistry,
  roomId: string,
): Promise<string[] | undefined> {
  try {
    const count = (await presence.counts([roomId])).get(roomId) ?? 0;
    if (count > PARTICIPANT_LIST_MAX) return undefined;
    return visibleNames(await presence.list(roomId));
  } catch {
    return undefined;
  }
}
