import type { ChatDependencies } from './chat-dependencies.js';
import { isDirectRoom } from './direct-room.js';
import { withOrigin, type Participant } from './participant.js';
import { presentNames } from './present-names.js';
import type { LeaveReason } from './room-event.js';

/**
 * Tells the room that the participant left, and why, with who is present now: the one shape of
 * `participant_left`, whether the participant's own connection left or its node died and
 * another node released it. The direct-messages room announces nobody.
 */
export async function announceLeave(
  deps: Pick<ChatDependencies, 'broker' | 'clock' | 'presence'>,
  roomId: string,
  participant: Participant,
  reason: LeaveReason,
): Promise<void> {
  if (isDirectRoom(roomId)) return;
  const present = await presentNames(deps.presence, roomId);
  deps.broker.publish(roomId, {
    type: 'participant_left',
    roomId,
    participant: participant.name,
    reason,
    at: deps.clock.now(),
    ...withOrigin(participant),
    ...(present && { present }),
  });
}
