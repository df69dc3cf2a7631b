import type { RoomRepository } from '../ports/room-repository.js';
import { storageUnavailable } from './storage-unavailable.js';
import { ChatError } from './chat-error.js';
import type { Room } from './room.js';

/**
 * The room with this id.
 * @throws ChatError `room_not_found`.
 */
export async function findRoom(rooms: RoomRepository, roomId: string): Promise<Room> {
  const room = await rooms.get(roomId).catch(storageUnavailable('found'));
  if (room === undefined) throw new ChatError('room_not_found', `no room with id "${roomId}"`);
  return room;
}
