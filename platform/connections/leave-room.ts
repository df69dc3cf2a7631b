import type { Membership } from '../../business/chat/membership.js';
import type { LeaveReason } from '../../business/chat/room-event.js';
import type { Logger } from '../logging/logger.js';

/** Leaves the room for a closing connection; a failure is logged, never thrown (it has gone). */
export async function leaveRoom(
  membership: Membership,
  reason: LeaveReason,
  logger: Logger,
): Promise<void> {
  try {
    await membership.leave(reason);
  } catch (error) {
    logger.error({ err: error }, 'leaving the room failed');
  }
}
