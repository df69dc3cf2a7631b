import type { Room } from './room.js';

/**
 * Where a client connected for direct messages only is present (Chatrm's users; a client
 * with no room). It is not a room people talk in: it is never stored, listed or joined by id,
 * nothing is said in it, and nobody is told who comes and goes. Its nicknames are unique among
 * its own, like any room's, and `/msg @nick` finds them from anywhere.
 */
export const DIRECT_ROOM: Room = { id: '_direct', name: 'direct messages', createdAt: 0 };

/** True for the direct-messages room. */
export function isDirectRoom(roomId: string): boolean {
  return roomId === DIRECT_ROOM.id;
}
