import type { Membership } from '../../business/chat/membership.js';
import type { LeaveReason } from '../../business/chat/room-event.js';
import type { Logger } from '../logging/logger.js';
import { leaveRoom } from './leave-room.js';

/**
 * The rooms one session is in, and the one it speaks in now. A session is in one room at a time
 * today (`/join` moves it), but nothing here assumes so: a protocol that keeps a connection in
 * several rooms at once (chattypantz's) adds memberships with `enter`.
 */
export class SessionRooms {
  private readonly byRoom = new Map<string, Membership>();
  private speaking: Membership | undefined;

  /** The membership the session's inputs go to. */
  get current(): Membership | undefined {
    return this.speaking;
  }

  /** Records a room the session is now in, and speaks in from now on. */
  enter(membership: Membership): void {
    this.speaking = membership;
    this.byRoom.set(membership.room.id, membership);
  }

  /** The session moved to `to` with `/join`: the room it left has been left already. */
  moved(to: Membership): void {
    if (this.speaking !== undefined) this.byRoom.delete(this.speaking.room.id);
    this.enter(to);
  }

  /** The session's nickname in the room (in the room it speaks in, if it is not in that one). */
  nameIn(roomId: string): string {
    return (this.byRoom.get(roomId) ?? this.speaking)?.name ?? '';
  }

  /** Leaves every room, each once: a membership is forgotten as it is left. Never rejects. */
  async leaveAll(reason: LeaveReason, logger: Logger): Promise<void> {
    const leaving = [...this.byRoom.values()].map((membership) =>
      leaveRoom(membership, reason, logger),
    );
    this.byRoom.clear();
    await Promise.all(leaving);
  }
}
