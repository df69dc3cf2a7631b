import { nicknameKeys, type NicknameKeys } from '../../business/chat/nickname-keys.js';
import { withHidden, type Participant } from '../../business/chat/participant.js';
import type {
  PresenceRegistry,
  PresentParticipant,
} from '../../business/ports/presence-registry.js';

interface RoomPresence {
  /** Member id → participant, in join order (Map keeps insertion order, even on replacement). */
  readonly byMember: Map<string, Participant>;
  /** Each of a present nickname's keys → its holder's member id: a clash check is two lookups. */
  readonly caseless: Map<string, string>;
  readonly cased: Map<string, string>;
}

/**
 * Presence for a single node: participants per room, indexed by nickname keys for uniqueness.
 * Every call does its work before it returns, so claims and renames are atomic by construction.
 */
export class MemoryPresenceRegistry implements PresenceRegistry {
  private readonly rooms = new Map<string, RoomPresence>();
  /** Every present nickname key, server-wide → the rooms holding it: `locate` without a scan. */
  private readonly roomsByKey = new Map<string, Set<string>>();

  claim(roomId: string, participant: Participant): Promise<boolean> {
    const room = this.rooms.get(roomId) ?? this.open(roomId);
    const keys = nicknameKeys(participant.name);
    if (room.byMember.has(participant.memberId) || heldByOther(room, keys, participant.memberId)) {
      return Promise.resolve(false);
    }
    room.byMember.set(participant.memberId, participant);
    index(room, keys, participant.memberId);
    this.indexRoom(keys, roomId);
    return Promise.resolve(true);
  }

  rename(roomId: string, memberId: string, name: string): Promise<boolean> {
    const room = this.rooms.get(roomId);
    const participant = room?.byMember.get(memberId);
    const keys = nicknameKeys(name);
    if (room === undefined || participant === undefined || heldByOther(room, keys, memberId)) {
      return Promise.resolve(false);
    }
    const old = nicknameKeys(participant.name);
    unindex(room, old, memberId);
    this.unindexRoom(old, roomId);
    room.byMember.set(memberId, { ...participant, name }); // keeps its place in join order
    index(room, keys, memberId);
    this.indexRoom(keys, roomId);
    return Promise.resolve(true);
  }

  setHidden(roomId: string, memberId: string, hidden: boolean): Promise<boolean> {
    const room = this.rooms.get(roomId);
    const participant = room?.byMember.get(memberId);
    if (room === undefined || participant === undefined) return Promise.resolve(false);
    room.byMember.set(memberId, withHidden(participant, hidden)); // keeps its place
    return Promise.resolve(true);
  }

  release(roomId: string, memberId: string): Promise<void> {
    const room = this.rooms.get(roomId);
    const participant = room?.byMember.get(memberId);
    if (room === undefined || participant === undefined) return Promise.resolve();
    const keys = nicknameKeys(participant.name);
    unindex(room, keys, memberId);
    this.unindexRoom(keys, roomId);
    room.byMember.delete(memberId);
    if (room.byMember.size === 0) this.rooms.delete(roomId);
    return Promise.resolve();
  }

  list(roomId: string): Promise<Participant[]> {
    return Promise.resolve([...(this.rooms.get(roomId)?.byMember.values() ?? [])]);
  }

  counts(roomIds: readonly string[]): Promise<Map<string, number>> {
    const counts = roomIds.map((id): [string, number] => [
      id,
      this.rooms.get(id)?.byMember.size ?? 0,
    ]);
    return Promise.resolve(new Map(counts));
  }

  locate(name: string): Promise<PresentParticipant[]> {
    const keys = nicknameKeys(name);
    const roomIds = new Set([
      ...(this.roomsByKey.get(caselessKey(keys)) ?? []),
      ...(this.roomsByKey.get(casedKey(keys)) ?? []),
    ]);
    const found: PresentParticipant[] = [];
    for (const roomId of roomIds) {
      const room = this.rooms.get(roomId);
      const holder = room === undefined ? undefined : holderOf(room, keys);
      const participant = holder === undefined ? undefined : room?.byMember.get(holder);
      if (participant !== undefined) found.push({ roomId, participant });
    }
    return Promise.resolve(found);
  }

  // A room holds at most one holder of each key, so a key's rooms are a set of room ids.
  private indexRoom(keys: NicknameKeys, roomId: string): void {
    for (const key of [caselessKey(keys), casedKey(keys)]) {
      const rooms = this.roomsByKey.get(key) ?? new Set<string>();
      rooms.add(roomId);
      this.roomsByKey.set(key, rooms);
    }
  }

  private unindexRoom(keys: NicknameKeys, roomId: string): void {
    for (const key of [caselessKey(keys), casedKey(keys)]) {
      const rooms = this.roomsByKey.get(key);
      rooms?.delete(roomId);
      if (rooms?.size === 0) this.roomsByKey.delete(key);
    }
  }

  private open(roomId: string): RoomPresence {
    const room: RoomPresence = {
      byMember: new Map<string, Participant>(),
      caseless: new Map<string, string>(),
      cased: new Map<string, string>(),
    };
    this.rooms.set(roomId, room);
    return room;
  }
}

// True when someone other than the member holds a nickname that clashes with these keys.
function heldByOther(room: RoomPresence, keys: NicknameKeys, memberId: string): boolean {
  const holders = [room.caseless.get(keys.caseless), room.cased.get(keys.cased)];
  return holders.some((holder) => holder !== undefined && holder !== memberId);
}

function index(room: RoomPresence, keys: NicknameKeys, memberId: string): void {
  room.caseless.set(keys.caseless, memberId);
  room.cased.set(keys.cased, memberId);
}

function unindex(room: RoomPresence, keys: NicknameKeys, memberId: string): void {
  if (room.caseless.get(keys.caseless) === memberId) room.caseless.delete(keys.caseless);
  if (room.cased.get(keys.cased) === memberId) room.cased.delete(keys.cased);
}

// The two keys live in one server-wide map: prefixed, so a caseless key never meets a cased one.
const caselessKey = (keys: NicknameKeys): string => `i:${keys.caseless}`;
const casedKey = (keys: NicknameKeys): string => `c:${keys.cased}`;

/** The member of the room holding a nickname with either key, if any. */
function holderOf(room: RoomPresence, keys: NicknameKeys): string | undefined {
  return room.caseless.get(keys.caseless) ?? room.cased.get(keys.cased);
}
