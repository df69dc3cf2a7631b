import { nicknameKey } from '../../business/chat/nickname.js';
import type { Participant } from '../../business/chat/participant.js';
import type { PresenceRegistry } from '../../business/ports/presence-registry.js';

interface RoomPresence {
  /** Nickname key → participant, in join order (Map keeps insertion order). */
  readonly byNickname: Map<string, Participant>;
  /** Member id → nickname key, so a release costs O(1) however big the room. */
  readonly nicknameOf: Map<string, string>;
}

/** Presence for a single node: participants per room, keyed by nickname for uniqueness. */
export class MemoryPresenceRegistry implements PresenceRegistry {
  private readonly rooms = new Map<string, RoomPresence>();

  claim(roomId: string, participant: Participant): Promise<boolean> {
    const room = this.rooms.get(roomId) ?? this.open(roomId);
    const key = nicknameKey(participant.name);
    if (room.byNickname.has(key)) return Promise.resolve(false);
    room.byNickname.set(key, participant);
    room.nicknameOf.set(participant.memberId, key);
    return Promise.resolve(true);
  }

  rename(roomId: string, memberId: string, name: string): Promise<boolean> {
    const room = this.rooms.get(roomId);
    const oldKey = room?.nicknameOf.get(memberId);
    const participant = oldKey === undefined ? undefined : room?.byNickname.get(oldKey);
    const newKey = nicknameKey(name);
    if (room === undefined || oldKey === undefined || participant === undefined) {
      return Promise.resolve(false);
    }
    if (newKey !== oldKey && room.byNickname.has(newKey)) return Promise.resolve(false);
    // Rebuilt rather than deleted and re-added, so the participant keeps its place.
    const entries = [...room.byNickname].map(([key, p]): [string, Participant] =>
      key === oldKey ? [newKey, { ...participant, name }] : [key, p],
    );
    room.byNickname.clear();
    for (const [key, p] of entries) room.byNickname.set(key, p);
    room.nicknameOf.set(memberId, newKey);
    return Promise.resolve(true);
  }

  release(roomId: string, memberId: string): Promise<void> {
    const room = this.rooms.get(roomId);
    const key = room?.nicknameOf.get(memberId);
    if (room === undefined || key === undefined) return Promise.resolve();
    room.nicknameOf.delete(memberId);
    room.byNickname.delete(key);
    if (room.byNickname.size === 0) this.rooms.delete(roomId);
    return Promise.resolve();
  }

  list(roomId: string): Promise<Participant[]> {
    return Promise.resolve([...(this.rooms.get(roomId)?.byNickname.values() ?? [])]);
  }

  counts(roomIds: readonly string[]): Promise<Map<string, number>> {
    const counts = roomIds.map((id): [string, number] => [
      id,
      this.rooms.get(id)?.byNickname.size ?? 0,
    ]);
    return Promise.resolve(new Map(counts));
  }

  private open(roomId: string): RoomPresence {
    const room = {
      byNickname: new Map<string, Participant>(),
      nicknameOf: new Map<string, string>(),
    };
    this.rooms.set(roomId, room);
    return room;
  }
}
