import type { Membership } from '../../business/chat/membership.js';
import type { Room } from '../../business/chat/room.js';
import type { LeaveReason } from '../../business/chat/room-event.js';
import type { Logger } from '../logging/logger.js';
import { leaveRoom } from './leave-room.js';

/**
 * The rooms one session is in, and the one it speaks in now. A line or Chatty session is in one
 * room at a time (`/join` moves it); a protocol that keeps a connection in several rooms at once
 * (chattypantz's) adds memberships with `enter` and drops one with `take`.
 */
export class SessionRooms {
  private readonly byRoom = new Map<string, Membership>();
  private speaking: Membership | undefined;
  /** Names of rooms being joined: events can reach the session before the join completes. */
  private readonly joiningNames = new Map<string, string>();

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

  /** The membership in this room, if the session is in it. */
  in(roomId: string): Membership | undefined {
    return this.byRoom.get(roomId);
  }

  /** How many rooms the session is in. */
  get size(): number {
    return this.byRoom.size;
  }

  /**
   * Forgets the membership in this room (the caller leaves it) and returns it; the session
   * speaks in another of its rooms, if it has one, from then on.
   */
  take(roomId: string): Membership | undefined {
    const membership = this.byRoom.get(roomId);
    if (membership === undefined) return undefined;
    this.byRoom.delete(roomId);
    if (this.speaking === membership) this.speaking = this.byRoom.values().next().value;
    return membership;
  }

  /** Notes the name of a room the session is about to join, until `entered` or `notEntered`. */
  entering(room: Room): void {
    this.joiningNames.set(room.id, room.name);
  }

  /** The join noted with `entering` is over, whichever way. */
  notEntering(roomId: string): void {
    this.joiningNames.delete(roomId);
  }

  /** The room's name, for a room the session is in or joining ('' otherwise). */
  roomNameOf(roomId: string): string {
    return this.byRoom.get(roomId)?.room.name ?? this.joiningNames.get(roomId) ?? '';
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
