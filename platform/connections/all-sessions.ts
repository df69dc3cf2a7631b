import type { Occupants } from '../../business/ports/occupants.js';
import type { SessionSet } from './session-set.js';

/**
 * Every session of every transport (WebSocket, TCP line ports, SSE), as the operator's use
 * cases see them: an announcement, a room's closing or a kick is done here once, and each
 * session renders it in its own dialect and counts it against its own send bound.
 */
export class AllSessions implements Occupants {
  constructor(private readonly sets: readonly SessionSet[]) {}

  announce(text: string, at: number): number {
    return this.sets.reduce((told, sessions) => told + sessions.announce(text, at), 0);
  }

  closeRoom(roomId: string, at: number): number {
    return this.sets.reduce((closed, sessions) => closed + sessions.closeRoom(roomId, at), 0);
  }

  kick(roomId: string, participant: string, reason: string): boolean {
    return this.sets.some((sessions) => sessions.kick(roomId, participant, reason));
  }
}
