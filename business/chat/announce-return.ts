import type { ChatDependencies } from './chat-dependencies.js';
import { isDirectRoom } from './direct-room.js';
import { withOrigin, type Participant } from './participant.js';
import { presentNames } from './present-names.js';

/**
 * Tells the room that a participant is present again after the shared presence had lost it
 * (several nodes: its node was taken for dead during a partition, or Redis lost its data), as
 * a `participant_joined`: the room may have been told it left. Nothing when the room no longer
 * exists, or for the direct-messages room.
 */
export async function announceReturn(
  deps: Pick<ChatDependencies, 'broker' | 'clock' | 'presence' | 'rooms'>,
  roomId: string,
  participant: Participant,
): Promise<void> {
  if (isDirectRoom(roomId)) return;
  const room = await deps.rooms.get(roomId);
  if (room === undefined) return;
  const present = await presentNames(deps.presence, roomId);
  deps.broker.publish(roomId, {
    type: 'participant_joined',
    roomId,
    roomName: room.name,
    participant: participant.name,
    at: deps.clock.now(),
    ...withOrigin(participant),
    ...(present && { present }),
  });
}
