import type { ChatDependencies } from './chat-dependencies.js';
import { ChatError } from './chat-error.js';
import { findRoom } from './find-room.js';
import type { Participant } from './participant.js';
import { parseRoomName, type Room } from './room.js';

/** A room with how many people are in it. */
export interface RoomSummary extends Room {
  readonly participantCount: number;
}

/** A room with who is in it, in join order. */
export interface RoomDetails extends Room {
  readonly participants: readonly Participant[];
}

/** The room use cases: create, list, look up. */
export class RoomService {
  constructor(
    private readonly deps: Pick<ChatDependencies, 'rooms' | 'presence' | 'ids' | 'clock'>,
  ) {}

  /**
   * Creates a room; ids are generated, names need not be unique.
   * @throws ChatError `invalid_room_name`, `storage_unavailable`.
   */
  async create(requestedName: unknown): Promise<Room> {
    const name = parseRoomName(requestedName);
    const room = { id: this.deps.ids.next(), name, createdAt: this.deps.clock.now() };
    await this.deps.rooms.add(room).catch((cause: unknown) => {
      throw new ChatError('storage_unavailable', 'the room could not be stored', { cause });
    });
    return room;
  }

  /** Every room, oldest first, with its participant count. */
  async list(): Promise<RoomSummary[]> {
    const rooms = await this.deps.rooms.list();
    const counts = await this.deps.presence.counts(rooms.map((room) => room.id));
    return rooms.map((room) => ({ ...room, participantCount: counts.get(room.id) ?? 0 }));
  }

  /**
   * One room and its participants.
   * @throws ChatError `room_not_found`.
   */
  async get(roomId: string): Promise<RoomDetails> {
    const room = await findRoom(this.deps.rooms, roomId);
    return { ...room, participants: await this.deps.presence.list(room.id) };
  }
}
